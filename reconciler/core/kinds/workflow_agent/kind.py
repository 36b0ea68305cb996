"""The workflow agent kind (Foundry, preview): a declared workflow agent against the latest
version of its name (planner.py), in the agent name space it shares with prompt and hosted
agents (agent_space.py). It depends on the agent kinds: the agents a workflow invokes are made
before it and deleted after it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.core.kinds.agent_space import MEMBERS, SpaceKind
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.workflow_agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.workflow_agent.planner import Planner
from reconciler.core.plan_types import ResourceChange

INVOKED_KINDS = tuple(kind for kind in MEMBERS.values() if kind != NAME)


class WorkflowAgentKind(SpaceKind):
    name = NAME
    depends_on = INVOKED_KINDS
    manifest_kind = "WorkflowAgent"
    versioned = True
    desired_key, live_key = DESIRED, LIVE

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

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
