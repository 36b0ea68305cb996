"""Responses of a project against a model deployment name: state and rules (non-streaming).

A response runs the deterministic model (model.py) on its context: the chain of earlier
responses through `previous_response_id`, or the items of `conversation`, then its `input`.
It is stored (unless `store: false`) with the context it ended with, so a later response can
continue from it; with a conversation, its input and output items are appended to it. A chain
whose last response called functions needs a `function_call_output` for each call.

With an agent reference (agent_reference.py), the agent version's model, instructions, tools and
tool choice run the turn. Not served yet, answered 501 `not_implemented_by_emulator` like a
route the emulator lacks: `stream` and `background`.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import NotFoundError, ServiceError, bad_request
from reconciler.emulator.core.gateway import NOT_SERVED, NOT_SERVED_CODE, NOT_SERVED_HEADERS
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import agent_reference, conversations
from reconciler.emulator.foundry.conversation_items import stored_item
from reconciler.emulator.foundry.model import Turn, answer, usage
from reconciler.emulator.foundry.state import Foundry

RESPONSE = "foundry.response"
HISTORY = "_history"  # the context a response ended with: kept, never shown
INPUT = "_input"  # the request's input items, for GET /responses/{id}/input_items
UNSERVED = ("stream", "background")


def create(fd: Foundry, raw: Any) -> Json:
    body = _body(raw)
    agent = agent_reference.resolve(fd, body)
    if agent is not None:  # the agent's version decides what the request would otherwise
        settings = {"model": agent.model, "instructions": agent.instructions}
        body = {**body, **settings, "tools": agent.tools, "tool_choice": agent.tool_choice}
    history, conversation = _context(fd, body)
    items = _input(body.get("input"))
    _check_outputs(history, items)
    tools = body.get("tools") or []
    turn = Turn(history, items, tools, body.get("tool_choice", "auto"))
    output = answer(turn)
    response = _response(fd, body, output, usage(turn, output), conversation)
    if agent is not None:
        response["agent_reference"] = agent.reference
    with fd.state.db.transaction():
        if body.get("store", True) is not False:
            stored = {**response, HISTORY: [*history, *items, *output], INPUT: items}
            fd.state.db.insert(RESPONSE, fd.scope(), stored)
        if conversation is not None:
            conversations.append(fd, conversation, [*items, *output])
    return response


def get(fd: Foundry, response_id: str) -> Json:
    return {k: v for k, v in _stored(fd, response_id).items() if k not in (HISTORY, INPUT)}


def page_input(fd: Foundry, response_id: str, query: PageQuery) -> Page:
    """The items this response was given (not those of earlier turns), newest first by default."""
    items: list[Json] = _stored(fd, response_id)[INPUT]
    return page_items(items, query)


def delete(fd: Foundry, response_id: str) -> Json:
    with fd.state.db.transaction():
        _stored(fd, response_id)
        fd.state.db.delete(RESPONSE, fd.scope(), response_id)
    return {"id": response_id, "object": "response.deleted", "deleted": True}


def _body(raw: Any) -> Json:
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for request body: expected an object.", None, "invalid_type"
        )
    for name in UNSERVED:
        if raw.get(name):
            message = f"The emulator does not serve responses with '{name}' yet."
            unserved = ServiceError(
                NOT_SERVED, message, param=name, code=NOT_SERVED_CODE, kind="not_implemented"
            )
            unserved.headers = dict(NOT_SERVED_HEADERS)
            raise unserved
    named = any(raw.get(name) is not None for name in agent_reference.FIELDS)
    if not named and (not isinstance(raw.get("model"), str) or not raw["model"]):
        raise bad_request(
            "Missing required parameter: 'model'.", "model", "missing_required_parameter"
        )
    if raw.get("previous_response_id") and raw.get("conversation"):
        message = "Mutually exclusive parameters: 'previous_response_id' and 'conversation'."
        raise bad_request(message, "conversation", "invalid_value")
    _check_tools(raw.get("tools"))
    conversations.check_metadata(raw.get("metadata"))
    return raw


def _check_tools(tools: Any) -> None:
    """Tools are objects; a function tool needs a string name, the model calls it by."""
    if tools is None:
        return
    if not isinstance(tools, list) or not all(isinstance(tool, dict) for tool in tools):
        message = "Invalid type for 'tools': expected an array of objects."
        raise bad_request(message, "tools", "invalid_type")
    for index, tool in enumerate(tools):
        if tool.get("type") == "function" and not isinstance(tool.get("name"), str):
            message = f"Missing required parameter: 'tools[{index}].name'."
            raise bad_request(message, f"tools[{index}].name", "missing_required_parameter")


def _context(fd: Foundry, body: Json) -> tuple[list[Json], str | None]:
    previous = body.get("previous_response_id")
    if previous:
        history: list[Json] = _stored(fd, str(previous), "previous_response_id")[HISTORY]
        return history, None
    conversation = body.get("conversation")
    if isinstance(conversation, dict):
        conversation = conversation.get("id")
    if conversation is None:
        return [], None
    if not isinstance(conversation, str):
        raise bad_request(
            "Invalid type for 'conversation': expected a string.", "conversation", "invalid_type"
        )
    return conversations.history(fd, conversation), conversation


def _input(raw: Any) -> list[Json]:
    if isinstance(raw, str):
        return [stored_item({"role": "user", "content": raw}, "input")]
    if not isinstance(raw, list):
        raise bad_request(
            "Invalid type for 'input': expected a string or an array.", "input", "invalid_type"
        )
    return [stored_item(item, f"input[{index}]") for index, item in enumerate(raw)]


def _check_outputs(history: list[Json], items: list[Json]) -> None:
    """Each function call the context ends with must be answered in this input."""
    pending = []
    for item in reversed(history):
        if item["type"] != "function_call":
            break
        pending.append(item["call_id"])
    answered = {item.get("call_id") for item in items if item["type"] == "function_call_output"}
    for call_id in reversed(pending):
        if call_id not in answered:
            raise bad_request(f"No tool output found for function call {call_id}.", "input")


def _response(
    fd: Foundry, body: Json, output: list[Json], counts: Json, conversation: str | None
) -> Json:
    return {
        "id": new_id("resp_"),
        "object": "response",
        "created_at": fd.now(),
        "status": "completed",
        "model": body["model"],
        "instructions": body.get("instructions"),
        "output": output,
        "usage": counts,
        "error": None,
        "incomplete_details": None,
        "previous_response_id": body.get("previous_response_id"),
        "conversation": {"id": conversation} if conversation else None,
        "tools": body.get("tools") or [],
        "tool_choice": body.get("tool_choice", "auto"),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "metadata": body.get("metadata") or {},
        "store": body.get("store", True) is not False,
        "text": body.get("text") or {"format": {"type": "text"}},
        "truncation": body.get("truncation") or "disabled",
    }


def _stored(fd: Foundry, response_id: str, param: str | None = None) -> Json:
    found = fd.state.db.get(RESPONSE, fd.scope(), response_id)
    if found is None:
        error = NotFoundError(f"Response with id '{response_id[:128]}' not found.")
        error.code, error.param = "not_found", param
        raise error
    return found
