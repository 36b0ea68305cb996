"""The gateway in front of the Foundry data plane, the v1 gateway's sibling.

It takes every request under /api/projects/ and hands the rest to the v1 gateway. Its rules
(FOUNDRY-FACTS §0): Entra ID only, so a non-empty bearer token (`--token`: that one) and never
an `api-key`; `api-version=v1` required on the agents routes and ignored on the OpenAI routes.
Stats, latency and faults are the v1 gateway's own, with errors in the shape of the route hit.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.emulator.core.errors import ApiError, ServiceError
from reconciler.emulator.core.faults import Fault, Faults
from reconciler.emulator.core.gateway import SERVER_ERROR, Access, Gateway, Stats, throttled
from reconciler.emulator.foundry.errors import AgentError

PREFIX = "/api/projects/"
API_VERSIONS = ("v1",)
_OPENAI_SEGMENTS = ("openai", "files", "vector_stores")


class FoundryGateway(Gateway):
    def __init__(
        self,
        app: ASGIApp,
        routes: list[BaseRoute],
        access: Access,
        faults: Faults,
        stats: Stats,
        fallback: ASGIApp,
    ) -> None:
        super().__init__(app, routes, access, faults, stats)
        self.fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.fallback(scope, receive, send)
        else:  # the v1 gateway's pipeline, with this surface's routes and rules
            await super().__call__(scope, receive, send)

    def _admit(self, scope: Scope, template: str | None) -> None:
        openai = is_openai(scope["path"])
        if template is None:
            allowed = any(route.matches(scope)[0] is Match.PARTIAL for route in self.routes)
            status, message = (
                (405, "Method not allowed") if allowed else (404, "Resource not found")
            )
            raise error(
                openai, status, message, "not_found" if status == 404 else "method_not_allowed"
            )
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self._bearer(headers):
            message = "Access denied: this endpoint requires a Microsoft Entra ID bearer token."
            raise error(openai, 401, message, "unauthorized", kind="authentication_error")
        if not openai:
            _check_version(scope)

    def _bearer(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        return scheme.lower() == "bearer" and bool(token) and self.access.token in (None, token)

    def fault_error(self, scope: Scope, fault: Fault) -> ApiError:
        openai = is_openai(scope["path"])
        if fault is Fault.SERVER_ERROR:
            return error(openai, 500, SERVER_ERROR, "server_error", kind="server_error")
        limited = throttled(self.faults.settings.retry_after_ms)
        code, kind = "rate_limit_exceeded", "rate_limit_error"
        if openai:
            found = ServiceError(429, limited.message, code=code, kind=kind)
            found.headers = limited.headers
            return found
        return AgentError(429, limited.message, code, kind=kind, headers=limited.headers)


def _check_version(scope: Scope) -> None:
    versions = parse_qs(scope["query_string"].decode("latin-1")).get("api-version")
    if not versions:
        message = "Missing required query parameter: 'api-version'."
        raise AgentError(400, message, "missing_required_parameter", param="api-version")
    if versions[0] not in API_VERSIONS:
        message = f"Unsupported api-version '{versions[0][:32]}'. Supported versions: v1."
        raise AgentError(400, message, "unsupported_api_version", param="api-version")


def is_openai(path: str) -> bool:
    """Whether a path is one of the OpenAI-style routes (files, vector stores)."""
    parts = path[len(PREFIX) :].split("/")
    return len(parts) > 1 and parts[1] in _OPENAI_SEGMENTS


def error(
    openai: bool, status: int, message: str, code: str, kind: str = "invalid_request_error"
) -> ApiError:
    """An error in the shape of the surface: OpenAI's on the OpenAI routes, else the agents'."""
    if openai:
        return ServiceError(status, message, code=code, kind=kind)
    return AgentError(status, message, code, kind=kind)
