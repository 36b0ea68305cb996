"""The gateway's rules for the Foundry data plane: the paths under /api/projects/.

Its rules (FOUNDRY-FACTS §0): Entra ID only, so a non-empty bearer token (`--token`: that one)
and never an `api-key`; `api-version=v1` required on the agents routes and ignored on the OpenAI routes.
Stats, latency and faults are the shared gateway's, with errors in the shape of the route hit.
A path it has no route for is a 501 `not_implemented_by_emulator`, never the 404 of a missing
object: the real data plane serves routes the emulator does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.routing import BaseRoute
from starlette.types import Scope

from reconciler.emulator.core.errors import ApiError, ServiceError
from reconciler.emulator.core.faults import Fault
from reconciler.emulator.core.gateway import (
    NOT_SERVED,
    NOT_SERVED_CODE,
    NOT_SERVED_HEADERS,
    SERVER_ERROR,
    Access,
    api_version,
    not_served,
    throttled,
)
from reconciler.emulator.foundry.errors import AgentError

PREFIX = "/api/projects/"
API_VERSIONS = ("v1",)
_OPENAI_SEGMENTS = ("openai", "files", "vector_stores")
BEARER_ONLY = "Access denied: this endpoint requires a Microsoft Entra ID bearer token."


@dataclass(frozen=True)
class FoundrySurface:
    routes: Sequence[BaseRoute]
    prefix: str = PREFIX

    def unrouted(self, scope: Scope, status: int, message: str) -> ApiError:
        openai = is_openai(scope["path"])
        if status == 405:
            return error(openai, status, message, "method_not_allowed")
        # The real data plane serves more than the emulator does (responses, evals, ...).
        unserved = error(openai, NOT_SERVED, not_served(scope), NOT_SERVED_CODE, "not_implemented")
        unserved.headers = dict(NOT_SERVED_HEADERS)
        return unserved

    def admit(self, scope: Scope, headers: dict[str, str], access: Access) -> None:
        openai = is_openai(scope["path"])
        if not _bearer(headers, access):
            raise error(openai, 401, BEARER_ONLY, "unauthorized", kind="authentication_error")
        if not openai:
            _check_version(scope)

    def fault_error(self, scope: Scope, fault: Fault, retry_after_ms: int) -> ApiError:
        openai = is_openai(scope["path"])
        if fault is Fault.SERVER_ERROR:
            return error(openai, 500, SERVER_ERROR, "server_error", kind="server_error")
        limited = throttled(retry_after_ms)
        code, kind = "rate_limit_exceeded", "rate_limit_error"
        if openai:
            found = ServiceError(429, limited.message, code=code, kind=kind)
            found.headers = limited.headers
            return found
        return AgentError(429, limited.message, code, kind=kind, headers=limited.headers)


def _bearer(headers: dict[str, str], access: Access) -> bool:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return scheme.lower() == "bearer" and bool(token) and access.token in (None, token)


def _check_version(scope: Scope) -> None:
    version = api_version(scope)
    if version is None:
        message = "Missing required query parameter: 'api-version'."
        raise AgentError(400, message, "missing_required_parameter", param="api-version")
    if version not in API_VERSIONS:
        message = f"Unsupported api-version '{version[:32]}'. Supported versions: v1."
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
