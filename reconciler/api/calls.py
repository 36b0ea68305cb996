"""What every client of an Azure data plane shares: one call, retried, with its errors.

A call goes through the credential (an httpx.Auth: every attempt, retries included); throttling,
server errors and network failures are retried as retry.py says; error bodies become ApiError
(a 401 or 403 with what to do about it, denied.py), and the credential never appears in one. A
create whose outcome is unknown (a 5xx, a dropped connection) may have been applied: before it
is sent again, its `recover` looks for what it made. Subclasses add the routes of one API.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import httpx

from reconciler.api.credentials import Auth
from reconciler.api.denied import DENIED, hint
from reconciler.api.failures import http_advice, transport_failure, where
from reconciler.api.responses import api_error, check_redirect, unbound
from reconciler.api.retry import RetryPolicy, retryable, unapplied
from reconciler.api.surface import Surface
from reconciler.errors import AccessDeniedError, ApiError, ConnectionFailedError, ResponseError

log = logging.getLogger("reconciler")
Recover = Callable[[], dict[str, Any] | None]
# What a body that is not the API's usually means: a proxy's or a web server's page.
NOT_THE_API = (
    "Check that the environment's endpoint is the service's own URL, not a proxy's or a "
    "portal's page."
)


class _Recovered(Exception):
    """A lost create or upload turned out to have been applied: what it made, found again."""

    def __init__(self, found: dict[str, Any]) -> None:
        super().__init__("recovered")
        self.found = found


class ApiBase:
    """Calls under `base`, each with `params` in its query, through `credential`."""

    def __init__(
        self,
        http: httpx.Client,
        base: str,
        params: dict[str, str],
        credential: Auth,
        retry: RetryPolicy | None,
        surface: Surface,
    ) -> None:
        self.http, self.base, self.params = http, base, params
        self.auth, self.surface = credential, surface
        self.retry = retry or RetryPolicy()

    def _upload(
        self,
        path: str,
        filename: str,
        content: bytes | Path,
        listed: Callable[[], Iterable[dict[str, Any]]],
    ) -> dict[str, Any]:
        """Upload bytes, or a file streamed from disk (a large file is never read whole). A
        lost upload is looked for in `listed` by its name and size before it is sent again."""
        size = len(content) if isinstance(content, bytes) else content.stat().st_size

        def recover() -> dict[str, Any] | None:
            same = [f for f in listed() if (f.get("filename"), f.get("bytes")) == (filename, size)]
            return same[0] if same else None

        with opened(content) as stream:
            # httpx reads a file part in 64 KB chunks and seeks back to 0 for each retry.
            parts = {"file": (filename, stream, "application/octet-stream")}
            return self._call(
                "POST",
                path,
                f"upload {filename}",
                recover=recover,
                files=parts,
                data={"purpose": "assistants"},
            )

    def _content(self, path: str, operation: str) -> bytes:
        """Raw bytes (a file's content), retried like every call."""
        response, _ = self._exchange("GET", path, operation, None, {})
        check_redirect(response, operation)
        if not response.is_success:
            raise self._error(response, operation)
        return response.content

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
        url = target(self.base + path, tuple(params.items()))
        started, attempt, waited = self.retry.clock(), 0, 0.0
        while True:
            attempt += 1
            sent = time.monotonic()
            outcome = self._send(method, url, kwargs)
            _log_request(
                method, self.base + path, params, outcome, time.monotonic() - sent, attempt
            )
            response = outcome if isinstance(outcome, httpx.Response) else None
            if response is not None and not retryable(response):
                return response, attempt
            delay = self.retry.delay(attempt, response)
            spent = max(self.retry.clock() - started, waited)
            if not self.retry.allows(attempt, spent, delay):
                if isinstance(outcome, httpx.TransportError):
                    raise _connection_failed(outcome, method, url, operation, attempt)
                raise self._error(outcome, operation, attempt)
            lost = response is None or not unapplied(response)
            if recover is not None and lost and (found := recover()) is not None:
                log.info("%s: the lost request had been applied; using what it made", operation)
                raise _Recovered(found)
            cause = f"HTTP {response.status_code}" if response is not None else repr(outcome)
            log.info("%s: %s; retry %d in %.2f s", operation, cause, attempt, delay)
            self.retry.sleep(delay)
            waited += delay

    def _send(
        self, method: str, url: httpx.URL, kwargs: dict[str, Any]
    ) -> httpx.Response | httpx.TransportError:
        try:
            return unbound(self.http.request(method, url, auth=self.auth, **kwargs))
        except httpx.TransportError as error:
            return error

    def _result(
        self, response: httpx.Response, operation: str, method: str, attempt: int
    ) -> dict[str, Any]:
        if method == "DELETE" and response.status_code == 404 and attempt > 1:
            return {}  # an earlier attempt deleted it and its answer was lost
        check_redirect(response, operation)
        if response.status_code >= 400:
            raise self._error(response, operation, attempt)
        if response.status_code == 204:
            return {}  # No Content: a Foundry toolbox's DELETE
        at = where(response.request.method, response.request.url, attempt)
        try:
            body = response.json()
        except ValueError:
            raise ResponseError(
                f"{operation}: the endpoint answered {response.status_code} with a body that is "
                f"not JSON ({at}). {NOT_THE_API}"
            ) from None
        if not isinstance(body, dict):
            raise ResponseError(
                f"{operation}: the endpoint answered with JSON that is not an object ({at}). "
                f"{NOT_THE_API}"
            )
        return body

    def _error(self, response: httpx.Response, operation: str, attempt: int = 1) -> ApiError:
        """The API's error, with where it came from; a 401 or 403 also says what to do about
        it, and so does a status retries gave up on."""
        request = response.request
        at = where(request.method, request.url, attempt)
        error = api_error(response, operation)
        if error.status in DENIED:
            advice = hint(error.code, error.api_message, self.auth.kind, self.surface)
            args = (error.status, error.code, error.api_message, operation, advice)
            return AccessDeniedError(*args, where=at)
        fixable = retryable(response) and attempt > 1
        advice = http_advice(error.status) if fixable else ""
        return ApiError(
            error.status, error.code, error.api_message, operation, where=at, advice=advice
        )


def _connection_failed(
    error: httpx.TransportError, method: str, url: httpx.URL, operation: str, attempts: int
) -> ConnectionFailedError:
    what, then = transport_failure(error, url)
    return ConnectionFailedError(
        f"{operation} failed: {what} ({where(method, url, attempts)}). {then}"
    )


@functools.lru_cache(maxsize=256)
def target(url: str, params: tuple[tuple[str, Any], ...]) -> httpx.URL:
    """The URL with its query, parsed once: httpx parses a string URL twice per request (and
    again to add the query), a tenth of a request's work; creates and uploads share one URL."""
    return httpx.URL(f"{url}?{httpx.QueryParams(params)}" if params else url)


@contextmanager
def opened(content: bytes | Path) -> Iterator[bytes | BinaryIO]:
    if isinstance(content, bytes):
        yield content
        return
    with content.open("rb") as stream:
        yield stream


def _log_request(
    method: str,
    url: str,
    params: dict[str, Any],
    outcome: httpx.Response | httpx.TransportError,
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


def has_marks(item: dict[str, Any], marks: dict[str, str]) -> bool:
    metadata = item.get("metadata") or {}
    return all(metadata.get(k) == v for k, v in marks.items())
