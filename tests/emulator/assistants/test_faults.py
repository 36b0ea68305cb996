"""Injected faults, each kind, set at start and at run time, reproducible by seed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator, FaultSettings
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import azure_client

# A dropped connection reaches the client as a close without a response, or as a reset when
# the request had bytes the server never read: both are what a real network drop looks like.
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)


def set_faults(control: httpx.Client, **changes: Any) -> dict[str, Any]:
    response = control.put("/faults", json=changes)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def assistants_on(emulator: Emulator) -> list[dict[str, Any]]:
    return emulator.state.db.children("assistant", "")


def test_defaults_are_no_faults(control: httpx.Client) -> None:
    assert control.get("/faults").json() == FaultSettings().model_dump()
    assert FaultSettings().model_dump() == {
        "latency_ms": 0,
        "fault_429": 0.0,
        "fault_429_next": 0,
        "fault_500": 0.0,
        "fault_drop": 0.0,
        "fault_lost": 0.0,
        "retry_after_ms": 1000,
        "seed": None,
        "ignore_before": False,
    }


def test_429_carries_retry_after_in_seconds_and_milliseconds(
    api: httpx.Client, control: httpx.Client
) -> None:
    set_faults(control, fault_429=1.0, retry_after_ms=2500)
    response = api.post("/assistants", json={"model": "m"})
    assert response.status_code == 429
    assert (response.headers["retry-after"], response.headers["retry-after-ms"]) == ("3", "2500")
    error = response.json()["error"]
    assert error["code"] == "429"
    assert error["message"].endswith("Please retry after 3 seconds.")


def test_500_is_a_service_error_and_changes_nothing(
    emulator: Emulator, api: httpx.Client, control: httpx.Client
) -> None:
    set_faults(control, fault_500=1.0)
    response = api.post("/assistants", json={"model": "m"})
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "server_error"
    assert assistants_on(emulator) == []


def test_a_dropped_connection_gets_no_response_and_changes_nothing(
    emulator: Emulator, api: httpx.Client, control: httpx.Client
) -> None:
    set_faults(control, fault_drop=1.0)
    with pytest.raises(DROPPED):
        api.post("/assistants", json={"model": "m"})
    assert assistants_on(emulator) == []


def test_applied_but_lost_makes_the_change_then_drops_the_response(
    emulator: Emulator, api: httpx.Client, control: httpx.Client
) -> None:
    set_faults(control, fault_lost=1.0)
    with pytest.raises(DROPPED):
        api.post("/assistants", json={"model": "m", "name": "ghost"})
    assert [a["name"] for a in assistants_on(emulator)] == ["ghost"]


def test_faults_spare_the_control_endpoints(control: httpx.Client) -> None:
    set_faults(control, fault_500=1.0, fault_drop=1.0)
    assert control.get("/stats").status_code == 200
    assert control.get("/faults").status_code == 200


def test_latency_holds_every_response_and_runs_while_the_request_is_handled(
    emulator: Emulator, api: httpx.Client, control: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[tuple[float, list[str]]] = []  # each wait, and the assistants made when it began
    real_sleep = asyncio.sleep

    async def record(delay: float) -> None:
        waits.append((delay, [a["name"] for a in assistants_on(emulator)]))
        await real_sleep(0)

    # Only the gateway's name for asyncio is replaced: patching asyncio.sleep itself would also
    # catch uvicorn's 0.1 s ticks, as soon as a tick comes during the test (under load).
    monkeypatch.setattr("reconciler.emulator.core.gateway.asyncio", SimpleNamespace(sleep=record))
    set_faults(control, latency_ms=250)
    api.post("/assistants", json={"model": "m", "name": "first"})
    api.get("/files")
    set_faults(control, fault_500=1.0)
    assert api.post("/assistants", json={"model": "m", "name": "refused"}).status_code == 500
    # The create was handled before its response was held; what is held is the latency less
    # the time the handling took (a fraction of the 250 ms), and an injected error waits too.
    assert [made for _, made in waits] == [["first"], ["first"], ["first"]]
    assert all(0.15 < delay <= 0.25 for delay, _ in waits), waits


def test_ignore_before_serves_lists_as_if_before_had_not_been_sent(
    api: httpx.Client, control: httpx.Client
) -> None:
    made = [api.post("/assistants", json={"model": "m"}).json()["id"] for _ in range(6)]

    def listed(**params: str) -> list[str]:
        response = api.get("/assistants", params={"limit": "2", **params})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["data"]]

    bounded = {"order": "desc", "after": made[4], "before": made[2]}
    assert listed(**bounded) == [made[3]]
    assert listed(order="asc", before=made[5]) == made[3:5]
    set_faults(control, ignore_before=True)
    assert listed(**bounded) == listed(order="desc", after=made[4]) == [made[3], made[2]]
    assert listed(order="asc", before=made[5]) == made[:2]


def statuses(url: str, count: int) -> list[int]:
    with azure_client(url) as client:
        return [client.get("/assistants").status_code for _ in range(count)]


def seeded(seed: int) -> Emulator:
    return Emulator.create(faults=FaultSettings(fault_429=0.3, fault_500=0.3, seed=seed))


def test_a_seed_makes_the_fault_sequence_reproducible() -> None:
    runs = []
    for seed in (7, 7, 8):
        with BackgroundServer(seeded(seed)) as server:
            runs.append(statuses(server.url, 40))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert set(runs[0]) == {200, 429, 500}


def test_reseeding_at_run_time_restarts_the_sequence(
    api: httpx.Client, control: httpx.Client
) -> None:
    set_faults(control, fault_500=0.5, seed=3)
    first = [api.get("/assistants").status_code for _ in range(20)]
    set_faults(control, seed=3)
    assert [api.get("/assistants").status_code for _ in range(20)] == first


@pytest.mark.parametrize(
    "changes",
    [
        {"fault_429": 1.5},
        {"fault_drop": -0.1},
        {"latency_ms": -1},
        {"colour": "red"},
        {"seed": "x"},
    ],
)
def test_invalid_fault_settings_are_400_and_change_nothing(
    control: httpx.Client, changes: dict[str, Any]
) -> None:
    before = control.get("/faults").json()
    response = control.put("/faults", json=changes)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Invalid fault settings")
    assert control.get("/faults").json() == before


def test_fault_settings_that_are_not_an_object_are_400(control: httpx.Client) -> None:
    assert control.put("/faults", content=b"[1]").status_code == 400
    assert control.put("/faults", content=b"{").status_code == 400


@pytest.fixture
def throttled_from_start() -> Iterator[BackgroundServer]:
    with BackgroundServer(Emulator.create(faults=FaultSettings(fault_429=1.0))) as server:
        yield server


def test_faults_can_be_set_at_start(throttled_from_start: BackgroundServer) -> None:
    assert statuses(throttled_from_start.url, 3) == [429, 429, 429]


def test_stats_count_requests_per_route_template_including_faulted_ones(
    api: httpx.Client, control: httpx.Client
) -> None:
    assistant = api.post("/assistants", json={"model": "m"}).json()["id"]
    api.get(f"/assistants/{assistant}")
    api.get("/assistants")
    set_faults(control, fault_429=1.0)
    api.get("/assistants")
    api.get("/nowhere")
    assert control.get("/stats").json() == {
        "requests": {
            "GET (unmatched)": 1,
            "GET /openai/assistants": 2,
            "GET /openai/assistants/{assistantId}": 1,
            "POST /openai/assistants": 1,
        },
        "total": 5,
        "in_flight": 0,
    }


def test_a_test_waits_for_a_request_to_arrive_and_for_the_emulator_to_be_idle(
    server: BackgroundServer, control: httpx.Client
) -> None:
    """`/_emulator/stats/wait` answers once a route was requested, and with `idle=true` once
    nothing is in flight: a test synchronises on the emulator instead of polling or sleeping."""
    set_faults(control, latency_ms=400)
    route = "POST /openai/assistants"
    with ThreadPoolExecutor(1) as pool, azure_client(server.url) as api:
        created = pool.submit(api.post, "/assistants", json={"model": "gpt-4o"})
        arrived = control.get("/stats/wait", params={"route": route, "timeout": 30})
        assert arrived.status_code == 200
        assert (arrived.json()["requests"][route], arrived.json()["in_flight"]) == (1, 1)
        idle = control.get("/stats/wait", params={"idle": "true", "timeout": 30})
        assert (idle.status_code, idle.json()["in_flight"]) == (200, 0)
        assert created.result().status_code == 200
    twice = control.get("/stats/wait", params={"route": route, "count": 2, "timeout": 0.05})
    assert twice.status_code == 408  # asked once only
    never = control.get("/stats/wait", params={"route": "GET /nowhere", "timeout": 0.05})
    assert never.status_code == 408
    assert control.get("/stats/wait", params={"timeout": "soon"}).status_code == 400
