"""A Foundry toolbox as a manifest declares it (resolved for one environment) and as the API
serves it (azure-ai-projects 2.10 `ToolboxObject`, `ToolboxVersionObject`).

A toolbox's versions are immutable; `default_version` names the one its MCP endpoint
(`{project}/toolboxes/{name}/mcp?api-version=v1`) serves, so that is the version a plan compares
with the manifest. Our marks travel in each version's metadata, as an agent's do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.core.state import Key
from reconciler.core.tools.base import DesiredTool
from reconciler.diagnostics import Location

NAME = "toolbox"
NOWHERE = Location("")


@dataclass(frozen=True)
class ToolboxTool:
    """One tool of a toolbox: an agent tool's object (core/tools/), and the toolbox's own
    `name` and `description` for it (a toolbox tells its tools apart by `name`, an MCP
    server's by `server_label`)."""

    tool: DesiredTool
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class DesiredToolbox:
    name: str
    description: str | None = None
    tools: tuple[ToolboxTool, ...] = ()
    skills: tuple[dict[str, Any], ...] = ()  # {type: skill_reference, name, version?}
    rai_config: dict[str, Any] | None = None  # policies.rai_config: {rai_policy_name}
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    import_id: str | None = None  # a toolbox no project manages, to adopt (by name)
    location: Location = NOWHERE

    @property
    def address(self) -> str:
        return f"{NAME}.{self.name}"


@dataclass(frozen=True)
class LiveToolboxVersion:
    version: str  # "1", "2", ...
    created_at: int
    description: str | None
    tools: tuple[dict[str, Any], ...]
    skills: tuple[dict[str, Any], ...]
    policies: dict[str, Any] | None
    metadata: dict[str, str]


@dataclass(frozen=True)
class LiveToolbox:
    """A toolbox: the version its endpoint serves (`default_version`), its latest version, and
    that endpoint's URL (what an agent's tool points at)."""

    name: str
    default: LiveToolboxVersion
    latest: LiveToolboxVersion
    mcp_url: str


DESIRED: Key[DesiredToolbox] = Key(NAME)
LIVE: Key[LiveToolbox] = Key(NAME)
