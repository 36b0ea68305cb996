"""Errors shaped like the two layers of Azure OpenAI that show through on the wire.

    ApiError                      an error response: status, headers and a JSON body
    +-- GatewayError              routing, auth, api-version, throttling:
    |                             {"error": {"code": "<status>", "message": ...}}
    +-- ServiceError              the assistants service, OpenAI style:
        |                         {"error": {"message", "type", "param", "code"}}
        +-- NotFoundError         404 for a missing object

Each family adds its own: assistants/errors.py its 404 messages, foundry/errors.py AgentError.

Handlers raise these; the app turns them into responses, so no framework default body
(such as {"detail": ...}) ever reaches a client.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import CursorError


class ApiError(Exception):
    """An error response the emulator sends instead of a result."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class GatewayError(ApiError):
    """An error raised in front of the service, before any object is touched."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(status, message, headers)
        self.code = code or str(status)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


class ServiceError(ApiError):
    """An error raised by the assistants service itself (OpenAI's error shape)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        kind: str = "invalid_request_error",
    ) -> None:
        super().__init__(status, message)
        self.param = param
        self.code = code
        self.kind = kind

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}
        return {"error": error}


class NotFoundError(ServiceError):
    """A 404 for an object id that does not exist (or is not visible at this path)."""

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def bad_request(message: str, param: str | None = None, code: str | None = None) -> ServiceError:
    return ServiceError(400, message, param=param, code=code)


def cursor_error(error: CursorError) -> ServiceError:
    """The 400 for an `after` or `before` that names no object of the list."""
    message = f"Invalid '{error.name}': no object with id '{error.value}' in this list."
    return bad_request(message, error.name, "invalid_value")


RESOURCE_NOT_FOUND = "Resource not found"
ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
    "valid key for an active subscription and use a correct regional API endpoint for your resource."
)
# Azure's answer to a bearer token it does not accept (an Entra ID token for another audience,
# expired, or not the one the emulator was told to require).
TOKEN_DENIED = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired."
)
# A key sent to a resource with `disableLocalAuth` (403, code AuthenticationTypeDisabled).
KEYS_DISABLED = "Key based authentication is disabled for this resource."
