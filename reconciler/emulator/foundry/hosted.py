"""The tools that run in the service during a response, one runner per tool type (a registry).

- `file_search`: a real lexical search of the tool's vector stores (file_search.py);
- `code_interpreter`: runs no code; a `code_interpreter_call` whose code and logs say they are
  a recorded stand-in (the logs only with `include: ["code_interpreter_call.outputs"]`);
- `mcp`: lists, asks approval, calls a loopback server for real (mcp_tool.py);
- `openapi`: calls nothing; the reply quotes a recorded, labelled result for the spec's first
  operation (method, server and path named). No output item: no published shape pins one.

Other tool types (web search, Bing, Azure AI Search, ...) do not run: the model answers without
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import file_search, mcp_tool
from reconciler.emulator.foundry.model import Ran
from reconciler.emulator.foundry.state import Foundry

RECORDED = "Recorded result (emulator)"
CODE_OUTPUTS = "code_interpreter_call.outputs"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Tools:
    """The hosted tools of one turn (model.Hosted)."""

    fd: Foundry
    tools: list[Json]
    include: list[str] = field(default_factory=list)

    def runs(self, tool: Json) -> bool:
        return tool.get("type") in RUNNERS

    def run(self, tool: Json, query: str, context: list[Json]) -> Ran:
        return RUNNERS[str(tool["type"])](self, tool, query)

    def resume(self, request: Json, approve: bool, context: list[Json]) -> Ran:
        label = request.get("server_label")
        tool = next(
            (t for t in self.tools if t.get("type") == "mcp" and t.get("server_label") == label),
            None,
        )
        return mcp_tool.resume(tool, request, approve)


def _file_search(tools: Tools, tool: Json, query: str) -> Ran:
    return file_search.search(tools.fd, tool, query, tools.include)


def _code_interpreter(tools: Tools, tool: Json, query: str) -> Ran:
    container = tool.get("container")
    files = container.get("file_ids") or [] if isinstance(container, dict) else []
    logs = f"{RECORDED}: code_interpreter runs no code. Files given: {', '.join(files) or 'none'}."
    call = {
        "id": new_id("ci_"),
        "type": "code_interpreter_call",
        "status": "completed",
        "container_id": container if isinstance(container, str) else "cntr_emulated",
        "code": f"# {RECORDED}: no code was run.\n# Asked: {query[:200]}",
        "outputs": [{"type": "logs", "logs": logs}] if CODE_OUTPUTS in tools.include else None,
    }
    return Ran([call], f"code_interpreter: {logs}")


def _mcp(tools: Tools, tool: Json, query: str) -> Ran:
    return mcp_tool.run(tool, query)


def _openapi(tools: Tools, tool: Json, query: str) -> Ran:
    function = tool.get("openapi") or {}
    spec = function.get("spec") or {}
    servers = spec.get("servers")
    first = servers[0] if isinstance(servers, list) and servers else {}
    server = first.get("url", "") if isinstance(first, dict) else ""
    paths = spec.get("paths")
    paths = paths if isinstance(paths, dict) else {}
    for path, operations in paths.items():
        for method in HTTP_METHODS:
            operation = operations.get(method) if isinstance(operations, dict) else None
            if isinstance(operation, dict):
                named = operation.get("operationId") or path
                said = f"{method.upper()} {server}{path} ({named}) was not called"
                return Ran([], f"openapi {function.get('name')}: {RECORDED}: {said}.")
    return Ran([], f"openapi {function.get('name')}: the spec has no operation")


RUNNERS: dict[str, Callable[[Tools, Json, str], Ran]] = {
    "file_search": _file_search,
    "code_interpreter": _code_interpreter,
    "mcp": _mcp,
    "openapi": _openapi,
}
