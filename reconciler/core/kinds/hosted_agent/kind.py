"""The hosted agent kind (Foundry): an image-based agent against the latest version of its name
(planner.py), in the agent name space (agent_space.py). Its bodies carry the secrets the plan
holds by hash, read again from the process environment (core/tools/secret.py `reveal`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.core.kinds.agent_space import SpaceKind
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.hosted_agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.hosted_agent.planner import Planner
from reconciler.core.plan_types import ResourceChange
from reconciler.core.tools import secret


class HostedAgentKind(SpaceKind):
    name = NAME
    depends_on: tuple[str, ...] = ()
    manifest_kind = "HostedAgent"
    versioned = True
    desired_key, live_key = DESIRED, LIVE

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

    def requires(self, change: ResourceChange) -> set[str]:
        return set()

    def references(self, change: ResourceChange) -> set[str]:
        return set()

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        definition = dict(after["definition"])
        if "environment_variables" in definition:
            definition["environment_variables"] = {
                k: secret.reveal(v) for k, v in definition["environment_variables"].items()
            }
        body: dict[str, Any] = {"definition": definition, "metadata": after["metadata"]}
        if after.get("description") is not None:
            body["description"] = after["description"]
        return body
