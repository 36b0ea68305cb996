"""Responses (non-streaming) against a deployment name, with the deterministic model, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, foundry_client, ok, prompt

RESPONSES = "/openai/v1/responses"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["c", "f"]},
            "file_ids": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["city", "unit"],
    },
}


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


def text_of(response: dict[str, Any]) -> str:
    [message] = response["output"]
    assert (message["type"], message["role"], message["status"]) == (
        "message",
        "assistant",
        "completed",
    )
    text: str = message["content"][0]["text"]
    return text


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def test_the_model_answers_from_its_input(client: httpx.Client) -> None:
    first = ok(client.post(RESPONSES, json={"model": MODEL, "input": "Hello there"}))
    assert first["id"].startswith("resp_")
    assert (first["object"], first["status"], first["model"]) == ("response", "completed", MODEL)
    assert text_of(first) == "Emulated reply to 1 user message(s). Last message: Hello there"
    counts = first["usage"]
    assert counts["total_tokens"] == counts["input_tokens"] + counts["output_tokens"] > 0
    again = ok(client.post(RESPONSES, json={"model": MODEL, "input": "Hello there"}))
    assert text_of(again) == text_of(first)
    assert ok(client.get(f"{RESPONSES}/{first['id']}")) == first


def test_previous_response_id_continues_the_context(client: httpx.Client) -> None:
    first = ok(client.post(RESPONSES, json={"model": MODEL, "input": "one"}))
    body = {"model": MODEL, "input": "two", "previous_response_id": first["id"]}
    second = ok(client.post(RESPONSES, json=body))
    assert second["previous_response_id"] == first["id"]
    assert text_of(second) == "Emulated reply to 2 user message(s). Last message: two"
    given = ok(client.get(f"{RESPONSES}/{second['id']}/input_items"))
    assert [item["content"][0]["text"] for item in given["data"]] == ["two"]
    assert (given["object"], given["has_more"]) == ("list", False)
    assert given["first_id"] == given["data"][0]["id"]
    unknown = {**body, "previous_response_id": "resp_nope"}
    assert error_of(client.post(RESPONSES, json=unknown), 404)["code"] == "not_found"


def test_a_function_is_called_when_asked_then_its_output_answered(client: httpx.Client) -> None:
    ask = {"model": MODEL, "input": "Use get_weather for Oslo", "tools": [WEATHER]}
    called = ok(client.post(RESPONSES, json=ask))
    [call] = called["output"]
    assert (call["type"], call["name"]) == ("function_call", "get_weather")
    assert call["call_id"].startswith("call_")
    assert json.loads(call["arguments"]) == {"city": "Use get_weather for Oslo", "unit": "c"}

    missing = {"model": MODEL, "input": "and?", "previous_response_id": called["id"]}
    error = error_of(client.post(RESPONSES, json=missing), 400)
    assert error["message"] == f"No tool output found for function call {call['call_id']}."
    output = {"type": "function_call_output", "call_id": call["call_id"], "output": "sunny"}
    answered = ok(
        client.post(
            RESPONSES,
            json={"model": MODEL, "input": [output], "previous_response_id": called["id"]},
        )
    )
    assert text_of(answered).endswith("Last message: Use get_weather for Oslo Tool outputs: sunny")


def test_no_call_unless_the_input_names_the_tool_or_tool_choice_asks(client: httpx.Client) -> None:
    plain = ok(client.post(RESPONSES, json={"model": MODEL, "input": "Hi", "tools": [WEATHER]}))
    assert text_of(plain).endswith("Last message: Hi")
    forced = {"model": MODEL, "input": "Hi", "tools": [WEATHER], "tool_choice": "required"}
    assert ok(client.post(RESPONSES, json=forced))["output"][0]["type"] == "function_call"
    never = {**forced, "input": "get_weather", "tool_choice": "none"}
    assert ok(client.post(RESPONSES, json=never))["output"][0]["type"] == "message"


def test_a_response_in_a_conversation_adds_its_items(client: httpx.Client) -> None:
    items = [{"role": "user", "content": "earlier"}]
    conversation = ok(client.post("/openai/v1/conversations", json={"items": items}))["id"]
    body = {"model": MODEL, "input": "now", "conversation": conversation}
    response = ok(client.post(RESPONSES, json=body))
    assert response["conversation"] == {"id": conversation}
    assert text_of(response) == "Emulated reply to 2 user message(s). Last message: now"
    listed = ok(
        client.get(f"/openai/v1/conversations/{conversation}/items", params={"order": "asc"})
    )
    assert [item["role"] for item in listed["data"]] == ["user", "user", "assistant"]
    assert listed["data"][-1]["id"] == response["output"][0]["id"]


def test_store_false_keeps_nothing_and_delete_removes(client: httpx.Client) -> None:
    unstored = ok(client.post(RESPONSES, json={"model": MODEL, "input": "x", "store": False}))
    assert error_of(client.get(f"{RESPONSES}/{unstored['id']}"), 404)["code"] == "not_found"
    stored = ok(client.post(RESPONSES, json={"model": MODEL, "input": "x"}))
    assert ok(client.delete(f"{RESPONSES}/{stored['id']}"))["deleted"] is True
    assert client.get(f"{RESPONSES}/{stored['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"input": "x"}, 400, "model"),
        ({"model": MODEL, "input": 3}, 400, "input"),
        (
            {"model": MODEL, "input": "x", "previous_response_id": "r", "conversation": "c"},
            400,
            None,
        ),
        ({"model": "no-such-deployment", "input": "x"}, 404, "model"),
        ({"model": MODEL, "input": "x", "max_output_tokens": 5}, 400, "max_output_tokens"),
        ({"model": MODEL, "input": "x", "background": True, "store": False}, 400, "store"),
        ({"model": MODEL, "input": "x", "conversation": "conv_nope"}, 404, None),
    ],
)
def test_errors(client: httpx.Client, body: dict[str, Any], status: int, param: str | None) -> None:
    error = error_of(client.post(RESPONSES, json=body), status)
    assert set(error) == {"message", "type", "param", "code"}
    if param is not None:
        assert error["param"] == param


def test_an_agent_reference_runs_that_agents_version(client: httpx.Client) -> None:
    tool = {**WEATHER, "description": "Weather by city."}
    first = prompt(instructions="Be terse.", tools=[tool])
    ok(client.post("/agents/helper/versions", json=first))
    ok(client.post("/agents/helper/versions", json=prompt(instructions="Be kind.")))
    reference = {"type": "agent_reference", "name": "helper"}
    latest = ok(
        client.post(RESPONSES, json={"input": "get_weather?", "agent_reference": reference})
    )
    assert (latest["model"], latest["instructions"]) == (MODEL, "Be kind.")
    assert latest["agent_reference"] == {**reference, "version": "2"}
    assert latest["output"][0]["type"] == "message"  # version 2 has no tools
    pinned = {**reference, "version": "1"}
    called = ok(client.post(RESPONSES, json={"input": "get_weather?", "agent_reference": pinned}))
    assert called["output"][0]["name"] == "get_weather"
    missing = {"input": "x", "agent_reference": {**reference, "name": "nobody"}}
    assert error_of(client.post(RESPONSES, json=missing), 404)["code"] == "not_found"
    nameless = {"input": "x", "agent_reference": {"type": "agent_reference"}}
    assert error_of(client.post(RESPONSES, json=nameless), 400)["param"] == "agent_reference.name"


def test_an_agents_own_endpoint_runs_that_agent(client: httpx.Client) -> None:
    ok(client.post("/agents/helper/versions", json=prompt(instructions="Be kind.")))
    endpoint = "/agents/helper/endpoint/protocols/openai/responses"
    response = ok(client.post(endpoint, json={"input": "Hi"}))
    assert response["agent_reference"] == {
        "type": "agent_reference",
        "name": "helper",
        "version": "1",
    }
    assert text_of(response).endswith("Last message: Hi")
    missing = client.post("/agents/nobody/endpoint/protocols/openai/responses", json={"input": "x"})
    assert error_of(missing, 404)["details"] == []  # the agents routes' error shape


def test_structured_output_answers_json(client: httpx.Client) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "size": {"type": "integer", "minimum": 2}},
        "required": ["name", "size"],
    }
    fmt = {"type": "json_schema", "name": "Event", "schema": schema}
    shaped = ok(
        client.post(RESPONSES, json={"model": MODEL, "input": "Fair", "text": {"format": fmt}})
    )
    assert json.loads(text_of(shaped)) == {"name": "Fair", "size": 2}
    assert shaped["text"] == {"format": fmt}
    loose = {"model": MODEL, "input": "Hi", "text": {"format": {"type": "json_object"}}}
    answered = json.loads(text_of(ok(client.post(RESPONSES, json=loose))))
    assert answered == {"reply": "Emulated reply to 1 user message(s). Last message: Hi"}
    bad = client.post(RESPONSES, json={"model": MODEL, "input": "x", "text": "json"})
    assert error_of(bad, 400)["param"] == "text"
