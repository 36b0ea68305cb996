"""The workflow agent kind (Foundry, preview): a declared workflow agent against the latest
version of its name (planner.py), in the agent name space it shares with prompt and hosted
agents (agent_space.py). It depends on the agent kinds: the agents a workflow invokes are made
before it and deleted after it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.agent_space import MEMBERS
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.workflow_agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.workflow_agent.planner import Planner
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState

INVOKED_KINDS = tuple(kind for kind in MEMBERS.values() if kind != NAME)


class WorkflowAgentKind:
    name = NAME
    depends_on = INVOKED_KINDS
    manifest_kind = "WorkflowAgent"
    versioned = True

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return {w.name for w in desired.of(DESIRED)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return {
            w.name
            for w in live.of(LIVE)
            if (marks := read_marks(w.metadata)) is not None and marks.owner == owner
        }

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return []  # a workflow holds no uploads

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        """Matched across environments by the manifest that declares them, as agents are."""
        return {w.address: str(w.location) for w in desired.of(DESIRED)}

    def requires(self, change: ResourceChange) -> set[str]:
        if change.action == "delete":
            return set()
        return self.references(change)

    def references(self, change: ResourceChange) -> set[str]:
        """The agents it invokes, by the address of each kind that may declare one."""
        names = {
            label.split("@", 1)[0]
            for side in (change.before, change.after)
            for label in (side or {}).get("invokes") or []
        }
        return {f"{kind}.{name}" for kind in INVOKED_KINDS for name in names}

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        body: dict[str, Any] = {"definition": after["definition"], "metadata": after["metadata"]}
        if after.get("description") is not None:
            body["description"] = after["description"]
        return body

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        names = {c.name for c in plan.actionable if c.kind == NAME}
        by_name = {w.name: raw(w) for w in live.of(LIVE)}
        return {f"{NAME}.{n}": digest(by_name.get(n)) for n in names}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{NAME}.") else None
