"""Retries: throttling honoured, failures backed off, caps kept, lost creates found, not repeated."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.retry import RetryPolicy
from reconciler.core.marks import NAME_MARK, OWNER_MARK
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError, ConnectionFailedError

Script = list[Callable[[httpx.Request], httpx.Response]]


class Recorder:
    """A scripted transport: each request takes the next step; every request and wait is kept."""

    def __init__(self, steps: Script) -> None:
        self.steps = iter(steps)
        self.requests: list[httpx.Request] = []
        self.waits: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return next(self.steps)(request)

    def client(self, **policy: Any) -> AssistantsClient:
        retry = RetryPolicy(sleep=self.waits.append, random=random.Random(7), **policy)
        http = httpx.Client(transport=httpx.MockTransport(self.handle))
        return AssistantsClient(
            http, "https://x.openai.azure.com", "2024-02-15-preview", Credential("k"), retry
        )


def status(
    code: int, headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(
        code, headers=headers, json={"error": {"code": str(code), "message": "m"}}
    )


def files(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"object": "list", "data": []})


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError(
        "Server disconnected without sending a response.", request=request
    )


def test_429_waits_as_retry_after_ms_says_before_retry_after() -> None:
    recorder = Recorder(
        [
            status(429, {"retry-after-ms": "250", "Retry-After": "1"}),
            status(429, {"Retry-After": "2"}),
            files,
        ]
    )
    recorder.client().list_files()
    assert recorder.waits == [0.25, 2.0]
    assert len(recorder.requests) == 3


def test_429_without_headers_backs_off_exponentially_with_full_jitter() -> None:
    recorder = Recorder([status(429)] * 4 + [files])
    recorder.client(base_seconds=1.0).list_files()
    assert len(recorder.waits) == 4
    for attempt, wait in enumerate(recorder.waits, start=1):
        assert 0 <= wait <= 2 ** (attempt - 1)
    assert len(set(recorder.waits)) == 4  # jittered, not fixed


@pytest.mark.parametrize("failure", [status(500), status(502), status(503), status(504), dropped])
def test_server_errors_and_network_failures_are_retried(
    failure: Callable[[httpx.Request], httpx.Response],
) -> None:
    recorder = Recorder([failure, failure, files])
    assert recorder.client(base_seconds=0.01).list_files() == []
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("code", [400, 401, 404])
def test_client_errors_are_not_retried(code: int) -> None:
    recorder = Recorder([status(code)])
    with pytest.raises(ApiError):
        recorder.client().list_files()
    assert len(recorder.requests) == 1


def test_attempts_are_capped() -> None:
    recorder = Recorder([status(503)] * 10)
    with pytest.raises(ApiError) as raised:
        recorder.client(attempts=3, base_seconds=0.01).list_files()
    assert raised.value.status == 503
    assert len(recorder.requests) == 3


def test_total_time_is_capped() -> None:
    recorder = Recorder([status(429, {"retry-after-ms": "40000"})] * 10)
    with pytest.raises(ApiError):
        recorder.client(total_seconds=100, cap_seconds=60).list_files()
    assert recorder.waits == [40.0, 40.0]  # a third wait would pass 100 s


def test_network_failure_after_the_last_attempt_is_a_connection_error() -> None:
    recorder = Recorder([dropped] * 2)
    with pytest.raises(ConnectionFailedError, match="list files failed: the connection to "):
        recorder.client(attempts=2, base_seconds=0.01).list_files()


MARKS = {OWNER_MARK: "p/dev", NAME_MARK: "bot"}


def made(request: httpx.Request) -> httpx.Response:
    body = {
        "object": "list",
        "data": [{"id": "asst_1", "created_at": 1, "model": "m", "metadata": MARKS}],
        "has_more": False,
    }
    return httpx.Response(200, json=body)


def test_a_create_whose_answer_was_lost_is_found_not_repeated() -> None:
    recorder = Recorder([dropped, made])
    created = recorder.client(base_seconds=0.01).create_assistant({"model": "m", "metadata": MARKS})
    assert created.id == "asst_1"
    assert [r.method for r in recorder.requests] == ["POST", "GET"]


def created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": "asst_2", "created_at": 1, "model": "m"})


def test_a_throttled_create_is_simply_sent_again() -> None:
    recorder = Recorder([status(429, {"retry-after-ms": "1"}), created])
    assert recorder.client().create_assistant({"model": "m", "metadata": MARKS}).id == "asst_2"
    assert [r.method for r in recorder.requests] == ["POST", "POST"]


def test_a_delete_whose_answer_was_lost_counts_as_done() -> None:
    recorder = Recorder([dropped, status(404)])
    recorder.client(base_seconds=0.01).delete_assistant("asst_1")
    assert [r.method for r in recorder.requests] == ["DELETE", "DELETE"]


@pytest.fixture
def lossy() -> Iterator[tuple[Emulator, AssistantsClient]]:
    emulator = Emulator.create()
    with BackgroundServer(emulator) as server, httpx.Client() as http:
        retry = RetryPolicy(base_seconds=0.001)
        yield (
            emulator,
            AssistantsClient(http, server.url, "2024-02-15-preview", Credential("k"), retry),
        )


def test_against_the_emulator_lost_creates_and_uploads_leave_no_duplicate(
    lossy: tuple[Emulator, AssistantsClient],
) -> None:
    emulator, client = lossy
    recoveries = 0
    for seed in range(5):
        emulator.reset()
        emulator.faults.update({"fault_lost": 0.5, "seed": seed})
        created = client.create_assistant({"model": "m", "metadata": MARKS})
        uploaded = client.upload_file("faq.0123456789ab.md", b"# faq")
        calls = emulator.stats.snapshot()["requests"]
        assert (calls["POST /openai/assistants"], calls["POST /openai/files"]) == (1, 1)
        recoveries += calls.get("GET /openai/assistants", 0)
        emulator.faults.update({"fault_lost": 0.0})
        assert [a.id for a in client.list_assistants()] == [created.id]
        assert [f.id for f in client.list_files()] == [uploaded.id]
    assert recoveries > 0  # answers were lost, and found again rather than sent twice
