"""The few MCP calls the emulator makes to a server on loopback: streamable HTTP, JSON-RPC 2.0.

One session per use: `initialize`, the `notifications/initialized` notification, then
`tools/list` or `tools/call`. Answers may come as JSON or as an SSE stream of JSON-RPC
messages (the spec lets a server choose); the session id a server hands out
(`Mcp-Session-Id`) goes back on every later request, with the negotiated protocol version.

Why not the `mcp` package: its client is async-only, runs each session in an anyio task group
over memory streams, and brings a dozen dependencies (sse-starlette, httpx-sse,
pydantic-settings, jsonschema, ...) into the reconciler's install for what is, here, four POSTs
with a fixed body. httpx is already a dependency; the wire format is small and specified
(modelcontextprotocol.io, "Transports", 2025-06-18).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from reconciler.emulator.core.db import Json

PROTOCOL = "2025-06-18"
TIMEOUT = 10.0
CLIENT = {"name": "reconciler-emulator", "version": "1"}


class McpError(Exception):
    """The server could not be reached or answered with an error; the message says which."""


def is_loopback(url: str | None) -> bool:
    host = urlsplit(url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Session:
    """One MCP session with a server, opened by `initialize`."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self._next = url, 0
        base = {"Accept": "application/json, text/event-stream"}
        self._http = httpx.Client(headers={**base, **headers}, timeout=TIMEOUT)

    def __enter__(self) -> Session:
        params = {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": CLIENT}
        result = self.call("initialize", params)
        self._http.headers["MCP-Protocol-Version"] = str(result.get("protocolVersion") or PROTOCOL)
        self._post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def list_tools(self) -> list[Json]:
        tools = self.call("tools/list", {}).get("tools")
        return tools if isinstance(tools, list) else []

    def call_tool(self, name: str, arguments: Json) -> Json:
        return self.call("tools/call", {"name": name, "arguments": arguments})

    def call(self, method: str, params: Json) -> Json:
        self._next += 1
        request = {"jsonrpc": "2.0", "id": self._next, "method": method, "params": params}
        answer = self._post(request)
        message = _matching(answer, self._next)
        if "error" in message:
            error = message["error"]
            detail = error.get("message") if isinstance(error, dict) else error
            raise McpError(f"{method} failed: {detail or 'error'}")
        result = message.get("result")
        return result if isinstance(result, dict) else {}

    def _post(self, body: Json) -> httpx.Response:
        try:
            answer = self._http.post(self.url, json=body)
        except httpx.HTTPError as error:
            raise McpError(f"cannot reach {self.url}: {error}") from error
        if answer.status_code >= 400:
            raise McpError(f"{body['method']}: HTTP {answer.status_code} from {self.url}")
        session = answer.headers.get("mcp-session-id")
        if session:
            self._http.headers["Mcp-Session-Id"] = session
        return answer


def _matching(answer: httpx.Response, request_id: int) -> Json:
    """The JSON-RPC response to `request_id` in a JSON or SSE answer."""
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        messages = [
            _json(line[5:]) for line in answer.text.splitlines() if line.startswith("data:")
        ]
    else:
        messages = [_json(answer.text)]
    for message in messages:
        if isinstance(message, dict) and message.get("id") == request_id:
            return message
    raise McpError(f"no answer to request {request_id}")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise McpError(f"not JSON: {text[:80]!r}") from error
