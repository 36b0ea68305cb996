"""Responses of a project against a model deployment or an agent: state and rules.

A response runs the deterministic model (model.py) on its context: the chain of earlier
responses through `previous_response_id`, or the items of `conversation`, then its `input`.
It is stored (unless `store: false`, then it cannot be retrieved) with the context it ended
with, so a later response can continue from it; with a conversation, its input and output items
are appended to it. A chain whose last response called functions needs a
`function_call_output` for each call. The model must be a deployment of the project.

With an agent reference (agent_reference.py), the agent version's model, instructions, tools and
tool choice run the turn, its `structured_inputs` placeholders bound (structured_inputs.py).
`stream: true` answers the same response as events (stream.py); `background: true` answers it
`queued` and lets retrieves move it on (background.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import NotFoundError, bad_request
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import agent_reference, conversations, response_input
from reconciler.emulator.foundry import structured_inputs as inputs
from reconciler.emulator.foundry.hosted import Tools
from reconciler.emulator.foundry.model import Turn, answer, limit, usage
from reconciler.emulator.foundry.state import Foundry

RESPONSE = "foundry.response"
HISTORY = "_history"  # the context a response ended with: kept, never shown
INPUT = "_input"  # the request's input items, for GET /responses/{id}/input_items
HIDDEN = (HISTORY, INPUT, "_done", "_append")  # and background.py's


@dataclass
class Outcome:
    """A turn's result: the response, the record kept of it (None: `store` is false) and the
    items its conversation gains."""

    response: Json
    record: Json | None
    conversation: str | None
    items: list[Json] = field(default_factory=list)


def run(fd: Foundry, raw: Any) -> Outcome:
    """One turn, not yet saved."""
    body = _settings(fd, response_input.checked(fd, raw))
    history, conversation = _context(fd, body)
    items = response_input.items(body.get("input"))
    _check_outputs(history, items)
    tools = body.get("tools") or []
    text_format = (body.get("text") or {}).get("format")
    turn = Turn(history, items, tools, body.get("tool_choice", "auto"), text_format)
    output = answer(turn, Tools(fd, tools, list(body.get("include") or [])))
    response = _response(fd, body, output, conversation)
    cap = body.get("max_output_tokens")
    if cap is not None and limit(output, cap):
        response.update(status="incomplete", incomplete_details={"reason": "max_output_tokens"})
    response["usage"] = usage(turn, output)
    record = {**response, HISTORY: [*history, *items, *output], INPUT: items}
    kept = record if body.get("store", True) is not False else None
    return Outcome(response, kept, conversation, [*items, *output])


def save(fd: Foundry, outcome: Outcome) -> None:
    """Keep the response (when stored) and add its items to its conversation."""
    with fd.state.db.transaction():
        if outcome.conversation is not None and outcome.items:
            conversations.append(fd, outcome.conversation, outcome.items)
        if outcome.record is not None:
            fd.state.db.insert(RESPONSE, fd.scope(), outcome.record)


def create(fd: Foundry, raw: Any) -> Json:
    outcome = run(fd, raw)
    save(fd, outcome)
    return outcome.response


def get(fd: Foundry, response_id: str) -> Json:
    return shown(stored(fd, response_id))


def shown(found: Json) -> Json:
    return {k: v for k, v in found.items() if k not in HIDDEN}


def page_input(fd: Foundry, response_id: str, query: PageQuery) -> Page:
    """The items this response was given (not those of earlier turns), newest first by default."""
    items: list[Json] = stored(fd, response_id)[INPUT]
    return page_items(items, query)


def delete(fd: Foundry, response_id: str) -> Json:
    with fd.state.db.transaction():
        stored(fd, response_id)
        fd.state.db.delete(RESPONSE, fd.scope(), response_id)
    return {"id": response_id, "object": "response.deleted", "deleted": True}


def stored(fd: Foundry, response_id: str, param: str | None = None) -> Json:
    found = fd.state.db.get(RESPONSE, fd.scope(), response_id)
    if found is None:
        error = NotFoundError(f"Response with id '{response_id[:128]}' not found.")
        error.code, error.param = "not_found", param
        raise error
    return found


def _settings(fd: Foundry, body: Json) -> Json:
    """The request as the model runs it: an agent's settings in, placeholders bound."""
    agent = agent_reference.resolve(fd, body)
    declared = agent.inputs if agent is not None else {}
    if agent is not None:  # the agent's version decides what the request would otherwise
        settings: Json = {"model": agent.model, "instructions": agent.instructions}
        settings["text"] = agent.text or body.get("text")
        body = {**body, **settings, "tools": agent.tools, "tool_choice": agent.tool_choice}
        body["agent_reference"] = agent.reference
    bound = inputs.values(declared, body.get("structured_inputs"))
    body = {**body, **inputs.bind({k: body.get(k) for k in ("instructions", "tools")}, bound)}
    response_input.check_tools(body.get("tools"))
    response_input.check_model(fd, body["model"])
    return body


def _context(fd: Foundry, body: Json) -> tuple[list[Json], str | None]:
    previous = body.get("previous_response_id")
    if previous:
        history: list[Json] = stored(fd, str(previous), "previous_response_id")[HISTORY]
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


def _response(fd: Foundry, body: Json, output: list[Json], conversation: str | None) -> Json:
    response = {
        "id": new_id("resp_"),
        "object": "response",
        "created_at": fd.now(),
        "status": "completed",
        "background": bool(body.get("background")),
        "model": body["model"],
        "instructions": body.get("instructions"),
        "output": output,
        "usage": None,
        "error": None,
        "incomplete_details": None,
        "max_output_tokens": body.get("max_output_tokens"),
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
    if body.get("agent_reference") is not None:
        response["agent_reference"] = body["agent_reference"]
    return response
