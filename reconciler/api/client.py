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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import httpx

from reconciler.api.credentials import Auth, Credential
from reconciler.api.denied import DENIED, AccessDeniedError, hint
from reconciler.api.responses import (
    api_error,
    check_advances,
    check_redirect,
    list_items,
    parse_assistant,
    parse_file,
)
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
        return [parse_assistant(item, tools) for item in self._pages("/assistants")]

    def create_assistant(self, body: dict[str, Any]) -> LiveAssistant:
        marks = {
            k: v for k, v in (body.get("metadata") or {}).items() if k in (OWNER_MARK, NAME_MARK)
        }

        def recover() -> dict[str, Any] | None:
            found = [a for a in self._pages("/assistants") if _has_marks(a, marks)]
            return found[0] if found and marks else None

        return parse_assistant(
            self._call("POST", "/assistants", "create assistant", recover=recover, json=body)
        )

    def modify_assistant(self, assistant_id: str, body: dict[str, Any]) -> LiveAssistant:
        path = f"/assistants/{assistant_id}"
        return parse_assistant(
            self._call("POST", path, f"modify assistant {assistant_id}", json=body)
        )

    def delete_assistant(self, assistant_id: str) -> None:
        self._call("DELETE", f"/assistants/{assistant_id}", f"delete assistant {assistant_id}")

    def list_files(self) -> list[LiveFile]:
        body = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
        return [parse_file(item) for item in list_items(body, "list files")]

    def upload_file(self, filename: str, content: bytes | Path) -> LiveFile:
        """Upload bytes, or a file streamed from disk: a large file is never read whole."""
        size = len(content) if isinstance(content, bytes) else content.stat().st_size

        def recover() -> dict[str, Any] | None:
            listed = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
            same = [
                f
                for f in list_items(listed, "list files")
                if (f.get("filename"), f.get("bytes")) == (filename, size)
            ]
            return same[0] if same else None

        with _opened(content) as stream:
            # httpx reads a file part in 64 KB chunks and seeks back to 0 for each retry.
            parts = {"file": (filename, stream, "application/octet-stream")}
            body = self._call(
                "POST",
                "/files",
                f"upload {filename}",
                recover=recover,
                files=parts,
                data={"purpose": "assistants"},
            )
        return parse_file(body)

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"/files/{file_id}", f"delete file {file_id}")

    def download_file(self, file_id: str) -> bytes:
        """The bytes of an uploaded file (`GET /files/{id}/content`), retried like every call."""
        operation = f"download file {file_id}"
        response, _ = self._exchange("GET", f"/files/{file_id}/content", operation, None, {})
        check_redirect(response, operation)
        if not response.is_success:
            raise self._error(response, operation)
        return response.content

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"limit": PAGE_SIZE, "order": "asc"}
        operation = f"list {path.strip('/')}"
        seen: set[str] = set()
        while True:
            page = self._call("GET", path, operation, params=params)
            items = list_items(page, operation)
            yield from items
            if not page.get("has_more") or not items:
                return
            check_advances(items, seen, params.get("after"), operation)
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
            sent = time.monotonic()
            outcome = self._send(method, path, operation, params, kwargs)
            _log_request(
                method, self.base + path, params, outcome, time.monotonic() - sent, attempt
            )
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
        check_redirect(response, operation)
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
        error = api_error(response, operation)
        if error.status not in DENIED:
            return error
        advice = hint(error.code, error.api_message, self.auth.kind, self.surface)
        return AccessDeniedError(error.status, error.code, error.api_message, operation, advice)


@contextmanager
def _opened(content: bytes | Path) -> Iterator[bytes | BinaryIO]:
    if isinstance(content, bytes):
        yield content
        return
    with content.open("rb") as stream:
        yield stream


def _log_request(
    method: str,
    url: str,
    params: dict[str, Any],
    outcome: httpx.Response | ConnectionFailedError,
    seconds: float,
    attempt: int,
) -> None:
    """--debug: one line per request. The path and query only: the credential travels in a
    header, and no header is shown."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    shown = httpx.URL(url).copy_merge_params(params)
    target = shown.raw_path.decode("ascii", "replace")
    result = outcome.status_code if isinstance(outcome, httpx.Response) else "no response"
    retry = f", retry {attempt - 1}" if attempt > 1 else ""
    log.debug("%s %s -> %s in %.0f ms%s", method, target, result, seconds * 1000, retry)


def _has_marks(item: dict[str, Any], marks: dict[str, str]) -> bool:
    metadata = item.get("metadata") or {}
    return all(metadata.get(k) == v for k, v in marks.items())
