"""The toolbox kind (Foundry): a named, versioned bundle of tools that agents reach through one
MCP endpoint, and whose `default_version` says which version that endpoint serves."""

from reconciler.core.kinds.toolbox.kind import ToolboxKind
from reconciler.core.kinds.toolbox.types import (
    DESIRED,
    LIVE,
    NAME,
    DesiredToolbox,
    LiveToolbox,
    LiveToolboxVersion,
    ToolboxTool,
)

__all__ = [
    "DESIRED",
    "LIVE",
    "NAME",
    "DesiredToolbox",
    "LiveToolbox",
    "LiveToolboxVersion",
    "ToolboxKind",
    "ToolboxTool",
]
