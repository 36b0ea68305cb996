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
    change: ResourceChange | None = None  # the plan's change: its before and after, its kind


@dataclass(frozen=True)
class Difference:
    name: str
    status: Status
    drift: list[Drift] = field(default_factory=list)
    # left's resolved manifest -> right's: the per-environment values, expected to differ
    manifests: list[FieldChange] = field(default_factory=list)
    versions: str = ""  # agents: which version of each environment holds the same definition
    declared: tuple[dict[str, Any], dict[str, Any]] = ({}, {})  # the two resolved manifests
    kind: str = ""


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
    status: Status = "differs" if drift else "same"
    if live_left != live_right:
        status = "only-left" if live_left else "only-right"
    kind = next(c.kind for c in (ours, theirs) if c is not None)
    pair = (declared, declared_there)
    return Difference(name, status, drift, manifests, versions, declared=pair, kind=kind)


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
        return Drift(side.environment, change.diff, change=change)
    if change.action == "delete":
        return Drift(side.environment, note="on the endpoint, not in the manifests")
    return Drift(side.environment, note="in the manifests, not on the endpoint")
