"""An environment -> a client: a real endpoint with its credential, or the bundled emulator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from reconciler.client import AssistantsClient, Credential
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import UsageError
from reconciler.model import Environment

LOCAL = "local"
STATE_DIR = ".reconciler"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def credential_for(environment: Environment, process: Mapping[str, str]) -> Credential:
    if environment.ad_token_env:
        token = process.get(environment.ad_token_env)
        if token:
            return Credential(token, bearer=True)
        raise UsageError(
            f"environment {environment.name!r} reads its Entra ID token from {environment.ad_token_env}, "
            "which is not set. "
            "Set it, or use api_key_env."
        )
    variable = environment.api_key_env or "AZURE_OPENAI_API_KEY"
    key = process.get(variable)
    if key:
        return Credential(key)
    raise UsageError(
        f"environment {environment.name!r} reads its API key from {variable}, which is not set. "
        "Set it, or point the environment at another variable with api_key_env."
    )


@contextmanager
def open_client(
    directory: Path, environment: Environment, process: Mapping[str, str]
) -> Iterator[AssistantsClient]:
    """A client for the environment; `local` runs the emulator on loopback, state in DIR/.reconciler."""
    if environment.endpoint != LOCAL:
        credential = credential_for(environment, process)
        with httpx.Client(timeout=TIMEOUT) as http:
            yield AssistantsClient(http, environment.endpoint, environment.api_version, credential)
        return
    state = directory / STATE_DIR
    state.mkdir(exist_ok=True)
    emulator = Emulator.create(str(state / "local.db"))
    try:
        with BackgroundServer(emulator) as server, httpx.Client(timeout=TIMEOUT) as http:
            yield AssistantsClient(http, server.url, environment.api_version, Credential(LOCAL))
    finally:
        emulator.state.db.close()
