"""The function tool: flat on the wire as in the manifest; Foundry requires `parameters`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import (
    Checks,
    Knowledge,
    Problem,
    Resolve,
    ToolBase,
    ToolDoc,
    V1Tools,
    Wire,
    present,
)

EMPTY_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}


class AgentFunctionDoc(ToolDoc):
    """A function tool, flat as Foundry takes it."""

    type: Literal["function"]
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str | None = None
    parameters: dict[str, Any] | None = Field(
        None, description="A JSON Schema object (default: an object without properties)."
    )
    strict: bool | None = Field(None, description="Make the model follow the schema exactly.")


@dataclass(frozen=True)
class Function:
    wire: Wire  # as sent: parameters always there

    type = "function"

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        return present(self.wire)

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class FunctionType(ToolBase):
    name = "function"
    doc = AgentFunctionDoc
    computed = ("strict",)  # no source pins its default down: silent, any value is taken

    def check(self, doc: AgentFunctionDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        return checks.check_function((), doc.name, doc.description, doc.parameters, seen)

    def desired(self, doc: AgentFunctionDoc, resolve: Resolve) -> Function:
        wire: Wire = {"type": "function", "name": doc.name}
        if doc.description is not None:
            wire["description"] = doc.description
        wire["parameters"] = doc.parameters if doc.parameters is not None else EMPTY_PARAMETERS
        if doc.strict is not None:
            wire["strict"] = doc.strict
        return Function(wire)

    def migrate(self, v1: V1Tools) -> list[dict[str, Any]]:
        """The flat Foundry shape: {type: function, name, description, parameters}."""
        return [{"type": "function", **present(f)} for f in v1.functions]
