"""The protocol every resource kind implements, and the context the planner hands it.

A kind reads its objects from the live state, computes the essence of both sides, says which
other objects its changes reference, and writes request bodies. The planner calls the kinds in
reverse dependency order (dependants first: what they reference is known, as data in
`PlanContext.references`, when their dependencies are planned); the applier runs upserts in
dependency order and deletes in reverse. Nothing outside a kind's own module branches on its
name (tests/core/test_registry.py scans for it); the invariant checker repeats some rules on
purpose (core/invariants.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.core.plan_types import Mode, Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.errors import PlanError


@dataclass(frozen=True)
class Seen:
    """What the whole plan points at and what holds uploads, for the kinds' fingerprints."""

    referenced: set[str]  # addresses any change points at
    holders: list[tuple[str, set[str]]]  # (holder, upload ids it holds), of every kind


@dataclass
class References:
    """What the kinds that point at one kind's objects tell it while a plan is built."""

    needed: set[str] = field(default_factory=set)  # names the plan's writes point at
    after: set[str] = field(default_factory=set)  # ids referenced after the plan, any owner
    now: set[str] = field(default_factory=set)  # ids referenced now, any owner
    released: dict[str, bool] = field(default_factory=dict)  # id -> it was held by one of ours
    # What a dependant declares of an object it needs, by name (a store's files and chunking),
    # so that the kind can create it without knowing the dependant's types.
    wanted: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class PlanContext:
    """What the kinds share while one plan is built."""

    desired: DesiredState
    live: LiveState
    mode: Mode
    targets: frozenset[str]
    changes: list[ResourceChange] = field(default_factory=list)
    claimed: dict[str, str] = field(default_factory=dict)  # live id -> address acting on it
    notes: list[str] = field(default_factory=list)
    unproven: set[str] = field(default_factory=set)  # ids whose content must be verified
    relied: dict[str, str] = field(default_factory=dict)  # name -> id the plan points at
    references: dict[str, References] = field(default_factory=dict)  # by the kind pointed at
    unread: set[str] = field(default_factory=set)  # holders whose contents are not listed yet
    to_read: set[str] = field(default_factory=set)  # ...and that must be before anything goes

    @property
    def owner(self) -> str:
        return self.desired.owner

    def targeted(self, name: str) -> bool:
        return not self.targets or name in self.targets

    def refs(self, kind: str) -> References:
        """What dependants say of the objects of one kind."""
        return self.references.setdefault(kind, References())

    def add(self, change: ResourceChange) -> None:
        """Record a change; a second action on one live object is refused, never planned."""
        if change.id is not None:
            if change.id in self.claimed:
                raise PlanError(
                    f"{change.address} and {self.claimed[change.id]} both act on {change.id}: "
                    "two manifests claim one live object. Keep one of them."
                )
            self.claimed[change.id] = change.address
        self.changes.append(change)

    def of_kind(self, kind: str) -> list[ResourceChange]:
        return [change for change in self.changes if change.kind == kind]


class Kind(Protocol):
    """One resource kind: its planning, its identity across environments and its bodies."""

    @property
    def name(self) -> str:
        """The kind's name in addresses and plans: assistant, file, vector_store, agent."""

    @property
    def depends_on(self) -> tuple[str, ...]:
        """The kinds whose objects this kind's objects reference: created before, deleted after."""

    @property
    def manifest_kind(self) -> str | None:
        """The `kind:` of the manifests that declare it; None when nothing declares it directly
        (uploads and stores follow what the manifests declare)."""

    def plan(self, context: PlanContext) -> None:
        """Append this kind's changes (creates, updates, no-ops and deletes) to the context."""

    def declared(self, desired: DesiredState) -> set[str]:
        """The names the manifests declare of this kind (what --target may name)."""

    def owned(self, live: LiveState, owner: str) -> set[str]:
        """The names of the live objects of this kind that the owner's marks claim."""

    def requires(self, change: ResourceChange) -> set[str]:
        """Addresses of the creates this change cannot run without."""

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        """The request body of a create or an update; ids maps upload names to file ids."""

    def references(self, change: ResourceChange) -> set[str]:
        """Addresses of other objects that this change's before or after side points at."""

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        """Each live object of this kind that holds uploads, with the ids it holds."""

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        """Digests of the live objects of this kind that the plan depends on, by key."""

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        """What moved, in words, for one of this kind's keys (None: not this kind's key)."""

    @property
    def versioned(self) -> bool:
        """Its live objects have versions: promotion says which version of each environment
        holds the same definition."""

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        """What each declared address is matched by across environments, where that is not the
        address itself (names that differ per environment)."""
