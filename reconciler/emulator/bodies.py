"""Request bodies of the Assistants API v1, validated with the limits Azure enforces.

Each model forbids unknown fields and coerces nothing; `parse` turns pydantic's first error
into the 400 the service sends, naming the field the way OpenAI does (``tools[0].function.name``).
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Literal, TypeVar

import jsonschema
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from reconciler.emulator.errors import ServiceError, bad_request

MAX_FILES_PER_ASSISTANT = 20
MAX_FILES_PER_MESSAGE = 10

Key = Annotated[str, StringConstraints(max_length=64)]
Value = Annotated[str, StringConstraints(max_length=512)]
Metadata = Annotated[dict[Key, Value], Field(max_length=16)]
Name = Annotated[str, StringConstraints(max_length=256)]
Description = Annotated[str, StringConstraints(max_length=512)]
Instructions = Annotated[str, StringConstraints(max_length=32768)]
FileIds = Annotated[list[str], Field(max_length=MAX_FILES_PER_ASSISTANT)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class FunctionSpec(Body):
    name: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,64}$")]
    description: Annotated[str, StringConstraints(max_length=1024)] | None = None
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    @field_validator("parameters")
    @classmethod
    def _is_json_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            problem = _schema_problem(json.dumps(value, sort_keys=True))
        except RecursionError:
            problem = "nested too deeply"
        if problem:
            raise ValueError(f"not a valid JSON Schema: {problem}")
        return value


@functools.lru_cache(maxsize=1024)
def _schema_problem(canonical: str) -> str | None:
    """Why a parameters schema is not a JSON Schema, if it is not.

    Cached by its canonical JSON: clients send the same few schemas with every assistant, and
    checking one against the metaschema costs about a millisecond of the server's one thread.
    """
    value = json.loads(canonical)
    dialect = value.get("$schema")
    if dialect is not None and not isinstance(dialect, str):
        return "'$schema' must be a string"
    # An unknown $schema is checked against the latest draft, without jsonschema's warning.
    latest = jsonschema.Draft202012Validator
    try:
        jsonschema.validators.validator_for(value, default=latest).check_schema(value)
    except jsonschema.SchemaError as error:
        return str(error.message)
    except RecursionError:
        return "nested too deeply"
    return None


class CodeInterpreterTool(Body):
    type: Literal["code_interpreter"]


class RetrievalTool(Body):
    type: Literal["retrieval"]


class FunctionTool(Body):
    type: Literal["function"]
    function: FunctionSpec


Tool = Annotated[CodeInterpreterTool | RetrievalTool | FunctionTool, Field(discriminator="type")]
Tools = Annotated[list[Tool], Field(max_length=128)]


class AssistantCreate(Body):
    model: Name
    name: Name | None = None
    description: Description | None = None
    instructions: Instructions | None = None
    tools: Tools = []
    file_ids: FileIds = []
    metadata: Metadata | None = None


class AssistantModify(Body):
    model: Name | None = None
    name: Name | None = None
    description: Description | None = None
    instructions: Instructions | None = None
    tools: Tools | None = None
    file_ids: FileIds | None = None
    metadata: Metadata | None = None


class AssistantFileCreate(Body):
    file_id: str


class MessageCreate(Body):
    # Assistants v1 only lets callers write user messages.
    role: Literal["user"]
    content: Annotated[str, StringConstraints(min_length=1, max_length=32768)]
    file_ids: Annotated[list[str], Field(max_length=MAX_FILES_PER_MESSAGE)] = []
    metadata: Metadata | None = None


class ThreadCreate(Body):
    messages: Annotated[list[MessageCreate], Field(max_length=32)] = []
    metadata: Metadata | None = None


class MetadataModify(Body):
    metadata: Metadata | None = None


class RunCreate(Body):
    assistant_id: str
    model: Name | None = None
    instructions: Instructions | None = None
    tools: Tools | None = None
    metadata: Metadata | None = None


class ThreadAndRunCreate(RunCreate):
    thread: ThreadCreate | None = None


class ToolOutput(Body):
    tool_call_id: str
    output: Annotated[str, StringConstraints(max_length=512 * 1024)] = ""


class ToolOutputsSubmit(Body):
    tool_outputs: list[ToolOutput]


B = TypeVar("B", bound=Body)


def parse(model: type[B], data: Any) -> B:
    """Validate a decoded JSON body, or raise the 400 the service would send."""
    if not isinstance(data, dict):
        raise bad_request(
            f"Invalid type for body: expected an object, but got {_kind(data)} instead."
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _translate(error.errors()[0], data) from None


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "a boolean",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def _translate(error: Any, data: Any) -> ServiceError:
    path, value = _locate(error["loc"], data)
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return bad_request(
            f"Missing required parameter: '{path}'.", path, "missing_required_parameter"
        )
    if kind == "extra_forbidden":
        return bad_request(f"Unknown parameter: '{path}'.", path, "unknown_parameter")
    if kind in _EXPECTED:
        message = f"Invalid type for '{path}': expected {_EXPECTED[kind]}, but got {_kind(value)} instead."
        return bad_request(message, path, "invalid_type")
    return _translate_value(kind, ctx, path, value, error["msg"])


def _too_long(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        message = (
            f"Invalid '{path}': too many properties. Expected an object with at most "
            f"{ctx['max_length']} properties, but got an object with {len(value)} properties instead."
        )
        return message, "object_above_max_properties"
    message = (
        f"Invalid '{path}': array too long. Expected an array with maximum length "
        f"{ctx['max_length']}, but got an array with length {len(value)} instead."
    )
    return message, "array_above_max_length"


def _string_too_long(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    message = (
        f"Invalid '{path}': string too long. Expected a string with maximum length "
        f"{ctx['max_length']}, but got a string with length {len(value)} instead."
    )
    return message, "string_above_max_length"


def _string_too_short(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    return (
        f"Invalid '{path}': empty string. Expected a string with minimum length 1.",
        "empty_string",
    )


def _pattern(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    message = (
        f"Invalid '{path}': string does not match pattern. "
        f"Expected a string that matches the pattern '{ctx['pattern']}'."
    )
    return message, "invalid_value"


def _choice(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    expected = ctx.get("expected") or ctx.get("expected_tags", "")
    return f"Invalid value: '{_short(value)}'. Supported values are: {expected}.", "invalid_value"


_VALUE_ERRORS = {
    "too_long": _too_long,
    "string_too_long": _string_too_long,
    "string_too_short": _string_too_short,
    "string_pattern_mismatch": _pattern,
    "literal_error": _choice,
    "union_tag_invalid": _choice,
}


def _translate_value(
    kind: str, ctx: dict[str, Any], path: str, value: Any, msg: str
) -> ServiceError:
    if kind == "union_tag_invalid":  # report the bad tag itself, at `<item>.type`
        path, value = f"{path}.type", value["type"]
    if kind == "union_tag_not_found":
        path = f"{path}.type"
        return bad_request(
            f"Missing required parameter: '{path}'.", path, "missing_required_parameter"
        )
    if kind in _VALUE_ERRORS:
        message, code = _VALUE_ERRORS[kind](ctx, path, value)
        return bad_request(message, path, code)
    return bad_request(
        f"Invalid '{path}': {msg.removeprefix('Value error, ')}", path, "invalid_value"
    )


def _locate(loc: tuple[Any, ...], data: Any) -> tuple[str, Any]:
    """Follow pydantic's error location through the input.

    For a discriminated union pydantic puts the tag right after the list index
    (``tools, 0, function, ...``); that step is not in the input and is skipped.
    """
    path, value, key, indexed = "", data, None, False
    for part in loc:
        if part == "[key]":  # the error is about the key itself, e.g. a key that is too long
            value = key
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            path, value, indexed = f"{path}[{part}]", value[part], True
            continue
        elif indexed and isinstance(value, dict) and value.get("type") == part:
            pass
        elif isinstance(value, dict):
            path, value, key = f"{path}.{part}" if path else str(part), value.get(part), part
        indexed = False
    return path, value


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a decimal", str: "a string"}
    names.update({list: "an array", dict: "an object", type(None): "null"})
    return names.get(type(value), "a value")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 64 else text[:61] + "..."
