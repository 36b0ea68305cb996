"""Fixtures: the emulator over https, and the official SDKs pointed at it, unmodified.

`AIProjectClient` gets a test TokenCredential and the test CA (`connection_verify`, the SDK's
documented option); the OpenAI client it returns gets an httpx2 client that trusts the same CA.
Nothing else is configured: the real bearer-token policy runs, over real TLS.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from azure.ai.projects import AIProjectClient
from azure.core.credentials import AccessToken

from reconciler.emulator import Emulator
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer

# The https fixture `tls` is the one tests/ uses: this environment installs the project beside
# the SDKs, and pytest runs from the checkout, so tests.support imports here too.
pytest_plugins = ["tests.support.tls"]

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
def ca_file(tls: TlsFiles) -> Path:
    """The CA certificate the clients trust, as the SDKs' `connection_verify` takes it."""
    assert tls.ca is not None
    return tls.ca


@pytest.fixture(autouse=True)
def columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans are as wide as COLUMNS says, which xdist's workers set to 80: pin it, as
    tests/conftest.py does."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(poll_after_ms=1)


@pytest.fixture
def emulator(options: FoundryOptions) -> Emulator:
    return Emulator.create(token=TOKEN, foundry=options)


@pytest.fixture
def server(emulator: Emulator, tls: TlsFiles) -> Iterator[BackgroundServer]:
    running = BackgroundServer(emulator, tls=tls)
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
    server: BackgroundServer, ca_file: Path, credential: FixedCredential
) -> Iterator[AIProjectClient]:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    with AIProjectClient(
        endpoint=endpoint, credential=credential, connection_verify=str(ca_file)
    ) as client:
        yield client


@pytest.fixture
def openai(project: AIProjectClient, tls: TlsFiles) -> Iterator[Any]:
    with httpx2.Client(verify=tls.client_context()) as http:
        client = project.get_openai_client(http_client=http)
        yield client
