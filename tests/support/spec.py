"""The vendored API contract as JSON Schema validators, with Azure's documented errata.

The spec is Swagger 2.0: ``x-nullable`` becomes a null alternative and each ``discriminator``
dispatches to the subtype named by ``x-ms-discriminator-value``, so a tool or a message content
is checked against its own definition, not only the base. Errata are the places where Azure's
wire format (../shared/API-FACTS.md) differs from the spec; each is listed in ERRATA.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from ruamel.yaml import YAML

SPEC_PATH = Path(__file__).parents[2] / "schemas" / "azure-openai-assistants-2023-11-06-beta.yml"
PREFIX = "/openai"

# Error bodies are not in the spec; their two shapes are documented in API-FACTS.md.
GATEWAY_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
SERVICE_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "additionalProperties": False,
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
ERROR = {"oneOf": [GATEWAY_ERROR, SERVICE_ERROR]}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    response: dict[str, Any]

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", PREFIX + self.path) + "$")


@cache
def raw_spec() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for path, methods in raw_spec()["paths"].items():
        for method, operation in methods.items():
            response = _json_schema(operation["responses"]["200"]["schema"])
            found.append(Operation(method.upper(), path, operation["operationId"], response))
    return tuple(found)


def find_operation(method: str, path: str) -> Operation | None:
    # Literal segments beat parameters: /threads/runs is not /threads/{threadId}.
    matches = [op for op in operations() if op.method == method and op.pattern.match(path)]
    return min(matches, key=lambda op: op.path.count("{"), default=None)


@cache
def definitions() -> dict[str, Any]:
    source = raw_spec()["definitions"]
    bases = {name for name, schema in source.items() if "discriminator" in schema}
    converted: dict[str, Any] = {}
    for name, original in source.items():
        schema = _json_schema(original)
        if name in bases:
            converted[name + "__base"] = schema
            converted[name] = _dispatch(name, source)
        else:
            converted[name] = _rebase(schema, bases)
    # Erratum: a required action lists each call without `output` (the service sends
    # {id, type, function: {name, arguments}}); this spec reuses the run step's call, which has it.
    required = converted["SubmitToolOutputsDetails"]["properties"]["tool_calls"]
    required["items"] = REQUIRED_TOOL_CALL
    return converted


REQUIRED_TOOL_CALL = {
    "allOf": [{"$ref": "#/definitions/ToolCall__base"}],
    "required": ["function"],
    "properties": {
        "type": {"const": "function"},
        "function": {
            "type": "object",
            "required": ["name", "arguments"],
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "arguments": {"type": "string"}},
        },
    },
}


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("unixtime")
def _is_unixtime(value: object) -> bool:
    return not isinstance(value, int) or 0 <= value < 2**32


@FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


# Streaming came to Assistants v1 after this spec version, which has no event schemas: each event
# carries an object the spec defines, except the deltas, whose shapes are OpenAI's (spec of
# 2024-03-08: MessageDeltaObject, RunStepDeltaObject).
_INDEXED: dict[str, Any] = {
    "type": "object",
    "required": ["index", "type"],
    "properties": {"index": {"type": "integer"}},
}
_TEXT_PART = {
    "allOf": [_INDEXED],
    "properties": {
        "type": {"const": "text"},
        "text": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"value": {"type": "string"}, "annotations": {"type": "array"}},
        },
    },
}
_TOOL_CALLS = {
    "type": "object",
    "properties": {
        "type": {"const": "tool_calls"},
        "tool_calls": {
            "type": "array",
            "items": {"allOf": [_INDEXED, {"$ref": "#/definitions/ToolCall"}]},
        },
    },
}


def _delta(kind: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "object", "delta"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "object": {"const": kind},
            "delta": {"type": "object", "additionalProperties": False, "properties": properties},
        },
    }


DELTAS = {
    "thread.message.delta": _delta(
        "thread.message.delta", {"content": {"type": "array", "items": _TEXT_PART}}
    ),
    "thread.run.step.delta": _delta("thread.run.step.delta", {"step_details": _TOOL_CALLS}),
}
_RUN = "created queued in_progress requires_action cancelling cancelled completed failed expired"
_STEP = "created in_progress completed failed cancelled expired"
_MESSAGE = "created in_progress completed incomplete"
EVENT_OBJECTS = {
    "thread.created": "AssistantThread",
    **{f"thread.run.{name}": "ThreadRun" for name in _RUN.split()},
    **{f"thread.run.step.{name}": "RunStep" for name in _STEP.split()},
    **{f"thread.message.{name}": "ThreadMessage" for name in _MESSAGE.split()},
}


def event_schema(event: str) -> dict[str, Any] | None:
    """The schema of a streamed event's data, or None for an event name the API does not send."""
    if event in DELTAS:
        return DELTAS[event]
    name = EVENT_OBJECTS.get(event)
    return {"$ref": f"#/definitions/{name}"} if name else None


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        {**schema, "definitions": definitions()}, format_checker=FORMATS
    )


def check(schema: dict[str, Any], body: Any) -> list[str]:
    """Every violation of the schema by body, as readable lines."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(schema).iter_errors(body)
    ]


def _dispatch(base: str, source: dict[str, Any]) -> dict[str, Any]:
    branches: list[dict[str, Any]] = [{"$ref": f"#/definitions/{base}__base"}]
    for name, schema in source.items():
        parents = [part.get("$ref") for part in schema.get("allOf", [])]
        if f"#/definitions/{base}" in parents:
            value = schema["x-ms-discriminator-value"]
            condition = {"properties": {"type": {"const": value}}, "required": ["type"]}
            branches.append({"if": condition, "then": {"$ref": f"#/definitions/{name}"}})
    return {"allOf": branches}


def _rebase(schema: dict[str, Any], bases: set[str]) -> dict[str, Any]:
    """A subtype extends its base's own fields, not the dispatching union (which would recurse)."""
    result = copy.deepcopy(schema)
    for part in result.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.removeprefix("#/definitions/") in bases:
            part["$ref"] = ref + "__base"
    return result


def _json_schema(node: Any) -> Any:
    """Swagger 2.0 schema -> JSON Schema (draft 7), with the errata applied."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _json_schema(v) for k, v in node.items() if k != "discriminator"}
    # Erratum: run and step times are Unix seconds on the wire, like every other time (as in
    # Azure's later specs and the official SDK's types); this spec version says RFC 3339 strings.
    if converted.get("format") == "date-time":
        converted = {**converted, "type": "integer", "format": "unixtime"}
    # Erratum (API-FACTS.md): Azure sends null first_id/last_id on an empty page.
    props = converted.get("properties", {})
    if props.get("object", {}).get("enum") == ["list"] and "first_id" in props:
        for cursor in ("first_id", "last_id"):
            props[cursor] = {"anyOf": [props[cursor], {"type": "null"}]}
    if converted.pop("x-nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted
