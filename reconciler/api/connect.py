"""What every API family's connection shares: the connection pool (httpx's), the stop switch,
credentials read from the environment, and the bundled emulator in-process for `local` (its data
in DIR/.reconciler/local.db). Each family's own rules are in connect_<family>.py, and
api/dialects/registry.py opens an environment's dialect.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx

from reconciler.api.credentials import Credential
from reconciler.api.local_state import open_local_state
from reconciler.api.retry import RetryPolicy
from reconciler.core.model import Environment
from reconciler.errors import ReadAbandonedError, UsageError

LOCAL = "local"
DEFAULT_KEY_ENV = "AZURE_OPENAI_API_KEY"
DEFAULT_TOKEN_ENV = "AZURE_OPENAI_AD_TOKEN"
STATE_DIR = ".reconciler"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
INGESTION_TIMEOUT_ENV = "RECONCILER_INGESTION_TIMEOUT_SECONDS"
LOCAL_TOKEN = "local"  # the in-process emulator takes any non-empty bearer token


DEFAULT_PARALLELISM = 4  # apply's and destroy's --parallelism when not given
# Requests a read has in flight at once: the assistant pages from both ends, the file list
# beside them (api/paging.py, dialects/assistants_v1.py); import's downloads are as many.
READS_AT_ONCE = 4
# An idle connection is let go after 4 s: before uvicorn's and Node's servers let go of theirs
# (5 s, the shortest common default), so that a call is not sent on a connection the server is
# closing at that moment. One the server closed earlier is seen idle, and replaced by httpcore.
KEEPALIVE_EXPIRY = 4.0


def limits(parallelism: int) -> httpx.Limits:
    """A connection for each call that may be in flight at once, each kept while idle (an
    apply's stages empty and refill the pool). No call waits for a connection: httpcore 1.0.9
    may close one it handed to a waiting call under that call (encode/httpcore#1110; a test
    that queued a call met it), and keeping every idle connection leaves no surplus to close."""
    most = read_width(parallelism)
    return httpx.Limits(
        max_connections=most, max_keepalive_connections=most, keepalive_expiry=KEEPALIVE_EXPIRY
    )


def read_width(parallelism: int) -> int:
    """Requests a read may have in flight (api/reads.py): as many as the pool has connections."""
    return max(parallelism, READS_AT_ONCE)


def http_client(
    stop: threading.Event | None = None, parallelism: int = DEFAULT_PARALLELISM
) -> httpx.Client:
    """The connection pool (httpx's own, on httpcore), sized to `parallelism`; once `stop` is
    set, no further request leaves it. Cookies and the proxy variables work as httpx documents."""

    def check(request: httpx.Request) -> None:
        if stop is not None and stop.is_set():
            raise ReadAbandonedError(
                f"{request.method} {request.url.path} was not sent: abandoned."
            )

    hooks = {"request": [check]}
    try:
        return httpx.Client(timeout=TIMEOUT, event_hooks=hooks, limits=limits(parallelism))
    except (OSError, ValueError) as error:  # the trust store or a proxy variable is unusable
        raise UsageError(client_setup_failed(error, os.environ)) from None


def client_setup_failed(error: OSError | ValueError, process: Mapping[str, str]) -> str:
    """httpx reads SSL_CERT_FILE, SSL_CERT_DIR and the proxy variables as it starts."""
    if isinstance(error, ValueError):
        return (
            f"cannot use the proxy the environment names ({error}). Fix HTTPS_PROXY, "
            "HTTP_PROXY or ALL_PROXY: an http:// or https:// URL."
        )
    named = [f"{v}={process[v]}" for v in ("SSL_CERT_FILE", "SSL_CERT_DIR") if process.get(v)]
    why = " ".join(str(error).split()) or type(error).__name__
    return (
        f"cannot load the certificates to trust ({', '.join(named) or 'the default bundle'}: "
        f"{why}). Point SSL_CERT_FILE at a PEM file of CA certificates, or unset it."
    )


def stoppable(retry: RetryPolicy | None, stop: threading.Event | None) -> RetryPolicy | None:
    """The policy, its back-off cut short once `stop` is set: the next attempt is then refused."""
    if stop is None:
        return retry

    def wait(seconds: float) -> None:
        stop.wait(seconds)

    return replace(retry or RetryPolicy(), sleep=wait)


def read_credential(
    environment: Environment, process: Mapping[str, str], variable: str, bearer: bool
) -> Credential:
    if process.get(variable):
        return Credential(process[variable], bearer)
    what = "Entra ID token" if bearer else "API key"
    state = "is set but empty" if variable in process else "is not set"
    raise UsageError(
        f"environment {environment.name!r} reads its {what} from {variable}, which {state}. "
        "Set it, or use auth: entra."
    )


@contextmanager
def local_emulator(
    directory: Path, stop: threading.Event | None, parallelism: int
) -> Iterator[tuple[str, httpx.Client]]:
    """The bundled emulator on loopback, its state in DIR/.reconciler, and a client for it."""
    # Imported here: the emulator's server costs start-up time no remote endpoint needs.
    from reconciler.emulator.server import BackgroundServer  # noqa: PLC0415

    emulator = open_local_state(directory / STATE_DIR)
    try:
        with BackgroundServer(emulator) as server, http_client(stop, parallelism) as http:
            yield server.url, http
    finally:
        emulator.state.db.close()
