"""AssistantsClient: typed calls for assistants and files over an injected httpx.Client.

Every call carries `api-version` and goes through the credential, an httpx.Auth (credentials.py:
a key, a fixed token, or Entra ID tokens renewed as they expire); lists page with limit=100 and
stop when `has_more` is false. Error bodies of both Azure layers become ApiError with status,
code and message, a 401 or 403 with what to do about it (denied.py); the credential never
appears in an error. Throttling, server errors and network
failures are retried (retry.py). A create or upload whose outcome is unknown (a 5xx, a dropped
connection) may have been applied: before it is sent again, `recover` looks for the object.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from reconciler.api.credentials import Auth, Credential
from reconciler.api.denied import DENIED, AccessDeniedError, hint
from reconciler.api.retry import RetryPolicy, retryable, unapplied
from reconciler.api.surface import Surface, surface_of
from reconciler.core.marks import NAME_MARK, OWNER_MARK
from reconciler.core.model import LiveAssistant, LiveFile, SharedTools
from reconciler.errors import ApiError, ConnectionFailedError, ResponseError

PAGE_SIZE = 100
log = logging.getLogger("reconciler")
Recover = Callable[[], dict[str, Any] | None]
__all__ = ["AssistantsClient", "Credential"]  # Credential: where callers found it first


class _Recovered(Exception):
    """A lost create or upload turned out to have been applied: what it made, found again."""

    def __init__(self, found: dict[str, Any]) -> None:
        super().__init__("recovered")
        self.found = found


class AssistantsClient:
    def __init__(
        self,
        http: httpx.Client,
        endpoint: str,
        api_version: str,
        credential: Auth,
        retry: RetryPolicy | None = None,
        surface: Surface | None = None,
    ) -> None:
        self.http = http
        self.base = f"{endpoint.rstrip('/')}/openai"
        self.params = {"api-version": api_version}
        self.auth = credential
        self.surface = surface or surface_of(endpoint)
        self.retry = retry or RetryPolicy()

    def list_assistants(self) -> list[LiveAssistant]:
        tools = SharedTools()
        return [_assistant(item, tools) for item in self._pages("/assistants")]

    def create_assistant(self, body: dict[str, Any]) -> LiveAssistant:
        marks = {
            k: v for k, v in (body.get("metadata") or {}).items() if k in (OWNER_MARK, NAME_MARK)
        }

        def recover() -> dict[str, Any] | None:
            found = [a for a in self._pages("/assistants") if _has_marks(a, marks)]
            return found[0] if found and marks else None

        return _assistant(
            self._call("POST", "/assistants", "create assistant", recover=recover, json=body)
        )

    def modify_assistant(self, assistant_id: str, body: dict[str, Any]) -> LiveAssistant:
        path = f"/assistants/{assistant_id}"
        return _assistant(self._call("POST", path, f"modify assistant {assistant_id}", json=body))

    def delete_assistant(self, assistant_id: str) -> None:
        self._call("DELETE", f"/assistants/{assistant_id}", f"delete assistant {assistant_id}")

    def list_files(self) -> list[LiveFile]:
        body = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
        return [_file(item) for item in _items(body, "list files")]

    def upload_file(self, filename: str, content: bytes) -> LiveFile:
        def recover() -> dict[str, Any] | None:
            listed = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
            same = [
                f
                for f in _items(listed, "list files")
                if (f.get("filename"), f.get("bytes")) == (filename, len(content))
            ]
            return same[0] if same else None

        parts = {"file": (filename, content, "application/octet-stream")}
        operation = f"upload {filename}"
        body = self._call(
            "POST",
            "/files",
            operation,
            recover=recover,
            files=parts,
            data={"purpose": "assistants"},
        )
        return _file(body)

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"/files/{file_id}", f"delete file {file_id}")

    def download_file(self, file_id: str) -> bytes:
        """The bytes of an uploaded file (`GET /files/{id}/content`), retried like every call."""
        operation = f"download file {file_id}"
        response, _ = self._exchange("GET", f"/files/{file_id}/content", operation, None, {})
        if not response.is_success:
            raise self._error(response, operation)
        return response.content

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"limit": PAGE_SIZE, "order": "asc"}
        operation = f"list {path.strip('/')}"
        while True:
            page = self._call("GET", path, operation, params=params)
            items = _items(page, operation)
            yield from items
            if not page.get("has_more") or not items:
                return
            params = {**params, "after": items[-1]["id"]}

    def _call(
        self, method: str, path: str, operation: str, recover: Recover | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One call, retried as retry.py says; with `recover`, a lost create is looked for first."""
        try:
            response, attempt = self._exchange(method, path, operation, recover, kwargs)
        except _Recovered as recovered:
            return recovered.found
        return self._result(response, operation, method, attempt)

    def _exchange(
        self,
        method: str,
        path: str,
        operation: str,
        recover: Recover | None,
        kwargs: dict[str, Any],
    ) -> tuple[httpx.Response, int]:
        """The retry loop: the final response that is not retried, and the attempt it took."""
        params = {**self.params, **kwargs.pop("params", {})}
        started, attempt, waited = self.retry.clock(), 0, 0.0
        while True:
            attempt += 1
            outcome = self._send(method, path, operation, params, kwargs)
            response = outcome if isinstance(outcome, httpx.Response) else None
            if response is not None and not retryable(response):
                return response, attempt
            delay = self.retry.delay(attempt, response)
            spent = max(self.retry.clock() - started, waited)
            if not self.retry.allows(attempt, spent, delay):
                if isinstance(outcome, ConnectionFailedError):
                    raise outcome
                raise self._error(outcome, operation)
            lost = response is None or not unapplied(response)
            if recover is not None and lost and (found := recover()) is not None:
                log.info("%s: the lost request had been applied; using what it made", operation)
                raise _Recovered(found)
            cause = f"HTTP {response.status_code}" if response is not None else str(outcome)
            log.info("%s: %s; retry %d in %.2f s", operation, cause, attempt, delay)
            self.retry.sleep(delay)
            waited += delay

    def _send(
        self, method: str, path: str, operation: str, params: dict[str, Any], kwargs: dict[str, Any]
    ) -> httpx.Response | ConnectionFailedError:
        try:
            return self.http.request(
                method, self.base + path, params=params, auth=self.auth, **kwargs
            )
        except httpx.TransportError as error:
            return ConnectionFailedError(f"{operation} failed: {type(error).__name__}: {error}")

    def _result(
        self, response: httpx.Response, operation: str, method: str, attempt: int
    ) -> dict[str, Any]:
        if method == "DELETE" and response.status_code == 404 and attempt > 1:
            return {}  # an earlier attempt deleted it and its answer was lost
        if response.status_code >= 400:
            raise self._error(response, operation)
        try:
            body = response.json()
        except ValueError:
            raise ResponseError(
                f"{operation}: the endpoint answered {response.status_code} with a body that is not JSON"
            ) from None
        if not isinstance(body, dict):
            raise ResponseError(
                f"{operation}: the endpoint answered with JSON that is not an object"
            )
        return body

    def _error(self, response: httpx.Response, operation: str) -> ApiError:
        """The API's error; a 401 or 403 also says what to do about it."""
        error = _error(response, operation)
        if error.status not in DENIED:
            return error
        advice = hint(error.code, error.api_message, self.auth.kind, self.surface)
        return AccessDeniedError(error.status, error.code, error.api_message, operation, advice)


def _has_marks(item: dict[str, Any], marks: dict[str, str]) -> bool:
    metadata = item.get("metadata") or {}
    return all(metadata.get(k) == v for k, v in marks.items())


def _items(body: dict[str, Any], operation: str) -> list[dict[str, Any]]:
    items = body.get("data")
    if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
        raise ResponseError(
            f"{operation}: the endpoint sent a list without a 'data' array of objects"
        )
    return items


def _error(response: httpx.Response, operation: str) -> ApiError:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or response.reason_phrase or "no message")
    code = error.get("code")
    return ApiError(response.status_code, None if code is None else str(code), message, operation)


def _assistant(item: dict[str, Any], tools: SharedTools | None = None) -> LiveAssistant:
    share = (tools or SharedTools()).share
    try:
        return LiveAssistant(
            id=str(item["id"]),
            created_at=int(item["created_at"]),
            name=item.get("name"),
            description=item.get("description"),
            model=str(item["model"]),
            instructions=item.get("instructions"),
            tools=tuple(share(tool) for tool in item.get("tools") or ()),
            file_ids=tuple(item.get("file_ids") or ()),
            metadata=dict(item.get("metadata") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent an assistant that does not match the API ({error!r})"
        ) from None


def _file(item: dict[str, Any]) -> LiveFile:
    try:
        return LiveFile(
            str(item["id"]),
            str(item["filename"]),
            int(item["bytes"]),
            int(item["created_at"]),
            str(item["purpose"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent a file that does not match the API ({error!r})"
        ) from None
