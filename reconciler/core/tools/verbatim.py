"""The escape hatch: a tool the manifest cannot type, declared verbatim and kept as data.

A preview tool, or one newer than this reconciler, is declared as `type: verbatim` with the
tool exactly as Foundry takes it under `tool:` (AzAPI's `body`, Kubernetes' unstructured
objects). It is sent as written and compared as data with what the service returns: no ids
swapped, no files uploaded, no defaults assumed. A type no module claims is read by the
registry's rules for live tools of unknown types (this module's `VerbatimType`, its fallback) on
both sides.

A tool of a typed type whose shape its typed entry cannot say (a code interpreter's container by
id, a search's ranking options, an MCP option newer than its module) is declared verbatim too:
its module reads the entry (`ToolType.loose`) as it reads the live tool, so connections stay by
name and secrets by variable (`{env: NAME}`), and the comparison is its module's. That is what
`import` writes rather than refuse an agent for a tool (`ToolType.verbatim`).

Preview tools need their `Foundry-Features` opt-in on create_version (FOUNDRY-FACTS §0): a
definition holding a tool no module claims is sent with the opt-ins azure-ai-projects 2.10
sends with `allow_preview=True` (its `_AGENT_OPERATION_FEATURE_HEADERS`), the SDK's own answer
to "which preview does this definition need", which it sends for GA definitions as well.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import Field

from reconciler.core.tools.base import (
    AsWritten,
    Checks,
    DesiredTool,
    Drafting,
    Held,
    Problem,
    Resolve,
    ToolBase,
    ToolDoc,
    ToolType,
    Wire,
    present,
)

NAME = "verbatim"
# azure-ai-projects 2.10.0 models/_patch.py _AGENT_OPERATION_FEATURE_HEADERS, in its order.
PREVIEW_FEATURES = ",".join(
    f"{key}=V1Preview"
    for key in (
        "WorkflowAgents",
        "ExternalAgents",
        "DraftAgents",
        "VoiceAgents",
        "DigitalWorker",
        "GitHubCopilot",
        "Skills",
        "MicrosoftCopilot",
        "ModelRouterControls",
    )
)


class VerbatimDoc(ToolDoc):
    """A tool declared as Foundry takes it: the escape hatch for preview and unknown types."""

    type: Literal["verbatim"]
    tool: dict[str, Any] = Field(
        description="The tool exactly as Foundry takes it (its own `type` and fields): sent as "
        "written, compared as data. For tool types no typed entry covers (preview ones get the "
        "Foundry-Features opt-in)."
    )


class VerbatimType(ToolBase):
    """`type: verbatim` in manifests; on the wire, the rules for any type no module claims:
    the tool is itself, and the files and stores it names in the usual places stay alive."""

    name = NAME
    doc = VerbatimDoc

    def __init__(self, typed: Mapping[str, ToolType]) -> None:
        self.typed = typed  # the registry's types (a live view: types registered later count)

    def check(self, doc: VerbatimDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        kind = doc.tool.get("type")
        if not isinstance(kind, str) or not kind:
            return [(("tool",), "a verbatim tool needs its own `type` (a string)")]
        if kind == NAME:
            return [(("tool", "type"), "a verbatim tool's type is the tool's own, not verbatim")]
        return []

    def desired(self, doc: VerbatimDoc, resolve: Resolve) -> DesiredTool:
        """A typed type's tool as its module reads a verbatim entry; any other as written."""
        claimed = self.typed.get(str(doc.tool.get("type")))
        if claimed is not None and claimed is not self:
            return claimed.loose(dict(doc.tool), resolve)
        return AsWritten(present(doc.tool))

    def references(self, tool: Wire) -> set[str]:
        held = self.held(tool)
        return {f"file.{i}" for i in held.files} | {f"vector_store.{i}" for i in held.stores}

    def held(self, tool: Wire) -> Held:
        container = tool.get("container")
        files = container.get("file_ids") or [] if isinstance(container, dict) else []
        stores = tool.get("vector_store_ids") or []
        return Held(tuple(dict.fromkeys(files)), tuple(dict.fromkeys(stores)))

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        drafting.notes.append(
            f"{drafting.agent}: its {tool.get('type')} tool is written verbatim (type: verbatim):"
            " sent as written and compared as data"
        )
        return {"type": NAME, "tool": present(tool)}


def preview_features(definition: Mapping[str, Any], typed: Collection[str]) -> str | None:
    """The `Foundry-Features` value a definition is sent with: the SDK's preview opt-ins when
    it holds a tool of a type no module claims (`typed`), else none (GA needs none)."""
    tools = definition.get("tools") or []
    return PREVIEW_FEATURES if any(t.get("type") not in typed for t in tools) else None
