"""An environment -> a dialect (or, for import, a client of its API): a real endpoint with its
credential, or the bundled emulator in-process, its data in DIR/.reconciler/local.db.

`api: assistants` speaks Assistants v1 at the endpoint; `api: foundry` speaks to a Foundry
project (`https://{account}.services.ai.azure.com/api/projects/{project}`, or the emulator's
`{server}/api/projects/{project name}` for `local`), with bearer tokens only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import httpx

from reconciler.api.client import AssistantsClient
from reconciler.api.credentials import Auth, Credential, Kind
from reconciler.api.dialects import Dialect
from reconciler.api.dialects.assistants_v1 import AssistantsV1
from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.dialects.ingestion import DEFAULT_TIMEOUT, Waiting
from reconciler.api.entra import entra_auth
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.local_state import open_local_state
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import FOUNDRY_PROJECT, surface_of
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
    most = max(parallelism, READS_AT_ONCE)
    return httpx.Limits(
        max_connections=most, max_keepalive_connections=most, keepalive_expiry=KEEPALIVE_EXPIRY
    )


def _http(
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
    return httpx.Client(timeout=TIMEOUT, event_hooks=hooks, limits=limits(parallelism))


def _stoppable(retry: RetryPolicy | None, stop: threading.Event | None) -> RetryPolicy | None:
    """The policy, its back-off cut short once `stop` is set: the next attempt is then refused."""
    if stop is None:
        return retry

    def wait(seconds: float) -> None:
        stop.wait(seconds)

    return replace(retry or RetryPolicy(), sleep=wait)


def auth_kind(environment: Environment, process: Mapping[str, str]) -> Kind:
    """The environment's `auth:`; without one, what its variables imply: a named key or token
    variable, else the SDK's AZURE_OPENAI_API_KEY (then AZURE_OPENAI_AD_TOKEN) when set, else
    Entra ID."""
    if environment.auth is not None:
        return environment.auth
    if environment.ad_token_env:
        return "token"
    if environment.api_key_env or process.get(DEFAULT_KEY_ENV):
        return "key"
    return "token" if process.get(DEFAULT_TOKEN_ENV) else "entra"


def credential_for(environment: Environment, process: Mapping[str, str]) -> Auth:
    """How the environment's requests authenticate: a key, a fixed token or Entra ID."""
    if environment.api == "foundry":
        return _foundry_credential(environment, process)
    kind = auth_kind(environment, process)
    if kind == "key":
        return _read(environment, process, environment.api_key_env or DEFAULT_KEY_ENV, False)
    if kind == "token":
        return _read(environment, process, environment.ad_token_env or DEFAULT_TOKEN_ENV, True)
    why = "" if environment.auth else f"the default when {DEFAULT_KEY_ENV} is not set"
    return entra_auth(surface_of(environment.endpoint), process, why)


def _foundry_credential(environment: Environment, process: Mapping[str, str]) -> Auth:
    """A Foundry project takes Entra ID bearer tokens only: Entra ID unless a fixed token is
    asked for by name. The SDK's variables are not read: AZURE_OPENAI_API_KEY is no use here,
    and AZURE_OPENAI_AD_TOKEN is usually a token for Azure OpenAI, another audience."""
    if environment.auth == "key":
        raise UsageError(
            f"environment {environment.name!r} has api: foundry and auth: key, but a Foundry "
            "project takes no API keys. Use auth: entra (the default) or auth: token."
        )
    if environment.auth == "token" or (environment.auth is None and environment.ad_token_env):
        return _read(environment, process, environment.ad_token_env or DEFAULT_TOKEN_ENV, True)
    why = "" if environment.auth else "the default for api: foundry"
    return entra_auth(FOUNDRY_PROJECT, process, why)


def _read(
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
def open_client(
    directory: Path,
    environment: Environment,
    process: Mapping[str, str],
    retry: RetryPolicy | None = None,
    stop: threading.Event | None = None,
    parallelism: int = DEFAULT_PARALLELISM,
) -> Iterator[AssistantsClient]:
    """A v1 client for an `api: assistants` environment, with connections for `parallelism`
    calls at once; `local` runs the emulator on loopback, state in DIR/.reconciler."""
    if environment.endpoint != LOCAL:
        credential = credential_for(environment, process)
        with _http(stop, parallelism) as http:
            yield AssistantsClient(
                http, environment.endpoint, environment.api_version, credential, retry
            )
        return
    with _local(directory, stop, parallelism) as (url, http):
        yield AssistantsClient(http, url, environment.api_version, Credential(LOCAL), retry)


@contextmanager
def open_dialect(  # noqa: PLR0913 - what the connection needs, the environment and the pool
    directory: Path,
    project: str,
    environment: Environment,
    process: Mapping[str, str],
    retry: RetryPolicy | None = None,
    stop: threading.Event | None = None,
    *,
    parallelism: int = DEFAULT_PARALLELISM,
) -> Iterator[Dialect]:
    """The environment's dialect, connected: v1 for `api: assistants`, else Foundry agents,
    with connections for `parallelism` calls at once (apply's --parallelism).

    Setting `stop` refuses every later request, so that a read the command no longer wants
    (its manifests failed to load) ends at its next page, a back-off included."""
    retry = _stoppable(retry, stop)
    if environment.api != "foundry":
        with open_client(directory, environment, process, retry, stop, parallelism) as client:
            yield AssistantsV1(client, directory)
        return
    waiting = Waiting(_ingestion_timeout(process))
    connected = open_foundry_client(
        directory, project, environment, process, retry, stop, parallelism=parallelism
    )
    with connected as client:
        yield FoundryAgents(client, directory, waiting)


@contextmanager
def open_foundry_client(  # noqa: PLR0913 - as open_dialect
    directory: Path,
    project: str,
    environment: Environment,
    process: Mapping[str, str],
    retry: RetryPolicy | None = None,
    stop: threading.Event | None = None,
    *,
    parallelism: int = DEFAULT_PARALLELISM,
) -> Iterator[FoundryClient]:
    """A client of an `api: foundry` environment's project; `local` runs the emulator on
    loopback, state in DIR/.reconciler, serving the project named after ours."""
    if environment.endpoint != LOCAL:
        credential = credential_for(environment, process)
        with _http(stop, parallelism) as http:
            yield FoundryClient(http, environment.endpoint, credential, retry)
        return
    with _local(directory, stop, parallelism) as (url, http):
        endpoint = f"{url}/api/projects/{quote(project, safe='')}"
        yield FoundryClient(http, endpoint, Credential(LOCAL_TOKEN, bearer=True), retry)


@contextmanager
def _local(
    directory: Path, stop: threading.Event | None, parallelism: int
) -> Iterator[tuple[str, httpx.Client]]:
    """The bundled emulator on loopback, its state in DIR/.reconciler, and a client for it."""
    # Imported here: the emulator's server costs start-up time no remote endpoint needs.
    from reconciler.emulator.server import BackgroundServer  # noqa: PLC0415

    emulator = open_local_state(directory / STATE_DIR)
    try:
        with BackgroundServer(emulator) as server, _http(stop, parallelism) as http:
            yield server.url, http
    finally:
        emulator.state.db.close()


def _ingestion_timeout(process: Mapping[str, str]) -> float:
    raw = process.get(INGESTION_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise UsageError(f"{INGESTION_TIMEOUT_ENV}={raw!r} is not a number of seconds above 0.")
    return seconds
