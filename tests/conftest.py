"""Fixtures: a real emulator over loopback HTTP, and clients for it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client

pytest_plugins = ["tests.support.tls"]  # the https fixture `tls`, shared with tests_foundry

# CI runs each property test on the same examples every time; people get fresh ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


API_VERSION = "2024-02-15-preview"
KEY = "test-key"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator.create()


@pytest.fixture
def server(emulator: Emulator) -> Iterator[BackgroundServer]:
    with BackgroundServer(emulator) as running:
        yield running


def azure_client(url: str, key: str = KEY) -> httpx.Client:
    """A plain client speaking Azure's wire format: /openai prefix, api-version, api-key."""
    return httpx.Client(
        base_url=f"{url}/openai",
        params={"api-version": API_VERSION},
        headers={"api-key": key},
        timeout=30,
    )


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


EXAMPLES = Path(__file__).parent.parent / "examples"
# What running an example leaves in the working tree: the local emulator's state. A test must
# start from the example as committed, whatever was run in the checkout before.
LOCAL_STATE = shutil.ignore_patterns(".reconciler")


def copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, ignore=LOCAL_STATE)


def copy_example(name: str, destination: Path, url: str) -> Path:
    """A copy of an example whose every environment uses the emulator at url."""
    project = destination / name
    copy_tree(EXAMPLES / name, project)
    config = project / "reconciler.yaml"
    text = config.read_text(encoding="utf-8").replace("endpoint: local", f"endpoint: {url}")
    text = text.replace("endpoint: https://contoso-prod.openai.azure.com", f"endpoint: {url}")
    text = text.replace("api_key_env: CONTOSO_PROD_OPENAI_KEY", "api_key_env: AZURE_OPENAI_API_KEY")
    config.write_text(text, encoding="utf-8")
    return project


@pytest.fixture
def multi(tmp_path: Path, server: BackgroundServer) -> Path:
    return copy_example("multi-env", tmp_path, server.url)


@pytest.fixture
def quick(tmp_path: Path, server: BackgroundServer) -> Path:
    return copy_example("quickstart", tmp_path, server.url)
