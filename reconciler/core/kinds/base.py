"""The protocol every resource kind implements, and the context the planner hands it.

A kind reads its objects from the live state, computes the essence of both sides, says which
other objects its changes reference, and writes request bodies. The planner calls the kinds in
reverse dependency order (dependants first, so that what they reference is known when their
dependencies are planned); the applier runs upserts in dependency order and deletes in reverse.
Nothing outside a kind's module branches on its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.core.model import DesiredState, LiveState
from reconciler.core.plan_types import Mode, Plan, ResourceChange
from reconciler.errors import PlanError


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
    relied: dict[str, str] = field(default_factory=dict)  # upload name -> id the plan points at
    # What dependants tell their dependencies (filled by the kinds that reference others):
    needed: set[str] = field(default_factory=set)  # upload names the plan's writes point at
    referenced: set[str] = field(default_factory=set)  # ids referenced after the plan, any owner
    live_references: set[str] = field(default_factory=set)  # ids referenced now, any owner
    released: dict[str, bool] = field(default_factory=dict)  # id -> it was held by one of ours
    # The same between agents and their vector stores (Foundry), by store name and id:
    stores_needed: set[str] = field(default_factory=set)
    stores_referenced: set[str] = field(default_factory=set)
    stores_released: set[str] = field(default_factory=set)  # left by an agent of ours
    unread: set[str] = field(default_factory=set)  # stores whose files are not listed yet
    to_read: set[str] = field(default_factory=set)  # ...and that must be before files go

    @property
    def owner(self) -> str:
        return self.desired.owner

    def targeted(self, name: str) -> bool:
        return not self.targets or name in self.targets

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
    """One resource kind: its planning and its request bodies."""

    @property
    def name(self) -> str:
        """The kind's name in addresses and plans: assistant, file, vector_store, agent."""

    def plan(self, context: PlanContext) -> None:
        """Append this kind's changes (creates, updates, no-ops and deletes) to the context."""

    def requires(self, change: ResourceChange) -> set[str]:
        """Addresses of the creates this change cannot run without."""

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        """The request body of a create or an update; ids maps upload names to file ids."""

    def references(self, change: ResourceChange) -> set[str]:
        """Addresses of other objects that this change's before or after side points at."""

    def fingerprints(self, plan: Plan, live: LiveState, referenced: set[str]) -> dict[str, str]:
        """Digests of the live objects of this kind that the plan depends on, by key."""

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        """What moved, in words, for one of this kind's keys (None: not this kind's key)."""
