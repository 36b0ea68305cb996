"""The toolbox routes under /api/projects/{project}, as azure-ai-projects 2.10 calls them
(operations/_operations.py `build_toolboxes_*`, `api-version=v1` on each, no Foundry-Features
opt-in: `project_client.toolboxes` is GA in 2.10, where older samples used `.beta.toolboxes`):

    POST   /toolboxes/{name}/versions            create_version (the toolbox too)
    GET    /toolboxes                            list (limit, order, after, before)
    GET    /toolboxes/{name}                     get
    PATCH  /toolboxes/{name}                     update: {default_version}
    DELETE /toolboxes/{name}                     delete: 204, with every version
    GET    /toolboxes/{name}/versions            list_versions
    GET    /toolboxes/{name}/versions/{version}  get_version
    DELETE /toolboxes/{name}/versions/{version}  delete_version: 204
    POST   /toolboxes/{name}:invoke_mcp          invoke_latest_toolbox_mcp

and the MCP endpoints an agent uses (learn.microsoft.com, "Use a toolbox with a hosted agent"):
`/toolboxes/{name}/mcp` (the default version) and `/toolboxes/{name}/versions/{v}/mcp`. A
`Foundry-Features: Toolboxes=V1Preview` header (which third-party guides call required there)
is accepted, never required. MCP is JSON-RPC over POST: `initialize` and `tools/list` are
answered from the version served; `tools/call` would run real tools, which the emulator has
not, so it answers a JSON-RPC error saying so.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.validation import Body, Description, Metadata
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import toolboxes
from reconciler.emulator.foundry.bodies import Opaque, Open, Tool, parse
from reconciler.emulator.foundry.errors import agents_errors
from reconciler.emulator.foundry.http import PROJECT, foundry

MCP_PROTOCOL = "2025-03-26"


class SkillReference(Body):
    type: Literal["skill_reference"]
    name: Annotated[str, Field(min_length=1)]
    version: str | None = None


class Policies(Open):
    rai_config: Opaque | None = None


class ToolboxVersionCreate(Body):
    tools: Annotated[list[Tool], Field(min_length=1)]
    description: Description | None = None
    metadata: Metadata | None = None
    skills: list[SkillReference] | None = None
    policies: Policies | None = None


class ToolboxUpdate(Body):
    default_version: Annotated[str, Field(min_length=1)]


async def create_version(request: Request) -> Response:
    raw = await json_body(request)
    parse(ToolboxVersionCreate, raw)
    return ok(toolboxes.create_version(foundry(request), path_param(request, "name"), raw))


async def list_toolboxes(request: Request) -> Response:
    return paged(toolboxes.page(foundry(request), parse_query(request.query_params)))


async def get_toolbox(request: Request) -> Response:
    return ok(toolboxes.get(foundry(request), path_param(request, "name")))


async def update_toolbox(request: Request) -> Response:
    body = parse(ToolboxUpdate, await json_body(request))
    name = path_param(request, "name")
    return ok(toolboxes.update(foundry(request), name, body.default_version))


async def delete_toolbox(request: Request) -> Response:
    toolboxes.delete(foundry(request), path_param(request, "name"))
    return Response(status_code=204)


async def list_versions(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(toolboxes.page_versions(foundry(request), path_param(request, "name"), query))


async def get_version(request: Request) -> Response:
    name, version = path_param(request, "name"), path_param(request, "version")
    return ok(toolboxes.get_version(foundry(request), name, version))


async def delete_version(request: Request) -> Response:
    name, version = path_param(request, "name"), path_param(request, "version")
    toolboxes.delete_version(foundry(request), name, version)
    return Response(status_code=204)


async def mcp(request: Request) -> Response:
    version = request.path_params.get("version")
    served = toolboxes.served(foundry(request), path_param(request, "name"), version)
    message = await json_body(request)
    return ok(answer(served, message if isinstance(message, dict) else {}))


def answer(served: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """One JSON-RPC answer of a toolbox's MCP endpoint."""
    reply: dict[str, Any] = {"jsonrpc": "2.0", "id": message.get("id")}
    method = message.get("method")
    if method == "initialize":
        info = {"name": f"toolbox {served['name']}", "version": served["version"]}
        result = {
            "protocolVersion": MCP_PROTOCOL,
            "capabilities": {"tools": {}},
            "serverInfo": info,
        }
        return {**reply, "result": result}
    if method == "tools/list":
        return {**reply, "result": {"tools": [_listed(t) for t in served["tools"]]}}
    text = f"method {method!r} is not served by the emulator's toolbox endpoint"
    return {**reply, "error": {"code": -32601, "message": text}}


def _listed(tool: dict[str, Any]) -> dict[str, Any]:
    """A tool as `tools/list` names it: an MCP server's by its label (its own tools are the
    remote server's, which the emulator does not call), any other by its name or type."""
    name = tool.get("name") or tool.get("server_label") or tool["type"]
    schema = {"type": "object", "properties": {}}
    return {"name": name, "description": tool.get("description") or "", "inputSchema": schema}


_TOOLBOXES = PROJECT + "/toolboxes"
_TOOLBOX = _TOOLBOXES + "/{name}"
_VERSION = _TOOLBOX + "/versions/{version}"

ROUTES = [
    Route(path, agents_errors(handler), methods=[method])
    for path, method, handler in [
        (_TOOLBOXES, "GET", list_toolboxes),
        # Before `/toolboxes/{name}`, which would take `x:invoke_mcp` for a name.
        (_TOOLBOX + ":invoke_mcp", "POST", mcp),
        (_TOOLBOX, "GET", get_toolbox),
        (_TOOLBOX, "PATCH", update_toolbox),
        (_TOOLBOX, "DELETE", delete_toolbox),
        (_TOOLBOX + "/mcp", "POST", mcp),
        (_TOOLBOX + "/versions", "GET", list_versions),
        (_TOOLBOX + "/versions", "POST", create_version),
        (_VERSION, "GET", get_version),
        (_VERSION, "DELETE", delete_version),
        (_VERSION + "/mcp", "POST", mcp),
    ]
]
