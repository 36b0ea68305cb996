"""An environment -> a client: a real endpoint with its credential, or the bundled emulator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.local_state import open_local_state
from reconciler.api.retry import RetryPolicy
from reconciler.core.model import Environment
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import UsageError

LOCAL = "local"
DEFAULT_KEY_ENV = "AZURE_OPENAI_API_KEY"
DEFAULT_TOKEN_ENV = "AZURE_OPENAI_AD_TOKEN"
STATE_DIR = ".reconciler"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def credential_for(environment: Environment, process: Mapping[str, str]) -> Credential:
    """The environment's key or token; without explicit names, the official SDK's variables."""
    if environment.ad_token_env:
        return _read(environment, process, environment.ad_token_env, bearer=True)
    if environment.api_key_env:
        return _read(environment, process, environment.api_key_env, bearer=False)
    if process.get(DEFAULT_KEY_ENV):
        return Credential(process[DEFAULT_KEY_ENV])
    if process.get(DEFAULT_TOKEN_ENV):
        return Credential(process[DEFAULT_TOKEN_ENV], bearer=True)
    raise UsageError(
        f"environment {environment.name!r} has no credential: set {DEFAULT_KEY_ENV} (or {DEFAULT_TOKEN_ENV} "
        "for Entra ID), or name another variable with api_key_env or ad_token_env."
    )


def _read(
    environment: Environment, process: Mapping[str, str], variable: str, bearer: bool
) -> Credential:
    if process.get(variable):
        return Credential(process[variable], bearer)
    what = "Entra ID token" if bearer else "API key"
    state = "is set but empty" if variable in process else "is not set"
    raise UsageError(
        f"environment {environment.name!r} reads its {what} from {variable}, which {state}. Set it."
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
