"""Assistants and their attached files: two views (``file_ids`` and the file list) of one set."""

from __future__ import annotations

from typing import Any

from reconciler.emulator.assistants.bodies import (
    MAX_FILES_PER_ASSISTANT,
    AssistantCreate,
    AssistantFileCreate,
    AssistantModify,
    FunctionTool,
    RetrievalTool,
)
from reconciler.emulator.assistants.errors import require
from reconciler.emulator.assistants.files import check_file_ids
from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import NotFoundError, bad_request
from reconciler.emulator.core.state import State, new_id

ATTACHMENT = "assistant.file"
_TOP = ""


def create(state: State, body: AssistantCreate) -> Json:
    check_tools(state, body.tools)
    check_file_ids(state, body.file_ids, "file_ids")
    assistant: Json = {
        "id": new_id("asst_"),
        "object": "assistant",
        "created_at": state.now(),
        "name": body.name,
        "description": body.description,
        "model": body.model,
        "instructions": body.instructions,
        "tools": [tool.model_dump(exclude_none=True) for tool in body.tools],
        "metadata": body.metadata or {},
    }
    with state.db.transaction():
        state.db.insert("assistant", _TOP, assistant)
        for file_id in body.file_ids:
            _attach(state, assistant["id"], file_id)
    return get(state, assistant["id"])


def get(state: State, assistant_id: str) -> Json:
    return _with_files(state, [require(state, "assistant", _TOP, assistant_id)])[0]


def page(state: State, query: PageQuery) -> Page:
    found = state.db.page("assistant", _TOP, query)
    return Page(items=_with_files(state, found.items), has_more=found.has_more)


def modify(state: State, assistant_id: str, body: AssistantModify) -> Json:
    fields = body.model_fields_set
    with state.db.transaction():
        assistant = require(state, "assistant", _TOP, assistant_id)
        if body.tools is not None:
            check_tools(state, body.tools)
            assistant["tools"] = [tool.model_dump(exclude_none=True) for tool in body.tools]
        for name in fields & {"name", "description", "instructions"}:
            assistant[name] = getattr(body, name)
        if body.model is not None:
            assistant["model"] = body.model
        if "metadata" in fields:
            assistant["metadata"] = body.metadata or {}
        state.db.replace("assistant", _TOP, assistant)
        if body.file_ids is not None:
            _replace_files(state, assistant_id, body.file_ids)
    return get(state, assistant_id)


def delete(state: State, assistant_id: str) -> Json:
    with state.db.transaction():
        require(state, "assistant", _TOP, assistant_id)
        state.db.delete("assistant", _TOP, assistant_id)
        state.db.delete_where(ATTACHMENT, parent=assistant_id)
    return {"id": assistant_id, "object": "assistant.deleted", "deleted": True}


def attach(state: State, assistant_id: str, body: AssistantFileCreate) -> Json:
    with state.db.transaction():
        require(state, "assistant", _TOP, assistant_id)
        check_file_ids(state, [body.file_id], "file_id")
        attached = state.db.children(ATTACHMENT, assistant_id)
        if any(row["id"] == body.file_id for row in attached):
            message = f"File '{body.file_id}' is already attached to assistant '{assistant_id}'."
            raise bad_request(message, "file_id")
        if len(attached) >= MAX_FILES_PER_ASSISTANT:
            message = f"Assistant '{assistant_id}' already has the maximum of {MAX_FILES_PER_ASSISTANT} files."
            raise bad_request(message, "file_id", "array_above_max_length")
        return _attach(state, assistant_id, body.file_id)


def get_file(state: State, assistant_id: str, file_id: str) -> Json:
    require(state, "assistant", _TOP, assistant_id)
    return _require_attached(state, assistant_id, file_id)


def page_files(state: State, assistant_id: str, query: PageQuery) -> Page:
    require(state, "assistant", _TOP, assistant_id)
    return state.db.page(ATTACHMENT, assistant_id, query)


def unlink(state: State, assistant_id: str, file_id: str) -> Json:
    with state.db.transaction():
        require(state, "assistant", _TOP, assistant_id)
        _require_attached(state, assistant_id, file_id)
        state.db.delete(ATTACHMENT, assistant_id, file_id)
    return {"id": file_id, "object": "assistant.file.deleted", "deleted": True}


def _attach(state: State, assistant_id: str, file_id: str) -> Json:
    row = {
        "id": file_id,
        "object": ATTACHMENT,
        "created_at": state.now(),
        "assistant_id": assistant_id,
    }
    state.db.insert(ATTACHMENT, assistant_id, row)
    return row


def _replace_files(state: State, assistant_id: str, file_ids: list[str]) -> None:
    check_file_ids(state, file_ids, "file_ids")
    current = {row["id"] for row in state.db.children(ATTACHMENT, assistant_id)}
    for file_id in current - set(file_ids):
        state.db.delete(ATTACHMENT, assistant_id, file_id)
    for file_id in file_ids:
        if file_id not in current:
            _attach(state, assistant_id, file_id)


def _require_attached(state: State, assistant_id: str, file_id: str) -> Json:
    row = state.db.get(ATTACHMENT, assistant_id, file_id)
    if row is None:
        raise NotFoundError(
            f"No file found with id '{file_id}' attached to assistant '{assistant_id}'."
        )
    return row


def _with_files(state: State, assistants: list[Json]) -> list[Json]:
    if not assistants:
        return []
    files = state.db.children_of(ATTACHMENT, [a["id"] for a in assistants])
    return [{**a, "file_ids": files[a["id"]], "metadata": a["metadata"]} for a in assistants]


def check_tools(state: State, tools: list[Any]) -> None:
    names: set[str] = set()
    for index, tool in enumerate(tools):
        if isinstance(tool, RetrievalTool) and state.options.reject_retrieval:
            raise bad_request(
                "Retrieval tools are not supported.", f"tools[{index}].type", "invalid_value"
            )
        if isinstance(tool, FunctionTool):
            if tool.function.name in names:
                message = f"Duplicate function name '{tool.function.name}' in tools."
                raise bad_request(message, f"tools[{index}].function.name", "invalid_value")
            names.add(tool.function.name)
