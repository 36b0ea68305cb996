"""Pure: a value laid out nested, one attribute per line, as Terraform shows a resource.

Mappings list their keys (sorted) one per line; multi-line strings are heredocs (`<<-EOT`);
lists are by index, with the element's name where it has one (`[3] lookup_order:`); a short list
of scalars stays on its line (`files: ["a.md", "b.md"]`). Rows are (depth, text): the renderers
indent them and fold what is too wide (width.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

Row = tuple[int, str]
# What names a list's elements, by the list's path without indices (`definition.tools`): the
# keys to try in turn, dotted for nested ones; `{type}` stands for the element's own type.
Hints = Mapping[str, tuple[str, ...]]
INLINE = 60  # a list of scalars whose JSON is at most this long stays on one line
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-/@$]+")


def show(value: Any) -> str:
    """A scalar (or a short list) as JSON, as the plan has always shown values."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def key_text(key: str) -> str:
    """A mapping key as shown: plain, or quoted when it has dots, spaces or brackets."""
    return key if _PLAIN_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value.rstrip("\n")


def inline(value: Any) -> bool:
    """Shown on its key's line: a scalar, an empty container, a short list of scalars."""
    if isinstance(value, dict):
        return not value
    if isinstance(value, list):
        scalars = all(not isinstance(v, dict | list) and not multiline(v) for v in value)
        return scalars and len(show(value)) <= INLINE
    return not multiline(value)


def rows(label: str, value: Any, depth: int, hints: Hints, path: str) -> list[Row]:
    """`label: value` and, for a nested value, its attributes one per line below it."""
    if inline(value):
        return [(depth, f"{label}: {show(value)}")]
    if isinstance(value, str):
        return [
            (depth, f"{label}: <<-EOT"),
            *((depth + 1, line) for line in value.splitlines()),
            (depth, "EOT"),
        ]
    return [(depth, f"{label}:"), *children(value, depth + 1, hints, path)]


def children(value: Any, depth: int, hints: Hints, path: str) -> list[Row]:
    """The attributes (or elements) of a mapping (or list), one per line."""
    found: list[Row] = []
    if isinstance(value, dict):
        for key in sorted(value):
            found += rows(key_text(key), value[key], depth, hints, join(path, key))
        return found
    names = element_names(hints, path, value)
    for index, item in enumerate(value):
        name = names[index]
        found += rows(f"[{index}]" + (f" {name}" if name else ""), item, depth, hints, path)
    return found


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def element_names(hints: Hints, path: str, items: list[Any]) -> list[str | None]:
    """Each element's name by the hint for its list, where it has one that no other element
    of the list shares (a repeated name would not say which element is meant)."""
    keys = hints.get(path, ())
    names = [_name(item, keys) for item in items]
    repeated = {n for n in names if n is not None and names.count(n) > 1}
    return [None if n in repeated else n for n in names]


def _name(item: Any, keys: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in keys:
        found: Any = item
        for part in key.replace("{type}", str(item.get("type"))).split("."):
            found = found.get(part) if isinstance(found, dict) else None
        if isinstance(found, str) and found:
            return found
    return None
