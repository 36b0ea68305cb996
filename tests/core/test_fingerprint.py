"""The manifests' fingerprint a saved plan carries does not depend on how the directory was given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.core.fingerprint import desired_fingerprint
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.state import DesiredState
from reconciler.core.tools.function import Function
from reconciler.diagnostics import Location


@dataclass(frozen=True)
class LocatedTool:
    """A tool type that keeps where it was declared (as a tool of another module may)."""

    name: str
    where: Location
    type: str = "located"

    def essence(self, files: dict[str, DesiredFile]) -> dict[str, Any]:
        return {"type": self.type, "name": self.name}

    def knowledge(self) -> tuple[()]:
        return ()


def state(path: str, name: str = "lookup") -> DesiredState:
    tools = (LocatedTool(name, Location(path, 7, 5)), Function({"type": "function", "name": name}))
    bot = DesiredAgent(name="bot", model="m", tools=tools, location=Location(path, 2, 7))
    environment = Environment("dev", "local", "v1", None, None, api="foundry")
    return DesiredState("shop", environment, {AGENTS.kind: (bot,)}, {})


def test_locations_relative_or_absolute_leave_the_fingerprint_alone() -> None:
    relative = desired_fingerprint(state("agents/bot.yaml"))
    assert desired_fingerprint(state("/work/shop/agents/bot.yaml")) == relative
    assert desired_fingerprint(state("agents/bot.yaml", name="other")) != relative
