"""Fixtures: a real emulator over loopback HTTP, and clients for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import azure_client
from tests.support.foundry_client import foundry_client
from tests.support.projects import copy_example

pytest_plugins = ["tests.support.tls"]  # the https fixture `tls`, shared with tests_foundry

# CI runs each property test on the same examples every time; people get fresh ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans are as wide as COLUMNS says (cli/console.py width), and xdist's workers set it to
    80 where a plain run leaves it unset: every test sees the width a pipe or CI log gets."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def emulator() -> Emulator:
    return Emulator.create()


@pytest.fixture
def server(emulator: Emulator) -> Iterator[BackgroundServer]:
    with BackgroundServer(emulator) as running:
        yield running


@pytest.fixture
def api(server: BackgroundServer) -> Iterator[httpx.Client]:
    with azure_client(server.url) as client:
        yield client


@pytest.fixture(scope="module")
def module_server() -> Iterator[BackgroundServer]:
    """One emulator per test module, reset by each test that uses it (a server costs ~0.2 s)."""
    with BackgroundServer(Emulator.create()) as running:
        yield running


@pytest.fixture
def foundry_api(module_server: BackgroundServer) -> Iterator[httpx.Client]:
    """A client of the Foundry project `p1` (tests/support/foundry_client.py), on a reset emulator."""
    emulator = module_server.emulator
    assert isinstance(emulator, Emulator)
    emulator.reset()
    with foundry_client(module_server.url) as client:
        yield client


@pytest.fixture
def control(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/_emulator", timeout=30) as client:
        yield client


@pytest.fixture
def multi(tmp_path: Path, server: BackgroundServer) -> Path:
    return copy_example("multi-env", tmp_path, server.url)


@pytest.fixture
def quick(tmp_path: Path, server: BackgroundServer) -> Path:
    return copy_example("quickstart", tmp_path, server.url)
