"""Random bodies against the conversations and responses routes: never a 5xx but the 501 of
what the emulator does not serve (`not_implemented_by_emulator`), always a JSON error body; a
streamed answer is a well-formed event stream whose last event ends the response. Hosted tools
(file search, code interpreter, MCP off loopback, OpenAPI), structured inputs, background runs
and their retrieve and cancel are drawn too."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, foundry_client

SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
NAMES = st.sampled_from(
    [
        "items",
        "metadata",
        "input",
        "model",
        "tools",
        "tool_choice",
        "conversation",
        "previous_response_id",
        "type",
        "role",
        "content",
        "call_id",
        "name",
        "output",
        "store",
        "agent_reference",
    ]
)
ITEM = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["message", "function_call", "function_call_output", "x"]) | JSON,
        "role": st.sampled_from(["user", "assistant", "developer"]) | JSON,
        "content": st.text(max_size=8) | JSON,
        "call_id": st.text(max_size=4) | JSON,
        "name": st.text(max_size=4) | JSON,
        "arguments": st.text(max_size=4) | JSON,
        "output": st.text(max_size=4) | JSON,
    },
)
BODY = st.dictionaries(NAMES, JSON, max_size=4) | st.fixed_dictionaries(
    {"model": st.just(MODEL), "input": st.text(max_size=8) | st.lists(ITEM, max_size=3)},
    optional={
        "tools": st.lists(
            st.fixed_dictionaries(
                {"type": st.just("function")}, optional={"name": JSON, "parameters": JSON}
            ),
            max_size=2,
        ),
        "tool_choice": JSON,
        "metadata": JSON,
        "store": JSON,
    },
)
HOSTED = st.fixed_dictionaries(
    {"type": st.sampled_from(["file_search", "code_interpreter", "mcp", "openapi", "y"])},
    optional={
        "vector_store_ids": JSON,
        "server_label": st.text(max_size=6) | JSON,
        "server_url": st.sampled_from(["https://mcp.example.invalid/mcp", "x"]) | JSON,
        "require_approval": st.sampled_from(["never", "always"]) | JSON,
        "container": JSON,
        "openapi": JSON,
        "max_num_results": JSON,
    },
)
RUN = st.fixed_dictionaries(
    {"model": st.just(MODEL), "input": st.text(max_size=12)},
    optional={
        "tools": st.lists(HOSTED, max_size=2),
        "stream": st.booleans() | JSON,
        "background": st.booleans() | JSON,
        "store": st.booleans(),
        "max_output_tokens": st.integers(-2, 40) | JSON,
        "instructions": st.text(max_size=12) | JSON,
        "structured_inputs": JSON,
        "text": JSON,
        "include": JSON,
    },
)


def served(response: httpx.Response) -> None:
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        assert response.status_code == 200
        events = [line for line in response.text.splitlines() if line.startswith("data: ")]
        last = json.loads(events[-1].removeprefix("data: "))
        assert last["type"] in {"response.completed", "response.incomplete", "response.failed"}
        return
    body: Any = response.json()
    if response.status_code >= 500:
        assert response.status_code == 501, response.text
        assert body["error"]["code"] == "not_implemented_by_emulator"
    elif response.status_code != 200:
        assert set(body["error"]) == {"message", "type", "param", "code"}, response.text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=BODY, items=st.lists(ITEM, max_size=3) | JSON)
def test_random_bodies_are_never_a_server_error(
    server: BackgroundServer, body: Any, items: Any
) -> None:
    with foundry_client(server.url) as client:
        served(client.post("/openai/v1/responses", json=body))
        created = client.post("/openai/v1/conversations", json={"items": items})
        served(created)
        served(client.post("/openai/v1/conversations", json=body))
        if created.status_code == 200:
            path = f"/openai/v1/conversations/{created.json()['id']}"
            served(client.post(f"{path}/items", json={"items": items}))
            served(client.post(path, json=body))
            conversation = {**body, "conversation": created.json()["id"]}
            served(client.post("/openai/v1/responses", json=conversation))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=RUN)
def test_runs_with_hosted_tools_streams_and_background_are_never_a_server_error(
    server: BackgroundServer, body: Any
) -> None:
    with foundry_client(server.url) as client:
        made = client.post("/openai/v1/responses", json=body)
        served(made)
        if made.status_code == 200 and not made.headers["content-type"].startswith("text/"):
            path = f"/openai/v1/responses/{made.json()['id']}"
            served(client.get(path))
            served(client.post(f"{path}/cancel"))
            served(client.get(path))
