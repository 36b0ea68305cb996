"""What every route handler shares: the store, the JSON body, and the response shapes."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.emulator.core.db import Json, Page
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.listing import list_body
from reconciler.emulator.core.state import State

PARSE_ERROR = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
    "your HTTP library correctly. The API expects a JSON payload, but what was sent was not valid JSON.)"
)


def state_of(request: Request) -> State:
    state: State = request.app.state.store
    return state


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise bad_request(PARSE_ERROR) from None


def ok(body: Json, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, headers=headers)


def paged(page: Page, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(list_body(page), headers=headers)


def path_param(request: Request, name: str) -> str:
    return str(request.path_params[name])


def event_stream(body: bytes) -> Response:
    """Server-Sent Events; sent whole, since the emulated run has no time to wait for."""
    return Response(body, media_type="text/event-stream", headers={"cache-control": "no-cache"})
