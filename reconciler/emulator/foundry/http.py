"""What the Foundry route modules share: the request's project view, bodies and responses."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from reconciler.emulator.core.db import Json, Page
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.listing import list_body
from reconciler.emulator.core.web import json_body
from reconciler.emulator.foundry.state import Foundry

PROJECT = "/api/projects/{project}"
# The v1 routes' JSON reader: an empty body is {}, bad JSON the service's 400.
body_of = json_body


def foundry(request: Request) -> Foundry:
    """The Foundry state, seen from the project named in the path."""
    shared: Foundry = request.app.state.foundry
    return shared.at(str(request.path_params["project"]))


def param(request: Request, name: str) -> str:
    return str(request.path_params[name])


def flag(request: Request, name: str) -> bool:
    """A boolean query parameter (`true`/`false`, default false)."""
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false"):
        message = f"Invalid value: '{raw[:64]}'. Supported values are: 'true' and 'false'."
        raise bad_request(message, name, "invalid_value")
    return raw == "true"


def ok(body: Json, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, headers=headers)


def paged(page: Page, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(list_body(page), headers=headers)
