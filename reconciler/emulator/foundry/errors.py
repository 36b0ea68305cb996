"""The two error shapes of the Foundry data plane.

    ApiError (core/errors.py)
    +-- ServiceError      the OpenAI routes (files, vector stores):
    |                     {"error": {"message", "type", "param", "code"}}, param and code nullable
    +-- AgentError        the agents routes, the spec's ApiErrorResponse as SDK 2.10.0 reads it:
                          {"error": {"code", "message", "param", "type", "details": []}}

Store functions raise ServiceError (through the shared core helpers, as the Assistants family does);
`agents_errors` turns them into AgentError on the agents routes.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reconciler.emulator.core.db import CursorError
from reconciler.emulator.core.errors import (
    ApiError,
    NotFoundError,
    ServiceError,
    bad_request,
    cursor_error,
)


class AgentError(ApiError):
    """An error of the agents routes; `code` is always a string there."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        param: str | None = None,
        kind: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, headers)
        self.code, self.param, self.kind = code, param, kind

    def body(self) -> dict[str, Any]:
        error = {"code": self.code, "message": self.message, "param": self.param}
        return {"error": {**error, "type": self.kind, "details": []}}


def as_agent_error(error: ServiceError) -> AgentError:
    """The agents-route form of an error the shared helpers raised."""
    code = error.code or ("not_found" if isinstance(error, NotFoundError) else error.kind)
    return AgentError(error.status, error.message, code, param=error.param, kind=error.kind)


Handler = Callable[[Request], Awaitable[Response]]


def agents_errors(handler: Handler) -> Handler:
    """Answer the handler's errors in the agents shape."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except CursorError as error:
            raise as_agent_error(cursor_error(error)) from None
        except ServiceError as error:
            raise as_agent_error(error) from None

    return wrapped


NOT_FOUND = {
    "agent": "Agent '{}' not found.",
    "version": "Version '{}' not found.",
    "file": "No such File object: {}",
    "vector_store": "No vector store found with id '{}'.",
    "vector_store_file": "No file found with id '{}' in this vector store.",
    "batch": "No file batch found with id '{}'.",
}


def not_found(kind: str, object_id: str) -> NotFoundError:
    error = NotFoundError(NOT_FOUND[kind].format(object_id))
    error.code = "not_found"
    return error


def check_choice(value: str, choices: tuple[str, ...], param: str) -> None:
    """A 400 naming `param` unless value is one of choices."""
    if value not in choices:
        supported = ", ".join(f"'{choice}'" for choice in choices)
        message = f"Invalid value: '{value[:64]}'. Supported values are: {supported}."
        raise bad_request(message, param, "invalid_value")
