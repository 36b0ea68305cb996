"""Pure: a change's body as lines, for the terminal (text) and for a `diff` block (Markdown).

A body is a list of Line: a sign (`+` added, `-` removed, `~` changed, ` ` context), a depth
and the text; `raw` lines are lines of a unified diff, whose first character is their sign.
The two formats lay the same lines out differently (text keeps Terraform's columns, Markdown
puts the sign first so that GitHub colours it) and fold what is wider than asked (width.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from reconciler.core.plan_types import ResourceChange
from reconciler.core.rendering.changes import MISSING, Leaf, leaves
from reconciler.core.rendering.values import Hints, inline, key_text, multiline, rows, show
from reconciler.core.rendering.width import fold

INDENT = "      "  # a body's lines start under the address (`  + agent.x`)
SIDES = ("before", "after")


@dataclass(frozen=True)
class Line:
    sign: str  # "+", "-", "~", " ", "!" (a note)
    depth: int
    text: str
    raw: bool = False  # a line of a unified diff: text[0] is its own sign


def value_lines(values: dict[str, Any] | None, sign: str, hints: Hints) -> list[Line]:
    """A create's or destroy's attributes, nested; empty ones left out."""
    found: list[Line] = []
    for key, value in (values or {}).items():
        if value not in (None, [], {}):
            found += [Line(sign, d, t) for d, t in rows(key_text(key), value, 0, hints, key)]
    return found


def change_leaves(change: ResourceChange, hints: Hints) -> list[Leaf]:
    """The plan's field changes, each walked down to where it changed (changes.py); a field the
    walk finds equal (values equal as the planner's diff does not judge them) shows as the plan
    has it."""
    before, after = change.before or {}, change.after or {}
    found: list[Leaf] = []
    for field, changes in _by_field(change, before.keys() | after.keys()).items():
        walked = leaves(field, before.get(field, MISSING), after.get(field, MISSING), hints)
        found += walked or [Leaf(c.op, c.path, c.old, c.new) for c in changes]
    return found


def _by_field(change: ResourceChange, fields: set[str]) -> dict[str, list[Any]]:
    """The plan's field changes by the attribute they are in (keys may hold dots)."""
    grouped: dict[str, list[Any]] = {}
    for item in change.diff:
        owners = [f for f in fields if item.path == f or item.path.startswith(f + ".")]
        field = max(owners, key=len) if owners else item.path
        grouped.setdefault(field, []).append(item)
    return grouped


def leaf_lines(
    leaf: Leaf, hints: Hints, width: int, markdown: bool, sides: tuple[str, str] = SIDES
) -> list[Line]:
    """One change's lines; `sides` name the two sides of a unified diff."""
    if leaf.op != "change":
        sign = "+" if leaf.op == "add" else "-"
        value = leaf.new if leaf.op == "add" else leaf.old
        return [Line(sign, d, t) for d, t in rows(leaf.path, value, 0, hints, leaf.hint)]
    texts = isinstance(leaf.old, str) and isinstance(leaf.new, str)
    if texts and (multiline(leaf.old) or multiline(leaf.new)):
        return _text_diff(leaf, markdown, sides)
    if not (inline(leaf.old) and inline(leaf.new)):  # a nested value for another: out, in
        gone = Leaf("remove", leaf.path, leaf.old, None, leaf.hint)
        came = Leaf("add", leaf.path, None, leaf.new, leaf.hint)
        return [
            *leaf_lines(gone, hints, width, markdown),
            *leaf_lines(came, hints, width, markdown),
        ]
    if markdown:
        old, new = show(leaf.old), show(leaf.new)
        return [Line("-", 0, f"{leaf.path}: {old}"), Line("+", 0, f"{leaf.path}: {new}")]
    one = f"{leaf.path}: {show(leaf.old)} -> {show(leaf.new)}"
    if len(INDENT) + 2 + len(one) <= width:
        return [Line("~", 0, one)]
    # Too wide for one line: before and after on lines of their own, one under the other.
    return [
        Line("~", 0, f"{leaf.path}:"),
        Line(" ", 1, f"- {show(leaf.old)}"),
        Line(" ", 1, f"+ {show(leaf.new)}"),
    ]


def _text_diff(leaf: Leaf, markdown: bool, sides: tuple[str, str]) -> list[Line]:
    """A unified diff of a multi-line string, as `plan` has always shown instructions."""
    old, new = str(leaf.old), str(leaf.new)
    notes = [Line("!", 0, n) if markdown else Line(" ", 1, n) for n in endings_note(old, new)]
    if markdown:
        diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2))
        return [Line(" ", 0, f"{leaf.path}:"), *notes, *(Line("", 0, d, True) for d in diff[2:])]
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), *sides, lineterm=""))
    return [Line("~", 0, f"{leaf.path}:"), *notes, *(Line(" ", 1, d, True) for d in diff)]


def endings_note(old: str, new: str) -> list[str]:
    """A line diff cannot show a change of line endings (LF -> CRLF): say it in words."""
    if "\n" not in old or "\n" not in new:
        return []  # a text gained or lost its line breaks: the line diff shows that
    before, after = _endings(old), _endings(new)
    return [f"line endings changed: {before} -> {after}"] if before != after else []


def _endings(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    return "CRLF" if not lf else "LF" if not crlf else "mixed LF and CRLF"


def text(lines: list[Line], width: int, signed: bool, indent: str = INDENT) -> list[str]:
    """Terraform's columns: the sign (updates only) under the address's, then the nesting."""
    out: list[str] = []
    for line in lines:
        sign = (line.sign if line.sign in "+-~" else " ") + " " if signed else ""
        nest = "  " * line.depth
        keep = sign if sign.strip() in ("+", "-") else " " * len(sign)
        out += fold(indent + sign + nest, line.text, width, indent + keep + nest + "  ")
    return [line.rstrip() for line in out]


def markdown(lines: list[Line], width: int) -> list[str]:
    """A `diff` block's lines: the sign first, as GitHub colours them."""
    out: list[str] = []
    for line in lines:
        if line.raw:
            first = line.text[:1] or " "
            out += fold(first, line.text[1:], width, first + "  ")
            continue
        lead = f"{line.sign} " + "  " * line.depth
        out += fold(lead, line.text, width, lead + "  ")
    return [line.rstrip() for line in out]
