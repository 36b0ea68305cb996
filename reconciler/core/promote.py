"""Pure: what differs between two environments of one project, without guessing.

Each environment's live assistants are compared with the manifests resolved for that
environment (its own plan says how they differ), and the two resolved manifests with each other.
Nothing is written back as `${var.NAME}`: a value that merely looks like a variable's (a `1` in
"Step 1") stays what it is, so no difference is invented and none is hidden. Assistants match by
logical name; files compare by content, which their upload names carry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from reconciler.core.diff import field_changes
from reconciler.core.marks import MARK_PREFIX
from reconciler.core.plan_types import FieldChange, Plan, ResourceChange

Status = Literal["same", "differs", "only-left", "only-right"]
LIVE = ("update", "no-op", "delete")  # plan actions on an assistant that exists on the endpoint
DECLARED = ("create", "update", "no-op")  # plan actions on an assistant the manifests declare


@dataclass(frozen=True)
class Side:
    """One environment: its name and its plan against its own manifests."""

    environment: str
    plan: Plan

    @property
    def owner(self) -> str:
        return f"{self.plan.project}/{self.environment}"

    def change(self, name: str) -> ResourceChange | None:
        address = f"assistant.{name}"
        return next((c for c in self.plan.changes if c.address == address), None)

    def names(self) -> set[str]:
        return {
            c.address.removeprefix("assistant.")
            for c in self.plan.changes
            if c.kind == "assistant" and "#" not in c.address
        }


@dataclass(frozen=True)
class Drift:
    """How one environment's live assistant differs from its manifest (before: live)."""

    environment: str
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""  # for what a field list cannot say, e.g. "not in the manifests"


@dataclass(frozen=True)
class Difference:
    name: str
    status: Status
    drift: list[Drift] = field(default_factory=list)
    # left's resolved manifest -> right's: the per-environment values, expected to differ
    manifests: list[FieldChange] = field(default_factory=list)


def compare(left: Side, right: Side) -> list[Difference]:
    return [_compare_one(name, left, right) for name in sorted(left.names() | right.names())]


def _compare_one(name: str, left: Side, right: Side) -> Difference:
    ours, theirs = left.change(name), right.change(name)
    declared, declared_there = _declared(ours), _declared(theirs)
    manifests = field_changes(declared, declared_there) if declared and declared_there else []
    drift = [d for d in (_drift(left, ours), _drift(right, theirs)) if d is not None]
    live_left = ours is not None and ours.action in LIVE
    live_right = theirs is not None and theirs.action in LIVE
    if live_left != live_right:
        return Difference(name, "only-left" if live_left else "only-right", drift, manifests)
    return Difference(name, "differs" if drift else "same", drift, manifests)


def _declared(change: ResourceChange | None) -> dict[str, Any]:
    if change is None or change.action not in DECLARED or change.after is None:
        return {}
    essence = dict(change.after)
    metadata = essence.get("metadata") or {}
    essence["metadata"] = {k: v for k, v in metadata.items() if not k.startswith(MARK_PREFIX)}
    return essence


def _drift(side: Side, change: ResourceChange | None) -> Drift | None:
    if change is None or change.action == "no-op":
        return None
    if change.action == "update":
        return Drift(side.environment, change.diff)
    if change.action == "delete":
        return Drift(side.environment, note="on the endpoint, not in the manifests")
    return Drift(side.environment, note="in the manifests, not on the endpoint")


MARKS = {"same": "=", "differs": "~", "only-left": "<", "only-right": ">"}


def render_comparison(left: Side, right: Side, differences: list[Difference]) -> str:
    lines = [
        f"Comparing {left.owner} with {right.owner}, each against its own manifests:",
        "",
    ]
    for difference in differences:
        lines += _difference_lines(difference, left, right)
    counts = {status: sum(1 for d in differences if d.status == status) for status in MARKS}
    only = f"{counts['only-left']} only in {left.environment}, {counts['only-right']} only in {right.environment}"
    lines += ["", f"{counts['same']} same, {counts['differs']} differ, {only}."]
    return "\n".join(lines) + "\n"


def _difference_lines(difference: Difference, left: Side, right: Side) -> list[str]:
    where = {
        "only-left": f" only in {left.environment}",
        "only-right": f" only in {right.environment}",
    }
    mark = MARKS[difference.status]
    lines = [f"  {mark} assistant.{difference.name}{where.get(difference.status, '')}"]
    for drift in difference.drift:
        if drift.note:
            lines.append(f"      {drift.environment}: {drift.note}")
        for change in drift.changes:
            shown = f"{_show(change.old)} (live) -> {_show(change.new)} (manifest)"
            lines.append(f"      {drift.environment}: ~ {change.path}: {shown}")
    for change in difference.manifests:
        envs = f"{left.environment} -> {right.environment}"
        lines.append(
            f"      manifests ({envs}): {change.path}: {_show(change.old)} -> {_show(change.new)}"
        )
    return lines


def _show(value: Any) -> str:
    """Values as JSON, like the plan shows them."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
