"""The Foundry read sends its lists at once, and each store's files as many at a time as the
width allows (api/reads.py), over the real emulator on loopback.

Proved without timings: the client's request hook holds each request of interest at a barrier
until `width` of them are in flight together. A read that sent them one after another would
never fill the barrier: its wait breaks (after WAIT seconds, the failure's bound, never a pause
of a passing run) and the read fails. A counter of requests in flight shows the width is never
passed. The requests themselves are those the request-count tests state
(tests/engine/test_requests.py): only their order in time changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.reads import Reads, SkippedError, gather
from reconciler.core.kinds import agent, vector_store
from reconciler.core.kinds.vector_store import STORE_PREFIX
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok, prompt
from tests.support.foundry_desired import client_of, stats

WAIT = 20.0  # seconds a held request waits for the others before the test fails


class Rendezvous:
    """Holds the first `parties` requests that `wanted` picks until all of them are sent;
    counts the requests in flight (sent, not yet answered)."""

    def __init__(self, parties: int, wanted: Callable[[httpx.Request], bool]) -> None:
        self.barrier = threading.Barrier(parties, timeout=WAIT)
        self.wanted, self.parties = wanted, parties
        self.lock = threading.Lock()
        self.held = self.flying = self.most = 0

    def sent(self, request: httpx.Request) -> None:
        with self.lock:
            self.flying += 1
            self.most = max(self.most, self.flying)
            hold = self.wanted(request) and self.held < self.parties
            self.held += hold
        if hold:
            self.barrier.wait()

    def answered(self, response: httpx.Response) -> None:
        with self.lock:
            self.flying -= 1

    def client(self) -> httpx.Client:
        hooks: dict[str, list[Callable[..., None]]] = {
            "request": [self.sent],
            "response": [self.answered],
        }
        return httpx.Client(timeout=30, event_hooks=hooks)


def listed(*suffixes: str) -> Callable[[httpx.Request], bool]:
    return lambda request: request.url.path.endswith(suffixes)


def store_files(request: httpx.Request) -> bool:
    parts = request.url.path.split("/")
    return parts[-3:-2] == ["vector_stores"] and parts[-1] == "files"


def test_the_lists_are_read_at_once(server: BackgroundServer, tmp_path: Path) -> None:
    # Four of the five lists (the width) are in flight together, each held until all four are.
    with foundry_client(server.url) as api:
        ok(api.post("/agents/bot/versions", json=prompt()))
    meeting = Rendezvous(4, listed("/agents", "/files", "/vector_stores", "/connections"))
    with meeting.client() as http:
        live = FoundryAgents(client_of(http, server), tmp_path).read_live()
    assert meeting.held == 4
    assert meeting.most == 4  # the pool's width: never more
    assert [a.name for a in live.of(agent.LIVE)] == ["bot"]


@pytest.mark.parametrize("parallelism", [6, 12])
def test_each_store_s_files_are_listed_width_at_a_time(
    server: BackgroundServer, tmp_path: Path, parallelism: int
) -> None:
    stores = 2 * parallelism
    with foundry_client(server.url) as api:
        made = [
            ok(api.post("/openai/v1/vector_stores", json={"name": f"{STORE_PREFIX}{i:04}"}))["id"]
            for i in range(stores)
        ]
        ok(api.post("/openai/v1/vector_stores", json={"name": "theirs"}))
    server.emulator.stats.clear()  # type: ignore[attr-defined]
    meeting = Rendezvous(parallelism, store_files)
    with meeting.client() as http:
        dialect = FoundryAgents(client_of(http, server), tmp_path, parallelism=parallelism)
        live = dialect.read_live()
    assert meeting.held == parallelism
    assert meeting.most == parallelism
    read = {s.id: s for s in live.of(vector_store.LIVE)}
    assert set(made) <= set(read)
    assert stats(server)["GET /openai/v1/vector_stores/{vector_store_id}/files"] == stores


def test_the_first_error_in_reading_order_wins_and_later_reads_are_not_sent() -> None:
    started: list[str] = []

    def read(name: str, fails: bool = False) -> Callable[[], str]:
        def run() -> str:
            started.append(name)
            if fails:
                raise ValueError(name)
            return name

        return run

    with Reads(1) as reads:  # one at a time: the sequential read exactly
        futures = [reads.submit(read("a")), reads.submit(read("b", True)), reads.submit(read("c"))]
        with pytest.raises(ValueError, match="b"):
            gather(futures)
    assert started == ["a", "b"]
    assert isinstance(futures[2].exception(), SkippedError)
