"""The Azure Functions tool: a function the agent calls through two storage queues.

Wire shape: azure-ai-projects 2.10 `AzureFunctionTool`: `{type: azure_function,
azure_function: {function: {name, description, parameters}, input_binding, output_binding}}`,
each binding `{type: storage_queue, storage_queue: {queue_service_endpoint, queue_name}}`; all
required but the description. The manifest keeps that shape; the function follows the function
tool's rules, the queue names Azure Storage's (3-63 lowercase letters, digits and single '-').
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reconciler.core.tools.base import Checks, Problem, StrictDoc, ToolDoc
from reconciler.core.tools.connection import WireType

QUEUE_NAME = r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"  # and no "--" (check)


class QueueDoc(StrictDoc):
    queue_service_endpoint: str = Field(pattern=r"^https://", description="The queue service URL.")
    queue_name: str = Field(pattern=QUEUE_NAME)


class BindingDoc(StrictDoc):
    type: Literal["storage_queue"] = "storage_queue"
    storage_queue: QueueDoc


class AzureFunctionSignatureDoc(StrictDoc):
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str | None = None
    parameters: dict[str, Any] = Field(description="A JSON Schema object.")


class AzureFunctionDefinitionDoc(StrictDoc):
    function: AzureFunctionSignatureDoc
    input_binding: BindingDoc = Field(description="The queue the agent writes calls to.")
    output_binding: BindingDoc = Field(description="The queue the function answers on.")


class AzureFunctionDoc(ToolDoc):
    type: Literal["azure_function"]
    azure_function: AzureFunctionDefinitionDoc


class AzureFunctionType(WireType):
    name = "azure_function"
    doc = AzureFunctionDoc
    key_path = ("azure_function", "function", "name")
    computed = ("tool_configs",)

    def check(self, doc: AzureFunctionDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        function = doc.azure_function.function
        at = ("azure_function", "function")
        problems = checks.check_function(
            at, function.name, function.description, function.parameters, seen
        )
        for binding in ("input_binding", "output_binding"):
            queue = getattr(doc.azure_function, binding).storage_queue.queue_name
            if "--" in queue:
                where = ("azure_function", binding, "storage_queue", "queue_name")
                problems.append((where, f"queue name {queue!r} has '--': Azure Storage refuses it"))
        return problems
