"""What the Foundry route modules share beyond core/web.py: the project in the path, flags."""

from __future__ import annotations

from starlette.requests import Request

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.foundry.state import Foundry

PROJECT = "/api/projects/{project}"


def foundry(request: Request) -> Foundry:
    """The Foundry state, seen from the project named in the path."""
    shared: Foundry = request.app.state.foundry
    return shared.at(str(request.path_params["project"]))


def flag(request: Request, name: str) -> bool:
    """A boolean query parameter (`true`/`false`, default false)."""
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false"):
        message = f"Invalid value: '{raw[:64]}'. Supported values are: 'true' and 'false'."
        raise bad_request(message, name, "invalid_value")
    return raw == "true"
