"""Fixtures: the emulator over https, and the official SDKs pointed at it, unmodified.

`AIProjectClient` gets a test TokenCredential and the test CA (`connection_verify`, the SDK's
documented option); the OpenAI client it returns gets an httpx2 client that trusts the same CA.
Nothing else is configured: the real bearer-token policy runs, over real TLS.
"""

from __future__ import annotations

import gc
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from azure.ai.projects import AIProjectClient
from azure.core.credentials import AccessToken

from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from tests_foundry.tls import TlsServer, make_ca

TOKEN = "test-entra-token"
PROJECT = "proj1"


class FixedCredential:
    """A TokenCredential that hands out one fixed token and remembers the scopes asked for."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(self.token, int(time.time()) + 3600)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_ca(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(poll_after_ms=1)


@pytest.fixture
def emulator(options: FoundryOptions) -> Emulator:
    return Emulator.create(token=TOKEN, foundry=options)


@pytest.fixture
def server(emulator: Emulator, certificates: tuple[Path, Path]) -> Iterator[TlsServer]:
    running = TlsServer(emulator, certificates[1])
    with running:
        yield running
        # An azure-core error keeps its response, and so its connection, in a reference cycle;
        # collect it so the client hangs up and the server can stop without waiting for it.
        gc.collect()


@pytest.fixture
def credential() -> FixedCredential:
    return FixedCredential()


@pytest.fixture
def project(
    server: TlsServer, certificates: tuple[Path, Path], credential: FixedCredential
) -> Iterator[AIProjectClient]:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    with AIProjectClient(
        endpoint=endpoint, credential=credential, connection_verify=str(certificates[0])
    ) as client:
        yield client


@pytest.fixture
def openai(project: AIProjectClient, certificates: tuple[Path, Path]) -> Iterator[Any]:
    trusted = ssl.create_default_context(cafile=str(certificates[0]))
    with httpx2.Client(verify=trusted) as http:
        client = project.get_openai_client(http_client=http)
        yield client
