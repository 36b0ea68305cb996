"""What the environment gives a project and a plan only reads: the base of such kinds.

A project's connections and model deployments are made in the portal or by ARM, never by a
plan. Their kinds (connection.py, deployment.py) plan no change of their own: they check and
resolve what other kinds name, so everything a writing kind answers is empty here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.core.kinds.base import Seen
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState


class EnvironmentKind:
    """Declares nothing, owns nothing, writes nothing, holds nothing."""

    name: str
    depends_on: tuple[str, ...] = ()
    manifest_kind = None
    versioned = False

    def declared(self, desired: DesiredState) -> set[str]:
        return set()

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return set()

    def requires(self, change: ResourceChange) -> set[str]:
        return set()

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        raise TypeError(f"{self.name}s are the environment's: a plan never writes one")

    def references(self, change: ResourceChange) -> set[str]:
        return set()

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return []

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        return {}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return None

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        return {}
