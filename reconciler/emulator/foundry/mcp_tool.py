"""The MCP tool in a response: list the server's tools, ask for approval, call one.

A turn with an `mcp` tool lists the server's tools (`mcp_list_tools`, filtered by
`allowed_tools`), picks the first tool the last user message asks for (model.asked_for), else
the first listed, and fills its required arguments from the message (core/arguments.py). When
`require_approval` wants it ("always", the default, or an `always`/`never` filter naming the
tool) the turn stops at an `mcp_approval_request`; the client answers with an
`mcp_approval_response` (by `previous_response_id` or in the conversation) and the next turn
makes the call (`mcp_call`) or notes the denial.

A `server_url` on loopback (localhost, 127.0.0.0/8, ::1) is really called (mcp_client.py), with
the tool's `headers` and `authorization` (as a bearer token). Any other server is not: its tool
list and call result are a recorded stand-in, labelled as such in the items.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.emulator.core.arguments import arguments
from reconciler.emulator.core.db import Json
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry.mcp_client import McpError, Session, is_loopback
from reconciler.emulator.foundry.model import Ran, asked_for

RECORDED = "Recorded stand-in (emulator): it calls MCP servers on loopback only"
STAND_IN = {
    "name": "emulated_tool",
    "description": f"{RECORDED}; this server's tools were not listed.",
    "input_schema": {
        "type": "object",
        "properties": {"query": {"type": "string"}},
        "required": ["query"],
    },
    "annotations": None,
}


def run(tool: Json, query: str) -> Ran:
    label = tool["server_label"]
    listed: Json = {"id": new_id("mcpl_"), "type": "mcp_list_tools", "server_label": label}
    try:
        tools = _allowed(tool, _list(tool))
    except McpError as error:
        listed.update(tools=[], error=str(error))
        return Ran([listed], f"mcp {label}: {error}")
    listed.update(tools=tools, error=None)
    if not tools:
        return Ran([listed], f"mcp {label}: no tools")
    chosen = next((t for t in tools if asked_for(t["name"], query)), tools[0])
    schema = chosen.get("input_schema") or {"type": "object"}
    call = {"server_label": label, "name": chosen["name"], "arguments": arguments(schema, query)}
    if _needs_approval(tool.get("require_approval"), chosen["name"]):
        request = {"id": new_id("mcpr_"), "type": "mcp_approval_request", **call}
        return Ran([listed, request], waits=True)
    made = _call(tool, call, None)
    return Ran([listed, made], _summary(made))


def resume(tool: Json | None, request: Json, approve: bool) -> Ran:
    label, name = request.get("server_label"), request.get("name")
    if not approve:
        return Ran([], f"mcp {label}: the call to {name} was not approved")
    if tool is None:
        return Ran([], f"mcp {label}: the tool is no longer in this turn's tools")
    call = {"server_label": label, "name": name, "arguments": request.get("arguments") or "{}"}
    made = _call(tool, call, request["id"])
    return Ran([made], _summary(made))


def _list(tool: Json) -> list[Json]:
    url = tool.get("server_url")
    if not is_loopback(url):
        return [dict(STAND_IN)]
    with Session(str(url), _headers(tool)) as session:
        listed = session.list_tools()
    return [_listed(found) for found in listed if isinstance(found, dict) and _named(found)]


def _named(found: Json) -> bool:
    return isinstance(found.get("name"), str) and bool(found["name"])


def _listed(found: Json) -> Json:
    """A tool as the server lists it, in the Responses API's shape (a server's odd schema is
    taken as an object with no properties)."""
    schema = found.get("inputSchema")
    return {
        "name": found["name"],
        "description": found.get("description"),
        "input_schema": schema if isinstance(schema, dict) else {"type": "object"},
        "annotations": found.get("annotations"),
    }


def _call(tool: Json, call: Json, approval: str | None) -> Json:
    made: Json = {"id": new_id("mcp_"), "type": "mcp_call", **call, "approval_request_id": approval}
    url = tool.get("server_url")
    if not is_loopback(url):
        return {**made, "output": f"{RECORDED}; {url} was not called.", "error": None}
    try:
        given = json.loads(str(call["arguments"]))
        with Session(str(url), _headers(tool)) as session:
            result = session.call_tool(str(call["name"]), given if isinstance(given, dict) else {})
    except (McpError, ValueError) as error:
        return {**made, "output": None, "error": str(error)}
    content = result.get("content")
    parts = content if isinstance(content, list) else []
    text = "\n".join(
        str(part.get("text", ""))
        for part in parts
        if isinstance(part, dict) and part.get("type") == "text"
    )
    if result.get("isError"):
        return {**made, "output": None, "error": text or "the tool reported an error"}
    return {**made, "output": text, "error": None}


def _allowed(tool: Json, tools: list[Json]) -> list[Json]:
    allowed: Any = tool.get("allowed_tools")
    if isinstance(allowed, dict):
        allowed = allowed.get("tool_names")
    if not isinstance(allowed, list):
        return tools
    return [found for found in tools if found["name"] in allowed]


def _needs_approval(rule: Any, name: str) -> bool:
    if rule == "never":
        return False
    if isinstance(rule, dict):
        never = (rule.get("never") or {}).get("tool_names") or []
        always = (rule.get("always") or {}).get("tool_names")
        return name not in never and (always is None or name in always)
    return True


def _headers(tool: Json) -> dict[str, str]:
    headers = {str(k): str(v) for k, v in (tool.get("headers") or {}).items()}
    if tool.get("authorization"):
        headers["Authorization"] = f"Bearer {tool['authorization']}"
    return headers


def _summary(made: Json) -> str:
    said = made["output"] if made["error"] is None else f"error: {made['error']}"
    return f"mcp {made['server_label']}.{made['name']}: {said}"
