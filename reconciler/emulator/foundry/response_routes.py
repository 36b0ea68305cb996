"""The Responses routes of a project's OpenAI surface: parse, call, serialise.

`create` answers JSON, or with `stream: true` the response's events (stream.py); with
`background: true` (and no stream) the response is queued (background.py).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import event_stream, json_body, ok, paged, path_param
from reconciler.emulator.foundry import background, responses, stream
from reconciler.emulator.foundry.http import PROJECT, foundry
from reconciler.emulator.foundry.state import Foundry


def answer(fd: Foundry, raw: Any) -> Response:
    """A new response, as JSON or as events."""
    outcome = responses.run(fd, raw)
    streamed = isinstance(raw, dict) and raw.get("stream") is True
    if not streamed and raw.get("background"):
        outcome = background.queue(outcome)
    responses.save(fd, outcome)
    return event_stream(stream.encode(outcome.response)) if streamed else ok(outcome.response)


async def create(request: Request) -> Response:
    # In a worker thread: an MCP tool may call a server, which must not stall the event loop
    # (the server may be this emulator). The store is thread-safe (core/db.py).
    return await run_in_threadpool(answer, foundry(request), await json_body(request))


async def retrieve(request: Request) -> Response:
    return ok(background.retrieve(foundry(request), path_param(request, "response_id")))


async def cancel(request: Request) -> Response:
    return ok(background.cancel(foundry(request), path_param(request, "response_id")))


async def list_input_items(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(responses.page_input(foundry(request), path_param(request, "response_id"), query))


async def delete(request: Request) -> Response:
    return ok(responses.delete(foundry(request), path_param(request, "response_id")))


HANDLERS = [
    ("", "POST", create),
    ("/{response_id}", "GET", retrieve),
    ("/{response_id}", "DELETE", delete),
    ("/{response_id}/cancel", "POST", cancel),
    ("/{response_id}/input_items", "GET", list_input_items),
]
_RESPONSES = PROJECT + "/openai/v1/responses"
ROUTES = [Route(_RESPONSES + path, handler, methods=[method]) for path, method, handler in HANDLERS]
