"""The gateway's rules for the Assistants v1 family: api-version, key or token, the v1 beta.

Azure's gateway answers for every path no other family owns, so this surface's prefix is empty
and it is placed last. Its refusals are the gateway's {"error": {"code", "message"}} shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.routing import BaseRoute
from starlette.types import Scope

from reconciler.emulator.core.errors import RESOURCE_NOT_FOUND, ApiError, GatewayError, ServiceError
from reconciler.emulator.core.faults import Fault
from reconciler.emulator.core.gateway import SERVER_ERROR, Access, api_version, throttled

# Assistants v1 is served by these api-versions; later ones switched to v2 (vector stores).
API_VERSIONS = ("2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview")
BETA_V2 = "Invalid 'OpenAI-Beta' header: this endpoint serves Assistants v1 (assistants=v1)."


@dataclass(frozen=True)
class AssistantsSurface:
    routes: Sequence[BaseRoute]
    prefix: str = ""

    def unrouted(self, scope: Scope, status: int, message: str) -> ApiError:
        return GatewayError(status, message)

    def admit(self, scope: Scope, headers: dict[str, str], access: Access) -> None:
        version = api_version(scope)
        if version is None:
            raise GatewayError(404, RESOURCE_NOT_FOUND)
        if version not in API_VERSIONS:
            raise GatewayError(400, "API version not supported", code="BadRequest")
        access.check(headers)
        if "assistants=v2" in headers.get("openai-beta", ""):
            raise ServiceError(400, BETA_V2, param="OpenAI-Beta", code="invalid_beta")

    def fault_error(self, scope: Scope, fault: Fault, retry_after_ms: int) -> ApiError:
        if fault is Fault.THROTTLE:
            return throttled(retry_after_ms)
        return ServiceError(500, SERVER_ERROR, kind="server_error")
