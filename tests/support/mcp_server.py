"""A small MCP server (streamable HTTP, JSON-RPC 2.0) for the tests of the emulator's MCP tool.

It serves two tools, `echo` (`{"text": string}`, answered as text) and `fail` (an error result),
answers `initialize` with a session id and requires it afterwards, and answers `tools/list` as
an SSE stream (a server may choose either form), the rest as JSON. It keeps every request it
got, so tests can see what the emulator sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

SESSION = "session-1"
TOOLS = [
    {
        "name": "echo",
        "description": "Says the text back.",
        "inputSchema": {
            "type": "object",
            "properties": {"text": {"type": "string"}, "times": {"type": "integer"}},
            "required": ["text"],
        },
    },
    {"name": "fail", "description": "Always fails.", "inputSchema": {"type": "object"}},
]


@dataclass
class McpServer:
    """The app, and what it was sent: (method, headers, params) per request."""

    seen: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)

    def app(self) -> ASGIApp:
        return Starlette(routes=[Route("/mcp", self._handle, methods=["POST"])])

    async def _handle(self, request: Request) -> Response:
        message = json.loads(await request.body())
        method = message["method"]
        self.seen.append((method, dict(request.headers), message.get("params")))
        if method != "initialize" and request.headers.get("mcp-session-id") != SESSION:
            return Response(status_code=404)
        if "id" not in message:
            return Response(status_code=202)
        result = self._result(method, message.get("params") or {})
        answer = {"jsonrpc": "2.0", "id": message["id"], "result": result}
        if method == "tools/list":
            body = f"event: message\ndata: {json.dumps(answer)}\n\n"
            return Response(body, media_type="text/event-stream")
        return JSONResponse(answer, headers={"Mcp-Session-Id": SESSION})

    def _result(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "initialize":
            info = {"name": "test-mcp", "version": "1"}
            return {
                "protocolVersion": params["protocolVersion"],
                "capabilities": {},
                "serverInfo": info,
            }
        if method == "tools/list":
            return {"tools": TOOLS}
        if params["name"] == "fail":
            return {"content": [{"type": "text", "text": "it failed"}], "isError": True}
        text = params["arguments"]["text"]
        return {"content": [{"type": "text", "text": f"echo: {text}"}], "isError": False}
