"""The one gateway in front of every API family: routing, auth, stats, latency and faults.

A plain ASGI middleware, so it sees every request before Starlette does and can drop the
connection outright, as a network fault would. What differs between families (which paths they
own, their api-versions and credentials, the shape of their errors) is each family's `Surface`;
the pipeline (count, admit, hold, fault or serve) is this module's, once.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs, parse_qsl, urlencode

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.emulator.core.errors import (
    ACCESS_DENIED,
    KEYS_DISABLED,
    RESOURCE_NOT_FOUND,
    TOKEN_DENIED,
    ApiError,
    GatewayError,
)
from reconciler.emulator.core.faults import Fault, Faults
from reconciler.emulator.core.stats import Stats

CONTROL_PREFIX = "/_emulator"
UNMATCHED = "(unmatched)"
METHOD_NOT_ALLOWED = "Method not allowed"
# A path the real service may well serve and the emulator does not: not the 404 of a missing
# object, so a client's get-or-create never reads a gap of the emulator as absence. 501 is
# retried by neither azure-core (it retries 408, 429, 500, 502-504) nor, given
# `x-should-retry: false`, the openai client (which otherwise retries every 5xx).
NOT_SERVED = 501
NOT_SERVED_CODE = "not_implemented_by_emulator"
NOT_SERVED_HEADERS = {"x-should-retry": "false"}


class ConnectionDroppedError(ConnectionError):
    """Raised where the server gives no socket to abort (an in-process ASGI transport)."""


@dataclass(frozen=True)
class Access:
    """Who may call.

    With neither `api_key` nor `token` set, any non-empty key or bearer token (a local
    playground). Once either is set, each kind of credential must match its own setting, and a
    kind that was not set is refused: a key never stands in for a token or the other way round.
    `local_auth=False` is Azure's `disableLocalAuth`: every key is refused with a 403.
    """

    api_key: str | None = None
    token: str | None = None
    local_auth: bool = True

    @property
    def open(self) -> bool:
        return self.api_key is None and self.token is None

    def check(self, headers: dict[str, str]) -> None:
        """Raise the gateway's 401 or 403 unless the request's credential is accepted."""
        # Clients given a key send it as both `api-key` and a bearer token: `api-key` wins.
        if "api-key" in headers:
            if not self.local_auth:
                raise GatewayError(403, KEYS_DISABLED, code="AuthenticationTypeDisabled")
            if not _matches(headers["api-key"], self.api_key, self.open):
                raise GatewayError(401, ACCESS_DENIED)
            return
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise GatewayError(401, ACCESS_DENIED)  # no credential at all
        if not _matches(token.strip(), self.token, self.open):
            raise GatewayError(401, TOKEN_DENIED)


def _matches(given: str, expected: str | None, open_access: bool) -> bool:
    return bool(given) and (given == expected or (open_access and expected is None))


class Surface(Protocol):
    """One API family as the gateway sees it: the paths it owns, its routes and its rules."""

    @property
    def prefix(self) -> str:
        """The family owns the paths that start with this ("" owns every path)."""
        ...

    @property
    def routes(self) -> Sequence[BaseRoute]: ...

    def unrouted(self, scope: Scope, status: int, message: str) -> ApiError:
        """The family's 404 (no route) or 405 (a route, not for this method).

        A family whose real service serves more than the emulator does answers the 404 case
        with `not_served` instead (status `NOT_SERVED`, code `NOT_SERVED_CODE`).
        """
        ...

    def admit(self, scope: Scope, headers: dict[str, str], access: Access) -> None:
        """Raise the family's error unless a routed request may go on (version, credential)."""
        ...

    def fault_error(self, scope: Scope, fault: Fault, retry_after_ms: int) -> ApiError:
        """The response of an injected 429 or 500, in the family's error shape."""
        ...


class Gateway:
    """Each request goes to the first surface whose prefix its path starts with."""

    def __init__(
        self,
        app: ASGIApp,
        surfaces: Sequence[Surface],
        access: Access,
        faults: Faults,
        stats: Stats,
    ) -> None:
        self.app, self.surfaces, self.access, self.faults, self.stats = (
            app,
            surfaces,
            access,
            faults,
            stats,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        surface = next(s for s in self.surfaces if scope["path"].startswith(s.prefix))
        template = _template(surface.routes, scope)
        self.stats.count(f"{scope['method']} {template or UNMATCHED}")
        try:
            await self._handle(surface, template, scope, receive, send)
        finally:
            self.stats.done()

    async def _handle(
        self, surface: Surface, template: str | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        try:
            if template is None:
                raise _unrouted(surface, scope)
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            surface.admit(scope, headers, self.access)
        except ApiError as error:
            await send_error(send, error)
            return
        await self._serve(surface, scope, receive, send)

    async def _serve(self, surface: Surface, scope: Scope, receive: Receive, send: Send) -> None:
        fault, settings = self.faults.draw(), self.faults.settings
        held = Held(send, settings.latency_ms / 1000)
        if settings.ignore_before:
            scope = without_before(scope)
        if fault in (Fault.THROTTLE, Fault.SERVER_ERROR):
            await send_error(held, surface.fault_error(scope, fault, settings.retry_after_ms))
        elif fault is Fault.DROP:
            await held.due()
            await drop(send)
        elif fault is Fault.LOST:
            await self.app(scope, receive, _discard)
            await held.due()
            await drop(send)
        else:
            await self.app(scope, receive, held)


def _template(routes: Sequence[BaseRoute], scope: Scope) -> str | None:
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path", UNMATCHED))
    return None


def _unrouted(surface: Surface, scope: Scope) -> ApiError:
    if any(route.matches(scope)[0] is Match.PARTIAL for route in surface.routes):
        return surface.unrouted(scope, 405, METHOD_NOT_ALLOWED)
    return surface.unrouted(scope, 404, RESOURCE_NOT_FOUND)


def not_served(scope: Scope) -> str:
    """The message of a request the emulator has no route for (README, "Routes not served")."""
    return (
        f"The emulator does not serve {scope['method']} {scope['path']}: this is a gap of the "
        "emulator, not a missing object."
    )


def api_version(scope: Scope) -> str | None:
    """The request's first `api-version` query parameter, if it has one."""
    versions = parse_qs(scope["query_string"].decode("latin-1")).get("api-version")
    return versions[0] if versions else None


class Held:
    """A response held back until `latency` has passed since its request arrived. The request is
    handled meanwhile, so the response leaves one latency after the request came, as a remote
    service's would, whatever this process spent on it; a handling that takes longer than the
    latency answers as soon as it is done. A dropped connection waits out the latency too."""

    def __init__(self, send: Send, latency: float) -> None:
        self._send, self._at = send, time.monotonic() + latency

    async def due(self) -> None:
        if (left := self._at - time.monotonic()) > 0:
            await asyncio.sleep(left)

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self.due()
        await self._send(message)


def without_before(scope: Scope) -> Scope:
    """The request as if its query had no `before` (every other parameter kept, in order)."""
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    kept = [(name, value) for name, value in query if name != "before"]
    return {**scope, "query_string": urlencode(kept).encode("latin-1")}


SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"


def throttled(retry_after_ms: int) -> GatewayError:
    seconds = max(1, -(-retry_after_ms // 1000))
    message = (
        "Requests to the Assistants API have exceeded the rate limit of your current tier. "
        f"Please retry after {seconds} seconds."
    )
    headers = {"Retry-After": str(seconds), "retry-after-ms": str(retry_after_ms)}
    return GatewayError(429, message, headers)


async def send_error(send: Send, error: ApiError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def drop(send: Send) -> None:
    """Close the client's connection without a byte of response."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionDroppedError("emulated dropped connection")
    transport.abort()
    await asyncio.sleep(0)  # let the server see the connection is gone before the app returns


async def _discard(message: Message) -> None:
    """Swallow a response that is lost on the way back."""
