"""Request bodies of the Assistants API v1, validated with the limits Azure enforces.

Each model forbids unknown fields and coerces nothing; `validation.parse` turns pydantic's first
error into the 400 the service sends. In the bodies that create something, an optional field sent
as null counts as absent, as the service treats it (frameworks send explicit nulls).
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Literal

import jsonschema
from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from reconciler.emulator.core.validation import Body, Description, Metadata

MAX_FILES_PER_ASSISTANT = 20
MAX_FILES_PER_MESSAGE = 10

Name = Annotated[str, StringConstraints(max_length=256)]
Instructions = Annotated[str, StringConstraints(max_length=32768)]
FileIds = Annotated[list[str], Field(max_length=MAX_FILES_PER_ASSISTANT)]


class CreateBody(Body):
    """A body whose optional fields take null for "not given"; required ones still refuse it."""

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        # Unknown keys stay, so that they are still rejected by name.
        return {
            key: value
            for key, value in data.items()
            if value is not None or key not in fields or fields[key].is_required()
        }


class FunctionSpec(CreateBody):
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


class CodeInterpreterTool(CreateBody):
    type: Literal["code_interpreter"]


class RetrievalTool(CreateBody):
    type: Literal["retrieval"]


class FunctionTool(CreateBody):
    type: Literal["function"]
    function: FunctionSpec


Tool = Annotated[CodeInterpreterTool | RetrievalTool | FunctionTool, Field(discriminator="type")]
Tools = Annotated[list[Tool], Field(max_length=128)]


class AssistantCreate(CreateBody):
    model: Name
    name: Name | None = None
    description: Description | None = None
    instructions: Instructions | None = None
    tools: Tools = Field(default_factory=list)
    file_ids: FileIds = Field(default_factory=list)
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


class MessageCreate(CreateBody):
    # Assistants v1 only lets callers write user messages.
    role: Literal["user"]
    content: Annotated[str, StringConstraints(min_length=1, max_length=32768)]
    file_ids: list[str] = Field(default_factory=list, max_length=MAX_FILES_PER_MESSAGE)
    metadata: Metadata | None = None


class ThreadCreate(CreateBody):
    messages: list[MessageCreate] = Field(default_factory=list, max_length=32)
    metadata: Metadata | None = None


class MetadataModify(Body):
    metadata: Metadata | None = None


class RunCreate(CreateBody):
    assistant_id: str
    model: Name | None = None
    instructions: Instructions | None = None
    # Appended to the run's instructions; SDKs of the v1 era send it, often as null.
    additional_instructions: Instructions | None = None
    tools: Tools | None = None
    metadata: Metadata | None = None
    # false and null ask for the run object; true for a stream of events.
    stream: bool | None = None


class ThreadAndRunCreate(RunCreate):
    thread: ThreadCreate | None = None


class ToolOutput(CreateBody):
    tool_call_id: str
    output: Annotated[str, StringConstraints(max_length=512 * 1024)] = ""


class ToolOutputsSubmit(CreateBody):
    tool_outputs: list[ToolOutput]
    stream: bool | None = None
