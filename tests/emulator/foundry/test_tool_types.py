"""The GA tool types as the emulator takes them: what each type requires is a 400 naming the
field, and `{{placeholder}}` ids bound by `structured_inputs` are not unknown ids."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.foundry_client import ok, prompt

QUEUE = {"queue_service_endpoint": "https://q.example.com", "queue_name": "calls"}
BINDING = {"type": "storage_queue", "storage_queue": QUEUE}
EVERY_TOOL: list[dict[str, Any]] = [
    {
        "type": "mcp",
        "server_label": "m",
        "server_url": "https://m.example.com",
        "headers": {"A": "b"},
    },
    {
        "type": "mcp",
        "server_label": "gmail",
        "connector_id": "connector_gmail",
        "require_approval": {"never": {"tool_names": ["read"]}},
    },
    {
        "type": "openapi",
        "openapi": {"name": "o", "spec": {"openapi": "3.0.0"}, "auth": {"type": "anonymous"}},
    },
    {"type": "azure_ai_search", "azure_ai_search": {"indexes": [{"index_asset_id": "asset"}]}},
    {
        "type": "bing_grounding",
        "bing_grounding": {"search_configurations": [{"project_connection_id": "c"}]},
    },
    {
        "type": "web_search",
        "search_context_size": "low",
        "user_location": {"type": "approximate", "country": "GB"},
    },
    {
        "type": "azure_function",
        "azure_function": {
            "function": {"name": "f", "parameters": {}},
            "input_binding": BINDING,
            "output_binding": BINDING,
        },
    },
    {"type": "a2a", "base_url": "https://a.example.com", "a2a_version": "1.0"},
    {
        "type": "capture_structured_outputs",
        "outputs": {"name": "s", "description": "d", "schema": {}, "strict": True},
    },
]


def error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    found: dict[str, Any] = response.json()["error"]
    return found


def test_every_ga_tool_type_is_kept_as_sent(foundry_api: httpx.Client) -> None:
    made = ok(foundry_api.post("/agents/every/versions", json=prompt(tools=EVERY_TOOL)))
    assert made["definition"]["tools"] == EVERY_TOOL


@pytest.mark.parametrize(
    ("tool", "param"),
    [
        ({"type": "mcp", "server_url": "https://m"}, "definition.tools[0].server_label"),
        ({"type": "mcp", "server_label": "m"}, "definition.tools[0]"),
        (
            {
                "type": "mcp",
                "server_label": "m",
                "server_url": "u",
                "require_approval": "sometimes",
            },
            "definition.tools[0].require_approval",
        ),
        (
            {"type": "openapi", "openapi": {"name": "o", "spec": {}, "auth": {"type": "key"}}},
            "definition.tools[0].openapi.auth.type",
        ),
        (
            {"type": "openapi", "openapi": {"name": "o", "auth": {"type": "anonymous"}}},
            "definition.tools[0].openapi.spec",
        ),
        (
            {"type": "azure_ai_search", "azure_ai_search": {"indexes": [{}, {}]}},
            "definition.tools[0].azure_ai_search.indexes",
        ),
        (
            {"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"count": 5}]}},
            "definition.tools[0].bing_grounding.search_configurations[0].project_connection_id",
        ),
        (
            {"type": "web_search", "search_context_size": "huge"},
            "definition.tools[0].search_context_size",
        ),
        (
            {
                "type": "azure_function",
                "azure_function": {
                    "function": {"name": "f", "parameters": {}},
                    "input_binding": BINDING,
                },
            },
            "definition.tools[0].azure_function.output_binding",
        ),
        ({"type": "a2a", "base_url": "https://a"}, "definition.tools[0].a2a_version"),
        (
            {
                "type": "capture_structured_outputs",
                "outputs": {"name": "s", "schema": {}, "strict": True},
            },
            "definition.tools[0].outputs.description",
        ),
    ],
)
def test_what_a_tool_type_requires_is_a_400_naming_the_field(
    foundry_api: httpx.Client, tool: dict[str, Any], param: str
) -> None:
    assert (
        error(foundry_api.post("/agents/k/versions", json=prompt(tools=[tool])))["param"] == param
    )


def test_placeholders_bound_by_structured_inputs_are_not_unknown_ids(
    foundry_api: httpx.Client,
) -> None:
    inputs = {"store": {"description": "The store", "required": True}, "conn": {"required": True}}
    tools = [
        {"type": "file_search", "vector_store_ids": ["{{store}}"]},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["{{ store }}"]}},
        {
            "type": "bing_grounding",
            "bing_grounding": {"search_configurations": [{"project_connection_id": "{{conn}}"}]},
        },
    ]
    made = ok(
        foundry_api.post("/agents/p/versions", json=prompt(tools=tools, structured_inputs=inputs))
    )
    assert made["definition"]["tools"] == tools
    unbound = [{"type": "file_search", "vector_store_ids": ["{{other}}"]}]
    found = error(
        foundry_api.post("/agents/p/versions", json=prompt(tools=unbound, structured_inputs=inputs))
    )
    assert (found["param"], found["code"]) == (
        "definition.tools[0].vector_store_ids",
        "invalid_value",
    )
    connection = [{"type": "a2a", "a2a_version": "1.0", "project_connection_id": "{{nope}}"}]
    found = error(foundry_api.post("/agents/p/versions", json=prompt(tools=connection)))
    assert found["param"] == "definition.tools[0].project_connection_id"
    # A real id that does not exist is still refused.
    missing = [{"type": "file_search", "vector_store_ids": ["vs_missing"]}]
    assert (
        error(
            foundry_api.post(
                "/agents/p/versions", json=prompt(tools=missing, structured_inputs=inputs)
            )
        )["code"]
        == "invalid_value"
    )
