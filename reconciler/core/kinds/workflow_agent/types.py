"""A Foundry workflow agent as a manifest declares it (its YAML kept in its own file in the
repo) and as the API serves it; and the agents its `InvokeAzureAgent` actions call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.diagnostics import Location

NOWHERE = Location("")


@dataclass(frozen=True)
class Invocation:
    """An `InvokeAzureAgent` action: the agent it calls by name, pinned to a version or not."""

    agent: str
    version: str | None = None
    location: Location = NOWHERE  # where the workflow file names it

    @property
    def label(self) -> str:
        return self.agent if self.version is None else f"{self.agent}@{self.version}"


@dataclass(frozen=True)
class DesiredWorkflow:
    """One workflow agent as its latest version should be, resolved for one environment."""

    name: str
    workflow: str  # the workflow's YAML text, as the file holds it
    workflow_file: str  # where it is kept, relative to the manifest
    invokes: tuple[Invocation, ...] = ()
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    import_id: str | None = None  # an existing workflow agent (by name) to adopt
    location: Location = NOWHERE

    @property
    def address(self) -> str:
        return f"workflow_agent.{self.name}"


@dataclass(frozen=True)
class LiveWorkflow:
    """A workflow agent's latest version as the API returns it, with the agents its YAML
    invokes (read by the dialect; None when its YAML does not parse)."""

    name: str
    version: str
    created_at: int
    description: str | None
    definition: dict[str, Any]
    metadata: dict[str, str]
    invokes: tuple[Invocation, ...] | None = ()
