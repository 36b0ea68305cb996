"""Conversations and their items over HTTP, as the openai 3.x client sends and reads them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok

CONVERSATIONS = "/openai/v1/conversations"


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


def said(text: str, role: str = "user") -> dict[str, Any]:
    return {"role": role, "content": text}


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


def test_create_retrieve_update_and_delete(client: httpx.Client) -> None:
    body = {"items": [said("Hi"), said("Hello!", "assistant")], "metadata": {"topic": "demo"}}
    created = ok(client.post(CONVERSATIONS, json=body))
    assert set(created) == {"id", "object", "created_at", "metadata"}
    assert created["id"].startswith("conv_")
    assert (created["object"], created["metadata"]) == ("conversation", {"topic": "demo"})
    path = f"{CONVERSATIONS}/{created['id']}"
    assert ok(client.get(path)) == created

    updated = ok(client.post(path, json={"metadata": {"topic": "other", "n": "2"}}))
    assert updated == {**created, "metadata": {"topic": "other", "n": "2"}}
    assert ok(client.get(path))["metadata"] == {"topic": "other", "n": "2"}

    deleted = ok(client.delete(path))
    assert deleted == {"id": created["id"], "object": "conversation.deleted", "deleted": True}
    assert error_of(client.get(path), 404)["code"] == "not_found"
    assert error_of(client.get(f"{path}/items"), 404)["code"] == "not_found"
    assert error_of(client.delete(path), 404)["code"] == "not_found"


def test_an_empty_body_creates_a_conversation_with_no_items(client: httpx.Client) -> None:
    created = ok(client.post(CONVERSATIONS))
    assert created["metadata"] == {}
    listed = ok(client.get(f"{CONVERSATIONS}/{created['id']}/items"))
    assert listed == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


def test_items_are_stored_as_the_service_answers_them(client: httpx.Client) -> None:
    items = [
        said("Weather in Oslo?"),
        said("Let me check.", "assistant"),
        {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "x"}]},
        {"type": "function_call", "call_id": "call_1", "name": "weather", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
    ]
    conversation = ok(client.post(CONVERSATIONS, json={"items": items}))["id"]
    listed = ok(client.get(f"{CONVERSATIONS}/{conversation}/items", params={"order": "asc"}))
    user, assistant, developer, call, output = listed["data"]
    assert [item["id"][: item["id"].index("_") + 1] for item in listed["data"]] == [
        "msg_",
        "msg_",
        "msg_",
        "fc_",
        "fco_",
    ]
    assert {**user, "id": "?"} == {
        "id": "?",
        "type": "message",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_text", "text": "Weather in Oslo?"}],
    }
    assert assistant["content"] == [
        {"type": "output_text", "text": "Let me check.", "annotations": [], "logprobs": []}
    ]
    assert developer["content"] == [{"type": "input_text", "text": "x"}]
    assert (call["name"], call["arguments"], call["call_id"]) == ("weather", "{}", "call_1")
    assert (output["output"], output["status"]) == ("sunny", "completed")
    one = f"{CONVERSATIONS}/{conversation}/items/{call['id']}"
    assert ok(client.get(one, params={"include[]": "file_search_call.results"})) == call


def test_items_create_list_pages_and_delete(client: httpx.Client) -> None:
    conversation = ok(client.post(CONVERSATIONS, json={"items": [said("one")]}))
    items = f"{CONVERSATIONS}/{conversation['id']}/items"
    added = ok(client.post(items, json={"items": [said("two"), said("three")]}))
    assert [item["content"][0]["text"] for item in added["data"]] == ["two", "three"]
    assert (added["object"], added["has_more"]) == ("list", False)
    assert (added["first_id"], added["last_id"]) == (added["data"][0]["id"], added["data"][1]["id"])

    newest = ok(client.get(items, params={"limit": 2}))
    assert [item["content"][0]["text"] for item in newest["data"]] == ["three", "two"]
    assert newest["has_more"] is True
    rest = ok(client.get(items, params={"limit": 2, "after": newest["last_id"]}))
    assert [item["content"][0]["text"] for item in rest["data"]] == ["one"]
    assert rest["has_more"] is False

    removed = ok(client.delete(f"{items}/{added['data'][0]['id']}"))
    assert removed == ok(client.get(f"{CONVERSATIONS}/{conversation['id']}"))
    texts = [item["content"][0]["text"] for item in ok(client.get(items))["data"]]
    assert texts == ["three", "one"]
    assert error_of(client.get(f"{items}/{added['data'][0]['id']}"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"items": [said("x")] * 21}, "items", "array_above_max_length"),
        ({"items": "x"}, "items", "invalid_type"),
        ({"items": [{"type": "web_search_call"}]}, "items[0].type", "invalid_value"),
        ({"items": [said("x", "robot")]}, "items[0].role", "invalid_value"),
        ({"items": [{"role": "user", "content": 3}]}, "items[0].content", "invalid_type"),
        ({"items": [{"type": "function_call", "name": "f"}]}, "items[0].call_id", None),
        ({"metadata": {f"k{n}": "v" for n in range(17)}}, "metadata", None),
        ({"metadata": {"k": "v" * 513}}, "metadata.k", "invalid_value"),
        ({"metadata": {"k": 1}}, "metadata.k", "invalid_value"),
        ({"title": "x"}, "title", "unknown_parameter"),
    ],
)
def test_bad_bodies_are_400s_naming_the_field(
    client: httpx.Client, body: dict[str, Any], param: str, code: str | None
) -> None:
    error = error_of(client.post(CONVERSATIONS, json=body), 400)
    assert error["param"] == param
    if code is not None:
        assert error["code"] == code


def test_list_errors_and_missing_objects(client: httpx.Client) -> None:
    conversation = ok(client.post(CONVERSATIONS))["id"]
    items = f"{CONVERSATIONS}/{conversation}/items"
    assert error_of(client.get(items, params={"limit": 0}), 400)["param"] == "limit"
    assert error_of(client.get(items, params={"order": "up"}), 400)["param"] == "order"
    assert error_of(client.get(items, params={"after": "msg_nope"}), 400)["param"] == "after"
    assert error_of(client.get(f"{items}/msg_nope"), 404)["code"] == "not_found"
    assert error_of(client.post(f"{CONVERSATIONS}/conv_nope/items", json={"items": []}), 404)
    assert error_of(client.post(f"{CONVERSATIONS}/{conversation}", json={}), 400)["param"] == (
        "metadata"
    )
    assert error_of(client.post(items, json={}), 400)["param"] == "items"


def test_each_project_sees_only_its_own_conversations(server: BackgroundServer) -> None:
    with foundry_client(server.url, "one") as one, foundry_client(server.url, "two") as two:
        conversation = ok(one.post(CONVERSATIONS))["id"]
        assert error_of(two.get(f"{CONVERSATIONS}/{conversation}"), 404)["code"] == "not_found"


def test_conversations_outlive_a_restart_with_a_database_file(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.db")
    with BackgroundServer(Emulator.create(db)) as first, foundry_client(first.url) as client:
        conversation = ok(client.post(CONVERSATIONS, json={"items": [said("kept")]}))["id"]
    with BackgroundServer(Emulator.create(db)) as second, foundry_client(second.url) as client:
        items = ok(client.get(f"{CONVERSATIONS}/{conversation}/items"))["data"]
        assert [item["content"][0]["text"] for item in items] == ["kept"]
