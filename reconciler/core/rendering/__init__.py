"""Pure: the pieces the plan's renderers share (core/render.py; diff --against in compare.py).

values.py lays a value out nested, one attribute per line (as Terraform shows a resource);
changes.py finds the deepest paths at which two values differ, list elements by name where they
have one; lines.py turns both into the lines of text and Markdown; width.py keeps every line of
data within the width. Which list elements have names is each kind's hint (`element_names`).
"""
