"""The escape hatch: a tool the manifest cannot type, declared verbatim and kept as data.

A preview tool, or one newer than this reconciler, is declared as `type: verbatim` with the
tool exactly as Foundry takes it under `tool:` (AzAPI's `body`, Kubernetes' unstructured
objects). It is sent as written and compared as data with what the service returns: no ids
swapped, no files uploaded, no defaults assumed. Its wire type is one no module claims (a typed
tool is declared by its own type), so the registry's rules for live tools of unknown types
(this module's `VerbatimType`, its fallback) read it on both sides.

Preview tools need their `Foundry-Features` opt-in on create_version (FOUNDRY-FACTS §0): a
definition holding a tool no module claims is sent with the opt-ins azure-ai-projects 2.10
sends with `allow_preview=True` (its `_AGENT_OPERATION_FEATURE_HEADERS`), the SDK's own answer
to "which preview does this definition need", which it sends for GA definitions as well.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Held,
    Knowledge,
    Problem,
    Resolve,
    ToolBase,
    ToolDoc,
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


@dataclass(frozen=True)
class Verbatim:
    wire: Wire

    @property
    def type(self) -> str:
        return str(self.wire["type"])

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        return present(self.wire)

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class VerbatimType(ToolBase):
    """`type: verbatim` in manifests; on the wire, the rules for any type no module claims:
    the tool is itself, and the files and stores it names in the usual places stay alive."""

    name = NAME
    doc = VerbatimDoc

    def __init__(self, typed: Collection[str]) -> None:
        self.typed = typed  # the registry's types (a live view: types registered later count)

    def check(self, doc: VerbatimDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        kind = doc.tool.get("type")
        if not isinstance(kind, str) or not kind:
            return [(("tool",), "a verbatim tool needs its own `type` (a string)")]
        if kind == NAME or kind in self.typed:
            message = f"{kind} is a typed tool: declare it as type: {kind}, not verbatim"
            return [(("tool", "type"), message)]
        return []

    def desired(self, doc: VerbatimDoc, resolve: Resolve) -> Verbatim:
        return Verbatim(dict(doc.tool))

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
