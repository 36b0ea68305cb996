"""Connecting to an `api: foundry` environment: a Foundry project
(`https://{account}.services.ai.azure.com/api/projects/{project}`, or the emulator's
`{server}/api/projects/{project name}` for `local`), with bearer tokens only."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from reconciler.api.connect import (
    DEFAULT_PARALLELISM,
    DEFAULT_TOKEN_ENV,
    INGESTION_TIMEOUT_ENV,
    LOCAL,
    LOCAL_TOKEN,
    http_client,
    local_emulator,
    read_credential,
)
from reconciler.api.credentials import Auth, Credential
from reconciler.api.dialects.ingestion import DEFAULT_TIMEOUT
from reconciler.api.entra import entra_auth
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import FOUNDRY_PROJECT
from reconciler.core.model import Environment
from reconciler.errors import UsageError


def foundry_credential(
    environment: Environment, process: Mapping[str, str], retry: RetryPolicy | None = None
) -> Auth:
    """A Foundry project takes Entra ID bearer tokens only: Entra ID unless a fixed token is
    asked for by name. The SDK's variables are not read: AZURE_OPENAI_API_KEY is no use here,
    and AZURE_OPENAI_AD_TOKEN is usually a token for Azure OpenAI, another audience."""
    if environment.auth == "key":
        raise UsageError(
            f"environment {environment.name!r} has api: foundry and auth: key, but a Foundry "
            "project takes no API keys. Use auth: entra (the default) or auth: token."
        )
    if environment.auth == "token" or (environment.auth is None and environment.ad_token_env):
        return read_credential(
            environment, process, environment.ad_token_env or DEFAULT_TOKEN_ENV, True
        )
    why = "" if environment.auth else "the default for api: foundry"
    return entra_auth(FOUNDRY_PROJECT, process, why, retry)


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
        credential = foundry_credential(environment, process, retry)
        with http_client(stop, parallelism) as http:
            yield FoundryClient(http, environment.endpoint, credential, retry)
        return
    with local_emulator(directory, stop, parallelism) as (url, http):
        endpoint = f"{url}/api/projects/{quote(project, safe='')}"
        yield FoundryClient(http, endpoint, Credential(LOCAL_TOKEN, bearer=True), retry)


def ingestion_timeout(process: Mapping[str, str]) -> float:
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
