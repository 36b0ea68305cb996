"""The structured-output capture tool: the model emits a JSON object of a schema, captured.

Wire shape: azure-ai-projects 2.10 `CaptureStructuredOutputsTool`: `{type:
capture_structured_outputs, outputs: {name, description, schema, strict}}`, all four required
(`strict` documented as default true: the manifest may leave it out and true is sent). The
manifest keeps that shape; the name follows the function-name rule, the schema is checked as a
JSON Schema object. The deprecated `name`, `description` and `tool_configs` are computed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reconciler.core.tools.base import Checks, Problem, StrictDoc, ToolDoc
from reconciler.core.tools.connection import WireType


class OutputDoc(StrictDoc):
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str = Field(min_length=1, description="When the model emits it.")
    schema_: dict[str, Any] = Field(alias="schema", description="A JSON Schema object.")
    strict: bool = True


class CaptureStructuredOutputsDoc(ToolDoc):
    type: Literal["capture_structured_outputs"]
    outputs: OutputDoc


class CaptureStructuredOutputsType(WireType):
    name = "capture_structured_outputs"
    doc = CaptureStructuredOutputsDoc
    key_path = ("outputs", "name")
    computed = ("name", "description", "tool_configs")

    def check(
        self, doc: CaptureStructuredOutputsDoc, checks: Checks, seen: set[str]
    ) -> list[Problem]:
        output = doc.outputs
        problems = checks.check_function(("outputs",), output.name, output.description, None, seen)
        if found := checks.schema_error(output.schema_, "schema"):
            problems.append((("outputs", "schema", *found[0]), found[1]))
        return problems
