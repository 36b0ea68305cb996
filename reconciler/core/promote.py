"""Pure: what differs between the live assistants of two environments of one project.

Assistants are matched by logical name; ids, ownership marks and per-environment values are
set aside: each environment's variable values (and its name) are written back as the
`${var.NAME}` (`${env.name}`) that produced them, so only real differences remain. Files compare
by content, which their upload names carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from reconciler.core.diff import field_changes, live_essence
from reconciler.core.marks import MARK_PREFIX, read_marks
from reconciler.core.model import LiveState
from reconciler.core.plan_types import FieldChange

Status = Literal["same", "differs", "only-left", "only-right"]


@dataclass(frozen=True)
class Side:
    """One environment: its name, its variables and what its endpoint holds."""

    owner: str  # project/environment
    environment: str
    variables: dict[str, str]
    live: LiveState


@dataclass(frozen=True)
class Difference:
    name: str
    status: Status
    changes: list[FieldChange] = field(default_factory=list)


def compare(left: Side, right: Side) -> list[Difference]:
    ours_left, ours_right = _generalised(left), _generalised(right)
    found = []
    for name in sorted(set(ours_left) | set(ours_right)):
        if name not in ours_right:
            found.append(Difference(name, "only-left"))
        elif name not in ours_left:
            found.append(Difference(name, "only-right"))
        else:
            changes = field_changes(ours_left[name], ours_right[name])
            found.append(Difference(name, "differs" if changes else "same", changes))
    return found


def _generalised(side: Side) -> dict[str, dict[str, Any]]:
    filename_of = {f.id: f.filename for f in side.live.files}
    found: dict[str, dict[str, Any]] = {}
    for assistant in sorted(side.live.assistants, key=lambda a: a.created_at):
        marks = read_marks(assistant.metadata)
        name = marks.name if marks is not None and marks.owner == side.owner else None
        if not name or name in found:
            continue
        essence = live_essence(assistant, filename_of)
        essence["metadata"] = {
            k: v for k, v in essence["metadata"].items() if not k.startswith(MARK_PREFIX)
        }
        found[name] = _placeholders(essence, side)
    return found


def _placeholders(value: Any, side: Side) -> Any:
    if isinstance(value, str):
        return _substitute(value, side)
    if isinstance(value, list):
        return [_placeholders(item, side) for item in value]
    if isinstance(value, dict):
        return {key: _placeholders(item, side) for key, item in value.items()}
    return value


def _substitute(text: str, side: Side) -> str:
    pairs = [(v, f"${{var.{k}}}") for k, v in side.variables.items() if v]
    pairs.append((side.environment, "${env.name}"))
    for value, expression in sorted(pairs, key=lambda pair: -len(pair[0])):
        # Whole words only: the variable `dev` must not rewrite `developer`.
        pattern = rf"(?<![\w-]){re.escape(value)}(?![\w-])"
        text = re.sub(pattern, expression.replace("\\", "\\\\"), text)
    return text


def render_comparison(left: Side, right: Side, differences: list[Difference]) -> str:
    lines = [
        f"Comparing {left.owner} with {right.owner} (per-environment values as ${{var.NAME}}):",
        "",
    ]
    marks = {"same": "=", "differs": "~", "only-left": "<", "only-right": ">"}
    for difference in differences:
        where = {
            "only-left": f" only in {left.environment}",
            "only-right": f" only in {right.environment}",
        }
        lines.append(
            f"  {marks[difference.status]} assistant.{difference.name}{where.get(difference.status, '')}"
        )
        for change in difference.changes:
            lines.append(f"      ~ {change.path}: {change.old!r} -> {change.new!r}")
    counts = {status: sum(1 for d in differences if d.status == status) for status in marks}
    only = f"{counts['only-left']} only in {left.environment}, {counts['only-right']} only in {right.environment}"
    lines += ["", f"{counts['same']} same, {counts['differs']} differ, {only}."]
    return "\n".join(lines) + "\n"
