"""Function-call arguments satisfy the function's parameters schema and depend only on the input."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.emulator.core.arguments import arguments

WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "minLength": 2, "maxLength": 40},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
        "when": {"type": "string", "format": "date"},
        "stops": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/stop"}},
        "detail": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
        "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    },
    "required": ["city", "unit", "stops"],
    "$defs": {
        "stop": {
            "allOf": [
                {"type": "object", "properties": {"name": {"type": "string"}}},
                {"properties": {"order": {"type": "integer", "multipleOf": 5, "minimum": 3}}},
            ],
            "required": ["name", "order"],
        }
    },
}

LEAF = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "maxLength": 3},
        {"type": "string", "minLength": 30},
        {"type": "integer", "minimum": -5, "maximum": 9},
        {"type": "number", "exclusiveMinimum": 2.5},
        {"type": "boolean"},
        {"type": "null"},
        {"type": ["null", "integer"]},
        {"enum": ["b", "a"]},
        {"const": 42},
        {"type": "string", "format": "email"},
    ]
)
SCHEMAS = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.builds(
            lambda props, required: {
                "type": "object",
                "properties": props,
                "required": sorted(props)[:required],
            },
            st.dictionaries(st.text("abc", min_size=1, max_size=3), inner, max_size=3),
            st.integers(0, 3),
        ),
        st.builds(
            lambda items, least: {"type": "array", "items": items, "minItems": least},
            inner,
            st.integers(0, 3),
        ),
        st.builds(lambda branch: {"oneOf": [branch]}, inner),
    ),
    max_leaves=8,
)


def test_a_rich_schema_gets_a_conforming_object_with_its_required_properties_only() -> None:
    value = json.loads(arguments(WEATHER, "Weather in Lyon?"))
    jsonschema.Draft202012Validator(WEATHER).validate(value)
    assert set(value) == {"city", "unit", "stops"}
    assert (value["city"], value["unit"]) == ("Weather in Lyon?", "celsius")
    assert value["stops"] == [{"name": "Weather in Lyon?", "order": 5}] * 2


@settings(max_examples=60, deadline=None)
@given(properties=st.dictionaries(st.text("xyz", min_size=1, max_size=4), SCHEMAS, max_size=4))
def test_every_generated_value_validates(properties: dict[str, Any]) -> None:
    schema = {"type": "object", "properties": properties, "required": sorted(properties)}
    value = json.loads(arguments(schema, "some input"))
    jsonschema.Draft202012Validator(schema).validate(value)


def test_the_same_input_gives_the_same_arguments_and_another_input_others() -> None:
    assert arguments(WEATHER, "a") == arguments(WEATHER, "a") != arguments(WEATHER, "b")
    assert arguments({"type": "object"}, "x") == "{}"


def _start(api: httpx.Client, text: str) -> dict[str, Any]:
    tool = {"type": "function", "function": {"name": "weather", "parameters": WEATHER}}
    aid = api.post("/assistants", json={"model": "gpt-4", "tools": [tool]}).json()["id"]
    thread = {"messages": [{"role": "user", "content": text}]}
    run = api.post("/threads/runs", json={"assistant_id": aid, "thread": thread}).json()
    path = f"/threads/{run['thread_id']}/runs/{run['id']}"
    while run["status"] != "requires_action":
        run = api.get(path).json()
    return dict(run)


def test_runs_call_with_conforming_arguments_and_steps_record_the_outputs(
    api: httpx.Client,
) -> None:
    first, second = _start(api, "Weather in Oslo?"), _start(api, "Weather in Oslo?")
    call = first["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    again = second["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    assert call["function"] == again["function"]  # same thread input, same call
    assert set(call) == {"id", "type", "function"}
    assert set(call["function"]) == {"name", "arguments"}
    jsonschema.Draft202012Validator(WEATHER).validate(json.loads(call["function"]["arguments"]))

    path = f"/threads/{first['thread_id']}/runs/{first['id']}"
    step = api.get(f"{path}/steps").json()["data"][0]
    assert step["step_details"]["tool_calls"] == [
        {**call, "function": {**call["function"], "output": None}}
    ]
    outputs = {"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}]}
    assert api.post(f"{path}/submit_tool_outputs", json=outputs).status_code == 200
    recorded = api.get(f"{path}/steps").json()["data"][0]["step_details"]["tool_calls"][0]
    assert recorded == {**call, "function": {**call["function"], "output": "sunny"}}
