"""What an agent reference brings to a response: its version's model, instructions and tools.

`POST /responses` names an agent as the SDK's samples do (its model, instructions, tools, tool
choice, text options and structured inputs apply), `{"agent_reference": {"type":
"agent_reference", "name": ..., "version"?: ...}}` (or under `agent`): the named version, or
the agent's latest, runs the turn. The agent's own endpoint (agent_endpoint_routes.py) runs the
version its `agent_endpoint.version_selector` sends the most traffic to (the first of equals),
else the latest. Only prompt agents run here; hosted, workflow and other kinds answer 501
`not_implemented_by_emulator`, as a gap of the emulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import ServiceError, bad_request
from reconciler.emulator.core.gateway import NOT_SERVED, NOT_SERVED_CODE, NOT_SERVED_HEADERS
from reconciler.emulator.foundry import agents
from reconciler.emulator.foundry.state import Foundry

FIELDS = ("agent_reference", "agent")


@dataclass(frozen=True)
class Agent:
    """The settings an agent version gives a turn, and the reference the response echoes."""

    model: str
    instructions: str | None
    tools: list[Json]
    tool_choice: Any
    reference: Json
    inputs: Json  # the definition's structured_inputs
    text: Json | None  # the definition's text options (structured output)


def resolve(fd: Foundry, body: Json) -> Agent | None:
    """The agent the body names, or None when it names none."""
    param = next((name for name in FIELDS if body.get(name) is not None), None)
    if param is None:
        return None
    raw = body[param]
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        message = f"Missing required parameter: '{param}.name'."
        raise bad_request(message, f"{param}.name", "missing_required_parameter")
    version = _version(fd, raw["name"], raw.get("version"))
    definition = version["definition"]
    if definition.get("kind") != "prompt":
        message = f"The emulator runs prompt agents only, not '{definition.get('kind')}' agents."
        unserved = ServiceError(NOT_SERVED, message, param=param, code=NOT_SERVED_CODE)
        unserved.kind, unserved.headers = "not_implemented", dict(NOT_SERVED_HEADERS)
        raise unserved
    reference = {"type": "agent_reference", "name": raw["name"], "version": version["version"]}
    return Agent(
        model=definition["model"],
        instructions=definition.get("instructions"),
        tools=definition.get("tools") or [],
        tool_choice=definition.get("tool_choice") or "auto",
        reference=reference,
        inputs=definition.get("structured_inputs") or {},
        text=definition.get("text"),
    )


def endpoint_version(fd: Foundry, name: str) -> str | None:
    """The version the agent's endpoint sends the most traffic to; None: the latest."""
    endpoint = agents.get(fd, name).get("agent_endpoint") or {}
    selector = endpoint.get("version_selector") or {}
    rules = [r for r in selector.get("version_selection_rules") or [] if isinstance(r, dict)]
    best = max(rules, key=lambda rule: rule.get("traffic_percentage") or 0, default=None)
    return None if best is None else str(best.get("agent_version"))


def _version(fd: Foundry, name: str, version: Any) -> Json:
    if version is None:
        latest: Json = agents.get(fd, name)["versions"]["latest"]
        return latest
    return agents.get_version(fd, name, str(version))
