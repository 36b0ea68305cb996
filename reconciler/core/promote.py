"""Pure: what differs between two environments of one project, without guessing.

Each environment's live assistants (or agents) are compared with the manifests resolved for
that environment (its own plan says how they differ), and the two resolved manifests with each
other. Nothing is written back as `${var.NAME}`: a value that merely looks like a variable's (a
`1` in "Step 1") stays what it is, so no difference is invented and none is hidden. Assistants
match by logical name; agents, whose names differ per environment, by the manifest that declares
them (Side.keys); files compare by content, which their upload names carry. Agents also compare
by the hash of their definition, and say which version of each environment is equivalent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from reconciler.core.diff import field_changes
from reconciler.core.kinds.registry import all_kinds
from reconciler.core.marks import MARK_PREFIX
from reconciler.core.plan_types import FieldChange, Plan, ResourceChange

Status = Literal["same", "differs", "only-left", "only-right"]
LIVE = ("update", "no-op", "delete")  # plan actions on an object that exists on the endpoint
DECLARED = ("create", "update", "no-op")  # plan actions on an object the manifests declare


@dataclass(frozen=True)
class Side:
    """One environment: its name, its plan against its own manifests, and the key each address
    is matched by across environments (default: the address itself)."""

    environment: str
    plan: Plan
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def owner(self) -> str:
        return f"{self.plan.project}/{self.environment}"

    def by_key(self) -> dict[str, ResourceChange]:
        """What the manifests declare (files and stores follow it), by what it is matched by."""
        kinds = all_kinds()
        return {
            self.keys.get(c.address, c.address): c
            for c in self.plan.changes
            if kinds[c.kind].manifest_kind is not None and c.duplicate_of is None
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
    versions: str = ""  # agents: which version of each environment holds the same definition


def compare(left: Side, right: Side) -> list[Difference]:
    ours, theirs = left.by_key(), right.by_key()
    found = [
        _compare_one(ours.get(key), theirs.get(key), left, right)
        for key in sorted(set(ours) | set(theirs))
    ]
    return sorted(found, key=lambda d: d.name)


def _compare_one(
    ours: ResourceChange | None, theirs: ResourceChange | None, left: Side, right: Side
) -> Difference:
    name = " / ".join(dict.fromkeys(c.address for c in (ours, theirs) if c is not None))
    declared, declared_there = _declared(ours), _declared(theirs)
    manifests = field_changes(declared, declared_there) if declared and declared_there else []
    drift = [d for d in (_drift(left, ours), _drift(right, theirs)) if d is not None]
    versions = _versions(left, ours, right, theirs)
    live_left = ours is not None and ours.action in LIVE
    live_right = theirs is not None and theirs.action in LIVE
    if live_left != live_right:
        status: Status = "only-left" if live_left else "only-right"
        return Difference(name, status, drift, manifests, versions)
    return Difference(name, "differs" if drift else "same", drift, manifests, versions)


def definition_hash(change: ResourceChange | None) -> str | None:
    """SHA-256 of what the manifest of a versioned object (an agent) declares, marks left out:
    equal hashes, equal definitions."""
    declared = _declared(change)
    if not declared or change is None or not all_kinds()[change.kind].versioned:
        return None
    text = json.dumps(declared, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _versions(
    left: Side, ours: ResourceChange | None, right: Side, theirs: ResourceChange | None
) -> str:
    """`staging v7 = prod v3 (definition sha256-...)`, for agents whose manifests agree."""
    hashes = definition_hash(ours), definition_hash(theirs)
    if hashes[0] is None or hashes[1] is None:
        return ""
    assert ours is not None
    assert theirs is not None
    sides = [_version_of(left, ours), _version_of(right, theirs)]
    relation = "=" if hashes[0] == hashes[1] else "!="
    return f"{sides[0]} {relation} {sides[1]} (definition sha256-{hashes[0]}" + (
        ")" if hashes[0] == hashes[1] else f" / sha256-{hashes[1]})"
    )


def _version_of(side: Side, change: ResourceChange) -> str:
    if change.action == "no-op":
        return f"{side.environment} v{change.version}"
    if change.action == "update":
        return f"{side.environment} v{change.version} -> new version"
    return f"{side.environment} (not created yet)"


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
    lines = [f"  {mark} {difference.name}{where.get(difference.status, '')}"]
    if difference.versions:
        lines.append(f"      versions: {difference.versions}")
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
