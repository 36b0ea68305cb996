"""Assemble the emulator: the Azure routes, the control endpoints and the gateway in front."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from reconciler.emulator.assistants.gateway import AssistantsSurface
from reconciler.emulator.assistants.routes import ROUTES
from reconciler.emulator.core.db import CursorError, Database
from reconciler.emulator.core.errors import (
    RESOURCE_NOT_FOUND,
    ApiError,
    GatewayError,
    bad_request,
    cursor_error,
)
from reconciler.emulator.core.faults import Faults, FaultSettings
from reconciler.emulator.core.gateway import Access, Gateway, Surface
from reconciler.emulator.core.state import Options, State
from reconciler.emulator.core.stats import Stats
from reconciler.emulator.foundry import openai_routes as foundry_openai
from reconciler.emulator.foundry import registry as foundry_registry
from reconciler.emulator.foundry import resource_routes as foundry_resources
from reconciler.emulator.foundry import routes as foundry_agents
from reconciler.emulator.foundry.gateway import FoundrySurface
from reconciler.emulator.foundry.state import Foundry, FoundryOptions


@dataclass
class Emulator:
    """One emulator instance: its state, faults and counters, all inspectable by tests."""

    state: State
    access: Access = field(default_factory=Access)
    faults: Faults = field(default_factory=Faults)
    stats: Stats = field(default_factory=Stats)
    foundry: FoundryOptions = field(default_factory=FoundryOptions)

    @classmethod
    def create(  # noqa: PLR0913 - one keyword per part of the emulator a test may set
        cls,
        db: str = ":memory:",
        *,
        options: Options | None = None,
        api_key: str | None = None,
        faults: FaultSettings | None = None,
        access: Access | None = None,
        token: str | None = None,
        foundry: FoundryOptions | None = None,
    ) -> Emulator:
        """An emulator; `api_key` and `token` alone are short for `access=Access(...)`."""
        state = State(Database(db), options or Options())
        chosen = access or Access(api_key, token)
        return cls(state, chosen, Faults(faults), foundry=foundry or FoundryOptions())

    def reset(self) -> None:
        self.state.db.clear()
        self.stats.clear()

    def app(self) -> ASGIApp:
        control = [
            Route("/_emulator/stats", self._stats, methods=["GET"]),
            Route("/_emulator/stats/wait", self._wait, methods=["GET"]),
            Route("/_emulator/reset", self._reset, methods=["POST"]),
            Route("/_emulator/faults", self._get_faults, methods=["GET"]),
            Route("/_emulator/faults", self._put_faults, methods=["PUT"]),
            *foundry_resources.CONTROL,
            *foundry_registry.CONTROL,
        ]
        handlers = {ApiError: _api_error, HTTPException: _http_error, CursorError: _cursor_error}
        foundry: list[BaseRoute] = [
            *foundry_agents.ROUTES,
            *foundry_openai.ROUTES,
            *foundry_resources.ROUTES,
        ]
        starlette = Starlette(routes=[*ROUTES, *foundry, *control], exception_handlers=handlers)
        starlette.state.store = self.state
        starlette.state.foundry = Foundry(self.state, self.foundry)
        # Foundry owns /api/projects/...; the assistants family, last, every other path.
        surfaces: list[Surface] = [FoundrySurface(foundry), AssistantsSurface(ROUTES)]
        return Gateway(starlette, surfaces, self.access, self.faults, self.stats)

    async def _stats(self, request: Request) -> Response:
        return JSONResponse(self.stats.snapshot())

    async def _wait(self, request: Request) -> Response:
        """Answers once `route` (a stats key) was requested `count` times (default 1) and, with
        `idle=true`, no request is in flight; 408 when that has not happened within `timeout`
        seconds (at most 60)."""
        query = request.query_params
        try:
            timeout = min(float(query.get("timeout", "10")), 60.0)
            count = int(query.get("count", "1"))
        except ValueError:
            raise bad_request("timeout is a number of seconds, count a whole number") from None
        idle = query.get("idle", "false").lower() == "true"
        reached = await self.stats.reached(query.get("route"), idle, timeout, count)
        return JSONResponse(self.stats.snapshot(), status_code=200 if reached else 408)

    async def _reset(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"reset": True})

    async def _get_faults(self, request: Request) -> Response:
        return JSONResponse(self.faults.settings.model_dump())

    async def _put_faults(self, request: Request) -> Response:
        try:
            changes = json.loads(await request.body())
            if not isinstance(changes, dict):
                raise bad_request("Fault settings must be a JSON object.")
            return JSONResponse(self.faults.update(changes).model_dump())
        except (ValueError, ValidationError) as error:
            raise bad_request(f"Invalid fault settings: {error}") from None


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _http_error(request: Request, error: Exception) -> Response:
    # Starlette raises these for malformed multipart bodies and unrouted paths.
    assert isinstance(error, HTTPException)
    if error.status_code == 400:
        return await _api_error(request, bad_request(f"Invalid request body: {error.detail}"))
    message = RESOURCE_NOT_FOUND if error.status_code == 404 else str(error.detail)
    return await _api_error(request, GatewayError(error.status_code, message))


async def _cursor_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, CursorError)
    return await _api_error(request, cursor_error(error))
