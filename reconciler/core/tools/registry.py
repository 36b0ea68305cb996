"""The agent tool types, one line each: a new type is its module and a line here.

Live tools of a type no module knows (made in the portal, preview, or newer than this
reconciler) are read by the escape hatch's rules (verbatim.py): kept as they are, compared as
data, drafted by import as `type: verbatim`, and whatever files or stores they carry in the usual
places count as held and referenced, so that nothing they use is deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reconciler.core.tools.a2a import A2AType
from reconciler.core.tools.azure_ai_search import AzureAISearchType
from reconciler.core.tools.azure_function import AzureFunctionType
from reconciler.core.tools.base import Held, ToolType, Wire
from reconciler.core.tools.bing_grounding import BingGroundingType
from reconciler.core.tools.capture_structured_outputs import CaptureStructuredOutputsType
from reconciler.core.tools.code_interpreter import CodeInterpreterType
from reconciler.core.tools.file_search import FileSearchType
from reconciler.core.tools.function import FunctionType
from reconciler.core.tools.mcp import McpType
from reconciler.core.tools.openapi import OpenApiType
from reconciler.core.tools.toolbox import ToolboxRefType
from reconciler.core.tools.verbatim import VerbatimType
from reconciler.core.tools.web_search import WebSearchType

TOOL_TYPES: dict[str, ToolType] = {}


def register(tool_type: ToolType) -> None:
    if tool_type.name in TOOL_TYPES:
        raise ValueError(f"tool type {tool_type.name!r} is registered already")
    TOOL_TYPES[tool_type.name] = tool_type


@contextmanager
def registered(tool_type: ToolType) -> Iterator[ToolType]:
    """A tool type registered for a while (a test's throwaway type)."""
    register(tool_type)
    try:
        yield tool_type
    finally:
        del TOOL_TYPES[tool_type.name]


register(FunctionType())
register(CodeInterpreterType())
register(FileSearchType())
register(McpType())
register(OpenApiType())
register(AzureAISearchType())
register(BingGroundingType())
register(WebSearchType())
register(AzureFunctionType())
register(A2AType())
register(CaptureStructuredOutputsType())
register(TOOLBOX := ToolboxRefType())
VERBATIM = VerbatimType(TOOL_TYPES)  # the escape hatch: it refuses the types registered here
register(VERBATIM)


# Live tools of a type no module claims are read by the escape hatch's rules (verbatim.py).
UNKNOWN = VERBATIM


# Types that read live tools of another wire type as their own (a toolbox is an MCP tool).
CLAIMING = (TOOLBOX,)


def tool_type(tool: dict[str, Any]) -> ToolType:
    """The type of a wire tool, or the unknown type's rules."""
    claimed = next((t for t in CLAIMING if t.claims(tool)), None)
    return claimed or TOOL_TYPES.get(str(tool.get("type")), UNKNOWN)


def tools_of(definition: dict[str, Any]) -> list[Wire]:
    return list(definition.get("tools") or [])


def held(definition: dict[str, Any]) -> Held:
    """Every upload and store an agent definition's tools hold."""
    found = [tool_type(t).held(t) for t in tools_of(definition)]
    files = dict.fromkeys(i for h in found for i in h.files)
    others = tuple(dict.fromkeys(a for h in found for a in h.others))
    return Held(tuple(files), tuple(dict.fromkeys(i for h in found for i in h.stores)), others)


def references(essence: dict[str, Any]) -> set[str]:
    """The addresses an agent essence's tools reference (files and stores by name)."""
    tools = essence.get("definition", {}).get("tools", [])
    return set().union(*(tool_type(t).references(t) for t in tools))
