"""Responses streamed, in background, cut short and throttled, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, foundry_client, ok

RESPONSES = "/openai/v1/responses"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


def events_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = [block for block in response.text.split("\n\n") if block.strip()]
    found = []
    for block in blocks:
        kind, data = block.split("\n")
        event = json.loads(data.removeprefix("data: "))
        assert kind == f"event: {event['type']}"
        found.append(event)
    return found


def test_a_streamed_reply_tells_the_whole_response(client: httpx.Client) -> None:
    body = {"model": MODEL, "input": "Hello there", "stream": True}
    events = events_of(client.post(RESPONSES, json=body))
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    kinds = [event["type"] for event in events]
    assert kinds[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert kinds[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert events[0]["response"]["status"] == "in_progress"
    assert events[0]["response"]["output"] == []
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    final = events[-1]["response"]
    assert deltas == final["output"][0]["content"][0]["text"]
    assert deltas == "Emulated reply to 1 user message(s). Last message: Hello there"
    stored = ok(client.get(f"{RESPONSES}/{final['id']}"))
    assert stored == final


def test_a_streamed_function_call_gives_its_arguments(client: httpx.Client) -> None:
    body = {"model": MODEL, "input": "get_weather in Oslo", "tools": [WEATHER], "stream": True}
    events = events_of(client.post(RESPONSES, json=body))
    kinds = [event["type"] for event in events]
    assert "response.function_call_arguments.delta" in kinds
    done = next(e for e in events if e["type"] == "response.function_call_arguments.done")
    call = events[-1]["response"]["output"][0]
    assert (done["arguments"], done["name"]) == (call["arguments"], "get_weather")
    added = next(e for e in events if e["type"] == "response.output_item.added")
    assert (added["item"]["arguments"], added["item"]["call_id"]) == ("", call["call_id"])


def test_a_background_response_is_queued_then_runs_on_retrieves(client: httpx.Client) -> None:
    items = [{"role": "user", "content": "earlier"}]
    conversation = ok(client.post("/openai/v1/conversations", json={"items": items}))["id"]
    body = {"model": MODEL, "input": "later", "background": True, "conversation": conversation}
    queued = ok(client.post(RESPONSES, json=body))
    assert (queued["status"], queued["output"], queued["background"]) == ("queued", [], True)
    listed = f"/openai/v1/conversations/{conversation}/items"
    assert len(ok(client.get(listed))["data"]) == 1  # nothing added until it is done
    running = ok(client.get(f"{RESPONSES}/{queued['id']}"))
    assert (running["status"], running["output"]) == ("in_progress", [])
    done = ok(client.get(f"{RESPONSES}/{queued['id']}"))
    assert done["status"] == "completed"
    assert done["output"][0]["content"][0]["text"].endswith("Last message: later")
    assert ok(client.get(f"{RESPONSES}/{queued['id']}")) == done
    assert len(ok(client.get(listed))["data"]) == 3


def test_cancel_stops_a_running_one_and_only_background_ones(client: httpx.Client) -> None:
    queued = ok(client.post(RESPONSES, json={"model": MODEL, "input": "x", "background": True}))
    cancelled = ok(client.post(f"{RESPONSES}/{queued['id']}/cancel"))
    assert (cancelled["status"], cancelled["output"]) == ("cancelled", [])
    assert ok(client.get(f"{RESPONSES}/{queued['id']}"))["status"] == "cancelled"
    assert ok(client.post(f"{RESPONSES}/{queued['id']}/cancel"))["status"] == "cancelled"
    done = ok(client.post(RESPONSES, json={"model": MODEL, "input": "y", "background": True}))
    for _ in range(2):
        ok(client.get(f"{RESPONSES}/{done['id']}"))
    ended = ok(client.get(f"{RESPONSES}/{done['id']}"))
    assert ok(client.post(f"{RESPONSES}/{done['id']}/cancel")) == ended  # unchanged
    finished = ok(client.post(RESPONSES, json={"model": MODEL, "input": "x"}))
    refused = client.post(f"{RESPONSES}/{finished['id']}/cancel")
    assert refused.status_code == 400
    assert "background" in refused.json()["error"]["message"]
    missing = client.post(f"{RESPONSES}/resp_nope/cancel")
    assert missing.status_code == 404


def test_max_output_tokens_cuts_the_reply(client: httpx.Client) -> None:
    body = {"model": MODEL, "input": "a long question " * 10, "max_output_tokens": 16}
    cut = ok(client.post(RESPONSES, json=body))
    assert cut["status"] == "incomplete"
    assert cut["incomplete_details"] == {"reason": "max_output_tokens"}
    assert len(cut["output"][0]["content"][0]["text"]) == 16 * 4
    streamed = events_of(client.post(RESPONSES, json={**body, "stream": True}))
    assert streamed[-1]["type"] == "response.incomplete"


def test_an_unknown_deployment_is_the_services_404(client: httpx.Client) -> None:
    answer = client.post(RESPONSES, json={"model": "gpt-nope", "input": "x"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "DeploymentNotFound"


def test_fault_429_next_throttles_exactly_that_many(
    emulator: Emulator, client: httpx.Client
) -> None:
    emulator.faults.update({"fault_429_next": 2, "retry_after_ms": 1500})
    for _ in range(2):
        throttled = client.post(RESPONSES, json={"model": MODEL, "input": "x"})
        assert throttled.status_code == 429
        assert (throttled.headers["retry-after"], throttled.headers["retry-after-ms"]) == (
            "2",
            "1500",
        )
        assert throttled.json()["error"]["code"] == "rate_limit_exceeded"
    assert client.post(RESPONSES, json={"model": MODEL, "input": "x"}).status_code == 200
