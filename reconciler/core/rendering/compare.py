"""Pure: `diff --against` as text, the same way a plan shows a change.

Each object is one line with its mark (`=` same, `~` differs, `<` or `>` only on one side),
then, per environment that drifted, how its live object differs from its manifest, and how the
two environments' resolved manifests differ: each under a heading that names its two sides, as
plan shows an update (deepest paths, elements by name, unified diffs for long texts).
"""

from __future__ import annotations

from typing import Any

from reconciler.core.promote import Difference, Drift, Side
from reconciler.core.rendering.changes import MISSING, Leaf, leaves
from reconciler.core.rendering.hints import hints_of
from reconciler.core.rendering.lines import Line, change_leaves, leaf_lines, text
from reconciler.core.rendering.values import Hints
from reconciler.core.rendering.width import DEFAULT_WIDTH, fold, wrap

MARKS = {"same": "=", "differs": "~", "only-left": "<", "only-right": ">"}
UNDER = " " * 8  # a section's changes, under its heading


def render_comparison(
    left: Side, right: Side, differences: list[Difference], width: int = DEFAULT_WIDTH
) -> str:
    title = f"Comparing {left.owner} with {right.owner}, each against its own manifests:"
    lines = [*wrap("", title, width, "  "), ""]
    for difference in differences:
        lines += _difference_lines(difference, left, right, width)
    counts = {status: sum(1 for d in differences if d.status == status) for status in MARKS}
    only = f"{counts['only-left']} only in {left.environment}, {counts['only-right']} only in {right.environment}"
    lines += ["", *wrap("", f"{counts['same']} same, {counts['differs']} differ, {only}.", width)]
    return "\n".join(lines) + "\n"


def _difference_lines(difference: Difference, left: Side, right: Side, width: int) -> list[str]:
    where = {
        "only-left": f" only in {left.environment}",
        "only-right": f" only in {right.environment}",
    }
    mark = MARKS[difference.status]
    lines = fold(f"  {mark} ", difference.name + where.get(difference.status, ""), width)
    if difference.versions:
        lines += wrap("      versions: ", difference.versions, width, "        ")
    for drift in difference.drift:
        lines += _drift_lines(drift, width)
    named = hints_of(difference.kind)
    declared = difference.declared
    found = [
        leaf
        for field in sorted(declared[0].keys() | declared[1].keys())
        for leaf in _walk(field, declared, named)
    ]
    if found:
        envs = (left.environment, right.environment)
        lines += fold("      ", f"manifests ({envs[0]} -> {envs[1]}):", width)
        lines += _leaves_text(found, named, width, envs)
    return lines


def _walk(field: str, declared: tuple[dict[str, Any], dict[str, Any]], named: Hints) -> list[Leaf]:
    return leaves(field, declared[0].get(field, MISSING), declared[1].get(field, MISSING), named)


def _drift_lines(drift: Drift, width: int) -> list[str]:
    if drift.note:
        return wrap("      ", f"{drift.environment}: {drift.note}", width, "        ")
    change = drift.change
    if change is None:
        return []
    named = hints_of(change.kind)
    heading = f"{drift.environment} (live -> manifest):"
    found = change_leaves(change, named)
    return [
        *fold("      ", heading, width),
        *_leaves_text(found, named, width, ("live", "manifest")),
    ]


def _leaves_text(found: list[Leaf], named: Hints, width: int, sides: tuple[str, str]) -> list[str]:
    room = width - (len(UNDER) - 6)  # leaf_lines judges one-line changes at the plan's indent
    lines: list[Line] = [
        line for leaf in found for line in leaf_lines(leaf, named, room, False, sides)
    ]
    return text(lines, width, signed=True, indent=UNDER)
