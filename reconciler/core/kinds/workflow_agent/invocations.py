"""Pure: the agents a parsed workflow invokes (every `InvokeAzureAgent` action, at any depth:
triggers, conditions and loops nest their actions).

An agent named by an expression (`=Local.AgentName`, PowerFx) is chosen while the workflow runs:
no plan can know it, so it is no reference (config reports it as a warning).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reconciler.core.model import Path

ACTION = "InvokeAzureAgent"


def invocations(data: Any, at: Path = ()) -> Iterator[tuple[Path, str, str | None]]:
    """(path of the agent's name, name, version or None) of each action, in document order;
    a name that is no plain string is yielded as it is, for the caller to refuse."""
    if isinstance(data, dict):
        agent = data.get("agent")
        if data.get("kind") == ACTION and isinstance(agent, dict):
            version = agent.get("version")
            pinned = None if version is None else str(version)
            yield (*at, "agent", "name"), agent.get("name"), pinned  # type: ignore[misc]
        for key, value in data.items():
            yield from invocations(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from invocations(value, (*at, index))


def dynamic(name: object) -> bool:
    """A name the workflow computes while it runs (a PowerFx expression)."""
    return isinstance(name, str) and name.startswith("=")


def normalised(text: str) -> str:
    """The workflow text as compared: line endings and trailing blank space do not count."""
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"
