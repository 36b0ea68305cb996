"""Hosted tools in responses (file search, code interpreter, MCP, OpenAPI), structured inputs
and an agent's own endpoint, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, foundry_client, ok, prompt, upload
from tests.support.mcp_server import SESSION, McpServer

RESPONSES = "/openai/v1/responses"
GUIDE = b"""# Contoso SmartView

## Battery
The battery lasts ten hours and charges wirelessly.

## Care
Clean the lenses with a dry cloth.
"""
PRICES = b"Prices\n\nThe SmartView costs 300 dollars. The battery pack costs 40 dollars.\n"


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


@pytest.fixture
def mcp() -> Iterator[tuple[McpServer, str]]:
    app = McpServer()
    with BackgroundServer(app) as running:
        yield app, f"{running.url}/mcp"


def store_with(client: httpx.Client, *files: tuple[str, bytes]) -> tuple[str, list[str]]:
    ids = [upload(client, name, data) for name, data in files]
    store = ok(client.post("/openai/v1/vector_stores", json={"name": "kb", "file_ids": ids}))
    return store["id"], ids


def ask(client: httpx.Client, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = ok(client.post(RESPONSES, json={"model": MODEL, **body}))
    return answer


def reply_of(response: dict[str, Any]) -> dict[str, Any]:
    part: dict[str, Any] = response["output"][-1]["content"][0]
    return part


def test_file_search_ranks_passages_and_cites_real_files(client: httpx.Client) -> None:
    store, (guide, prices) = store_with(client, ("guide.md", GUIDE), ("prices.txt", PRICES))
    tool = {"type": "file_search", "vector_store_ids": [store]}
    found = ask(
        client,
        input="How long does the battery last?",
        tools=[tool],
        include=["file_search_call.results"],
    )
    call = found["output"][0]
    assert (call["type"], call["queries"]) == (
        "file_search_call",
        ["How long does the battery last?"],
    )
    results = call["results"]
    assert results[0]["file_id"] == guide
    assert results[0]["text"].startswith("## Battery")
    assert {r["filename"] for r in results} == {"guide.md", "prices.txt"}
    assert results == sorted(results, key=lambda r: -r["score"])
    part = reply_of(found)
    assert "file_search: guide.md: The battery lasts ten hours" in part["text"]
    cited = [(a["type"], a["file_id"], a["filename"]) for a in part["annotations"]]
    assert cited == [("file_citation", guide, "guide.md"), ("file_citation", prices, "prices.txt")]
    plain = ask(client, input="How long does the battery last?", tools=[tool])
    assert plain["output"][0]["results"] is None  # only with include
    none = ask(client, input="xylophone", tools=[tool])
    assert reply_of(none)["text"].endswith("Tool outputs: file_search found nothing")


def test_code_interpreter_is_a_labelled_stand_in(client: httpx.Client) -> None:
    tool = {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["f1"]}}
    ran = ask(client, input="Sum 1..10", tools=[tool], include=["code_interpreter_call.outputs"])
    call = ran["output"][0]
    assert call["type"] == "code_interpreter_call"
    assert call["code"].startswith("# Recorded result (emulator): no code was run.")
    assert call["outputs"][0]["logs"].endswith("Files given: f1.")
    assert "code_interpreter: Recorded result (emulator)" in reply_of(ran)["text"]


def test_mcp_on_loopback_lists_asks_then_calls(
    client: httpx.Client, mcp: tuple[McpServer, str]
) -> None:
    server, url = mcp
    tool = {"type": "mcp", "server_label": "local", "server_url": url, "headers": {"X-Key": "k"}}
    asked = ask(client, input="please echo hello", tools=[tool])
    listed, request = asked["output"]
    assert (listed["type"], [t["name"] for t in listed["tools"]]) == (
        "mcp_list_tools",
        ["echo", "fail"],
    )
    assert listed["tools"][0]["input_schema"]["required"] == ["text"]
    assert (request["type"], request["name"]) == ("mcp_approval_request", "echo")
    assert json.loads(request["arguments"]) == {"text": "please echo hello"}
    approval = {
        "type": "mcp_approval_response",
        "approval_request_id": request["id"],
        "approve": True,
    }
    answered = ask(client, input=[approval], previous_response_id=asked["id"], tools=[tool])
    call = answered["output"][0]
    assert (call["type"], call["output"], call["error"]) == (
        "mcp_call",
        "echo: please echo hello",
        None,
    )
    assert call["approval_request_id"] == request["id"]
    assert reply_of(answered)["text"].endswith("mcp local.echo: echo: please echo hello")
    methods = [method for method, _, _ in server.seen]
    assert methods[:3] == ["initialize", "notifications/initialized", "tools/list"]
    assert methods[-1] == "tools/call"
    headers = server.seen[-1][1]
    assert (headers["x-key"], headers["mcp-session-id"]) == ("k", SESSION)


def test_mcp_without_approval_calls_at_once_and_reports_errors(
    client: httpx.Client, mcp: tuple[McpServer, str]
) -> None:
    _, url = mcp
    tool = {"type": "mcp", "server_label": "local", "server_url": url, "require_approval": "never"}
    called = ask(client, input="make it fail", tools=[{**tool, "allowed_tools": ["fail"]}])
    listed, call = called["output"][:2]
    assert [t["name"] for t in listed["tools"]] == ["fail"]
    assert (call["type"], call["output"], call["error"]) == ("mcp_call", None, "it failed")
    denied = ask(client, input="echo", tools=[{**tool, "require_approval": "always"}])
    request = denied["output"][1]
    no = {"type": "mcp_approval_response", "approval_request_id": request["id"], "approve": False}
    after = ask(client, input=[no], previous_response_id=denied["id"], tools=[tool])
    assert reply_of(after)["text"].endswith("mcp local: the call to echo was not approved")


def test_mcp_off_loopback_is_a_labelled_stand_in(client: httpx.Client) -> None:
    remote = "https://mcp.example.invalid/mcp"
    tool = {"type": "mcp", "server_label": "far", "server_url": remote, "require_approval": "never"}
    output = ask(client, input="anything", tools=[tool])["output"]
    assert output[0]["tools"][0]["description"].startswith("Recorded stand-in (emulator)")
    assert output[1]["output"].endswith(f"{remote} was not called.")


def test_an_unreachable_loopback_server_is_an_error_item(client: httpx.Client) -> None:
    tool = {"type": "mcp", "server_label": "gone", "server_url": "http://127.0.0.1:9/mcp"}
    listed = ask(client, input="x", tools=[tool])["output"][0]
    assert (listed["type"], listed["tools"]) == ("mcp_list_tools", [])
    assert listed["error"].startswith("cannot reach http://127.0.0.1:9/mcp")


def test_openapi_is_a_labelled_recorded_result(client: httpx.Client) -> None:
    spec = {
        "openapi": "3.0.0",
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": {"/weather/{city}": {"get": {"operationId": "GetWeather"}}},
    }
    function = {"name": "weather", "spec": spec, "auth": {"type": "anonymous"}}
    answered = ask(client, input="weather?", tools=[{"type": "openapi", "openapi": function}])
    assert reply_of(answered)["text"].endswith(
        "openapi weather: Recorded result (emulator): "
        "GET https://api.example.invalid/weather/{city} (GetWeather) was not called."
    )


def test_structured_inputs_bind_instructions_and_tools(client: httpx.Client) -> None:
    store, _ = store_with(client, ("guide.md", GUIDE))
    inputs = {
        "store": {"required": True, "schema": {"type": "string"}},
        "tone": {"default_value": "brief"},
    }
    tool = {"type": "file_search", "vector_store_ids": ["{{store}}"]}
    version = prompt(instructions="Be {{tone}}.", tools=[tool], structured_inputs=inputs)
    ok(client.post("/agents/kb/versions", json=version))
    reference = {"type": "agent_reference", "name": "kb"}
    bound = ask(
        client, input="battery", agent_reference=reference, structured_inputs={"store": store}
    )
    assert bound["instructions"] == "Be brief."
    assert bound["tools"][0]["vector_store_ids"] == [store]
    assert "guide.md: The battery lasts" in reply_of(bound)["text"]
    missing = client.post(RESPONSES, json={"input": "x", "agent_reference": reference})
    assert missing.status_code == 400
    assert missing.json()["error"]["param"] == "structured_inputs.store"


def test_an_agents_endpoint_serves_its_selected_version_and_conversations(
    client: httpx.Client,
) -> None:
    ok(client.post("/agents/helper/versions", json=prompt(instructions="One.")))
    ok(client.post("/agents/helper/versions", json=prompt(instructions="Two.")))
    rules = [{"type": "FixedRatio", "agent_version": "1", "traffic_percentage": 100}]
    selector = {"version_selector": {"version_selection_rules": rules}}
    ok(client.patch("/agents/helper", json={"agent_endpoint": selector}))
    endpoint = "/agents/helper/endpoint/protocols/openai"
    conversation = ok(client.post(f"{endpoint}/conversations", json={}))
    body = {"input": "Hi", "conversation": conversation["id"]}
    answered = ok(client.post(f"{endpoint}/responses", json=body))
    assert (answered["instructions"], answered["agent_reference"]["version"]) == ("One.", "1")
    items = ok(client.get(f"{endpoint}/conversations/{conversation['id']}/items"))["data"]
    assert [item["role"] for item in items] == ["assistant", "user"]
    assert ok(client.get(f"{endpoint}/responses/{answered['id']}")) == answered
    assert (
        ok(client.get(f"/openai/v1/conversations/{conversation['id']}"))["id"] == conversation["id"]
    )
    nobody = client.post("/agents/nobody/endpoint/protocols/openai/conversations", json={})
    assert nobody.status_code == 404
