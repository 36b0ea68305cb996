"""Connecting to an `api: assistants` environment: Assistants v1 at an Azure OpenAI resource
(an API key, a fixed token or Entra ID), or the bundled emulator."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from reconciler.api.client import AssistantsClient
from reconciler.api.connect import (
    DEFAULT_KEY_ENV,
    DEFAULT_PARALLELISM,
    DEFAULT_TOKEN_ENV,
    LOCAL,
    http_client,
    local_emulator,
    read_credential,
)
from reconciler.api.credentials import Auth, Credential, Kind
from reconciler.api.entra import entra_auth
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import surface_of
from reconciler.core.model import Environment


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


def v1_credential(
    environment: Environment, process: Mapping[str, str], retry: RetryPolicy | None = None
) -> Auth:
    """How a v1 environment's requests authenticate: a key, a fixed token or Entra ID."""
    kind = auth_kind(environment, process)
    if kind == "key":
        return read_credential(
            environment, process, environment.api_key_env or DEFAULT_KEY_ENV, False
        )
    if kind == "token":
        return read_credential(
            environment, process, environment.ad_token_env or DEFAULT_TOKEN_ENV, True
        )
    why = "" if environment.auth else f"the default when {DEFAULT_KEY_ENV} is not set"
    return entra_auth(surface_of(environment.endpoint), process, why, retry)


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
        credential = v1_credential(environment, process, retry)
        with http_client(stop, parallelism) as http:
            yield AssistantsClient(
                http, environment.endpoint, environment.api_version, credential, retry
            )
        return
    with local_emulator(directory, stop, parallelism) as (url, http):
        yield AssistantsClient(http, url, environment.api_version, Credential(LOCAL), retry)
