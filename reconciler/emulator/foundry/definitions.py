"""Rules on an agent definition beyond its shape: preview opt-ins, knowledge and references.

Preview kinds (and drafts) need their `Foundry-Features` opt-in, or 403
`preview_feature_required` as the SDK documents; so do the preview toolsets whose opt-in the
SDK names after them (TOOL_OPT_INS: a reading of the SDK's key names, no source pins it down).
A prompt agent may reach at most one vector store (the documented limit, which no spec states),
and with `check_references` every vector store and file its tools name must exist in the project.

An id may instead be a `{{placeholder}}` that the definition's `structured_inputs` declares: it
is bound per conversation, so it is no reference to check (a placeholder the definition does not
declare is refused: nothing could ever bind it). Such a placeholder counts as a store. The
project connections a tool names (tools.py `connection_ids`) are checked the same way for
placeholders; whether a real id exists is the connections' own check.
"""

from __future__ import annotations

import re

from reconciler.emulator.core.errors import ServiceError, bad_request
from reconciler.emulator.foundry.bodies import (
    AgentUpdate,
    AgentVersionCreate,
    AutoContainer,
    CodeInterpreterTool,
    FileSearchTool,
    PromptDefinition,
)
from reconciler.emulator.foundry.errors import check_choice
from reconciler.emulator.foundry.hosting import check_hosted
from reconciler.emulator.foundry.state import Foundry
from reconciler.emulator.foundry.tools import connection_ids
from reconciler.emulator.foundry.workflows import check_workflow

FILE, VECTOR_STORE = "foundry.file", "foundry.vector_store"
KINDS = ("prompt", "hosted", "workflow", "external", "voice")
OPT_INS = {
    "workflow": "WorkflowAgents=V1Preview",
    "external": "ExternalAgents=V1Preview",
    "voice": "VoiceAgents=V1Preview",
    "draft": "DraftAgents=V1Preview",
}
TOOL_OPT_INS = {
    "github_copilot_toolset_preview": "GitHubCopilot=V1Preview",
    "microsoft_copilot_toolset_preview": "MicrosoftCopilot=V1Preview",
}
MAX_VECTOR_STORES = 1
PLACEHOLDER = re.compile(r"^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$")


def check(fd: Foundry, body: AgentUpdate, features: set[str]) -> None:
    kind = body.definition.kind
    check_choice(kind, KINDS, "definition.kind")
    _opt_in(kind, features)
    if isinstance(body, AgentVersionCreate) and body.draft:
        _opt_in("draft", features)
    if kind == "workflow":
        check_workflow(fd, body.definition.model_dump())
    if kind == "hosted":
        check_hosted(body.definition.model_dump())
    if isinstance(body.definition, PromptDefinition):
        for tool in body.definition.tools or []:
            _opt_in(tool.type, features, TOOL_OPT_INS)
        _check_tools(fd, body.definition)


def features_of(header: str | None) -> set[str]:
    """The opt-ins of a `Foundry-Features` header; unknown keys are accepted and ignored."""
    return {part.strip() for part in (header or "").split(",") if part.strip()}


def _opt_in(kind: str, features: set[str], needs: dict[str, str] = OPT_INS) -> None:
    needed = needs.get(kind)
    if needed is not None and needed not in features:
        message = f"This operation requires the preview feature opt-in '{needed}'."
        raise ServiceError(403, message, param="Foundry-Features", code="preview_feature_required")


def _check_tools(fd: Foundry, definition: PromptDefinition) -> None:
    stores: list[str] = []
    bound = set(definition.structured_inputs or {})
    for index, tool in enumerate(definition.tools or []):
        where = f"definition.tools[{index}]"
        if isinstance(tool, FileSearchTool):
            stores += tool.vector_store_ids
            if len(set(stores)) > MAX_VECTOR_STORES:
                message = f"Invalid '{where}.vector_store_ids': an agent can use at most one vector store."
                raise bad_request(message, f"{where}.vector_store_ids", "array_above_max_length")
            ids = _unbound(tool.vector_store_ids, bound, f"{where}.vector_store_ids")
            _exist(fd, VECTOR_STORE, ids, f"{where}.vector_store_ids")
        if isinstance(tool, CodeInterpreterTool) and isinstance(tool.container, AutoContainer):
            ids = _unbound(tool.container.file_ids, bound, f"{where}.container.file_ids")
            _exist(fd, FILE, ids, f"{where}.container.file_ids")
        for at, connection in connection_ids(tool):
            _unbound([connection], bound, f"{where}.{at}")


def _unbound(ids: list[str], bound: set[str], param: str) -> list[str]:
    """The ids that are no placeholder; a placeholder structured_inputs does not declare is a 400."""
    kept = []
    for value in ids:
        match = PLACEHOLDER.match(value)
        if match is None:
            kept.append(value)
        elif match.group(1) not in bound:
            message = (
                f"Invalid '{param}': placeholder '{value}' names no input of "
                "'definition.structured_inputs'."
            )
            raise bad_request(message, param, "invalid_value")
    return kept


def _exist(fd: Foundry, kind: str, ids: list[str], param: str) -> None:
    if not fd.options.check_references:
        return
    what = "vector store" if kind == VECTOR_STORE else "file"
    for object_id in ids:
        if fd.state.db.get(kind, fd.scope(), object_id) is None:
            message = f"Invalid '{param}': no {what} found with id '{object_id}' in this project."
            raise bad_request(message, param, "invalid_value")
