"""An environment -> a client: a real endpoint with its credential, or the bundled emulator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from reconciler.api.client import AssistantsClient
from reconciler.api.credentials import Auth, Credential, Kind
from reconciler.api.entra import entra_auth
from reconciler.api.local_state import open_local_state
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import surface_of
from reconciler.core.model import Environment
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import UsageError

LOCAL = "local"
DEFAULT_KEY_ENV = "AZURE_OPENAI_API_KEY"
DEFAULT_TOKEN_ENV = "AZURE_OPENAI_AD_TOKEN"
STATE_DIR = ".reconciler"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


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
    kind = auth_kind(environment, process)
    if kind == "key":
        return _read(environment, process, environment.api_key_env or DEFAULT_KEY_ENV, False)
    if kind == "token":
        return _read(environment, process, environment.ad_token_env or DEFAULT_TOKEN_ENV, True)
    why = "" if environment.auth else f"the default when {DEFAULT_KEY_ENV} is not set"
    return entra_auth(surface_of(environment.endpoint), process, why)


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
) -> Iterator[AssistantsClient]:
    """A client for the environment; `local` runs the emulator on loopback, state in DIR/.reconciler."""
    if environment.endpoint != LOCAL:
        credential = credential_for(environment, process)
        with httpx.Client(timeout=TIMEOUT) as http:
            yield AssistantsClient(
                http, environment.endpoint, environment.api_version, credential, retry
            )
        return
    emulator = open_local_state(directory / STATE_DIR)
    try:
        with BackgroundServer(emulator) as server, httpx.Client(timeout=TIMEOUT) as http:
            yield AssistantsClient(
                http, server.url, environment.api_version, Credential(LOCAL), retry
            )
    finally:
        emulator.state.db.close()
