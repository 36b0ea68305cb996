"""Desired states of Foundry agents built directly (no manifests yet), and a connected dialect.

Until `kind: Agent` manifests land, the dialect's end-to-end tests give the real planner and
kinds a DesiredState made here: declared files written under a project folder, agents as
DesiredAgent objects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from reconciler.api.credentials import Credential
from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.dialects.ingestion import Waiting
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.retry import RetryPolicy
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.kinds.file import upload_name
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.state import DesiredState
from reconciler.core.tools.file_search import FileSearch
from reconciler.core.tools.function import Function
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, TOKEN

T = TypeVar("T")
PROJECT = "p1"  # the emulator's project, as tests/foundry_client.py names it


def environment(endpoint: str, name: str = "dev") -> Environment:
    return Environment(name, endpoint, "v1", None, None, api="foundry")


def declare(root: Path, files: dict[str, bytes]) -> dict[str, DesiredFile]:
    """Write each file under root; the catalogue the planner reads, by SHA-256."""
    declared = {}
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        declared[sha] = DesiredFile(path, sha, len(data), upload_name(path, sha))
    return declared


def agent(
    name: str,
    knowledge: dict[str, DesiredFile] | None = None,
    tools: tuple[dict[str, Any], ...] = (),
    **fields: Any,
) -> DesiredAgent:
    """An agent with function tools (as on the wire) and a file_search of `knowledge`."""
    shas = tuple(sorted(knowledge or {}))
    search = (FileSearch(shas),) if shas else ()
    functions = tuple(Function(t) for t in tools)
    return DesiredAgent(name=name, model=MODEL, tools=(*functions, *search), **fields)


def tool_of(agent: DesiredAgent, kind: type[T]) -> T:
    """The agent's one tool of that type."""
    (found,) = (t for t in agent.tools if isinstance(t, kind))
    return found


def desired(
    env: Environment, files: dict[str, DesiredFile], *agents: DesiredAgent, project: str = "shop"
) -> DesiredState:
    return DesiredState(project, env, {AGENTS.kind: agents}, files)


def client_of(
    http: httpx.Client, server: BackgroundServer, project: str = PROJECT
) -> FoundryClient:
    endpoint = f"{server.url}/api/projects/{project}"
    retry = RetryPolicy(base_seconds=0.001)
    return FoundryClient(http, endpoint, Credential(TOKEN, bearer=True), retry)


@contextmanager
def connected(
    server: BackgroundServer, root: Path, waiting: Waiting | None = None
) -> Iterator[FoundryAgents]:
    with httpx.Client(timeout=30) as http:
        yield FoundryAgents(client_of(http, server), root, waiting)


def stats(server: BackgroundServer) -> dict[str, int]:
    """Requests per route since the last reset, the project prefix left out."""
    counts = httpx.get(f"{server.url}/_emulator/stats").json()["requests"]
    return {k.replace("/api/projects/{project}", ""): v for k, v in counts.items()}


def clear_stats(server: BackgroundServer) -> None:
    emulator = server.emulator
    emulator.stats.clear()  # type: ignore[attr-defined]
