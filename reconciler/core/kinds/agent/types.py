"""A Foundry prompt agent as a manifest declares it (resolved for one environment) and as the API
serves it: its name is its logical name, the stable key, and it has immutable versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.core.tools.base import DesiredTool, Knowledge
from reconciler.diagnostics import Location

NOWHERE = Location("")
# How many versions of ours an agent keeps by default (lifecycle.retention; agent/history.py).
RETENTION_DEFAULT = 10


@dataclass(frozen=True)
class DesiredAgent:
    """One prompt agent as its latest version should be, fully resolved for one environment.

    `tools` are tool objects in declaration order; each writes its own wire shape, with names
    where the wire has ids (the agent kind swaps in the ids of uploads and stores).
    """

    name: str
    model: str
    description: str | None = None
    instructions: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    text: dict[str, Any] | None = None  # {"format": {...}} as the API takes it
    # The rest of PromptAgentDefinition, each as the API takes it (config/agent_doc.py).
    reasoning: dict[str, Any] | None = None  # {effort?, summary?, ...}
    tool_choice: str | dict[str, Any] | None = None  # "auto" | "none" | "required" | {type, ...}
    structured_inputs: dict[str, dict[str, Any]] | None = None  # name -> {description?, ...}
    rai_config: dict[str, Any] | None = None  # {rai_policy_name}
    tools: tuple[DesiredTool, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    ignore_changes: tuple[str, ...] = ()
    import_id: str | None = None  # an existing agent (by name) that no project manages, to adopt
    location: Location = NOWHERE
    retention: int = RETENTION_DEFAULT  # versions of ours kept (lifecycle.retention)

    @property
    def address(self) -> str:
        return f"agent.{self.name}"

    @property
    def knowledge(self) -> tuple[Knowledge, ...]:
        """The vector stores its tools search."""
        return tuple(k for tool in self.tools for k in tool.knowledge())


@dataclass(frozen=True)
class LiveAgent:
    """An agent as the API returns it: its name and its latest version."""

    name: str
    version: str  # "1", "2", ...
    created_at: int
    description: str | None
    definition: dict[str, Any]
    metadata: dict[str, str]
    # Its other versions, read only when a plan needs them (agent/history.py); None: not read.
    history: tuple[LiveAgent, ...] | None = None
