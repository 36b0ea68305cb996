"""The MCP tool: a remote MCP server the agent calls, its secrets from the environment.

Wire shape: azure-ai-projects 2.10 `MCPTool` (the OpenAI Responses MCP tool plus Foundry's
`project_connection_id`): `server_label` (required), one of `server_url` or `connector_id`,
`server_description`, `allowed_tools` (names, or a filter `{tool_names, read_only}`),
`require_approval` (`always`, `never`, or `{always, never}` filters), `headers`,
`authorization`, `project_connection_id`. The SDK's `tunnel_id`, `defer_loading` and
`allowed_callers` (newer options) are not typed: a live tool using them is drift, and an import
refuses it rather than drop them. `require_approval` is computed (OpenAI's default, `always`,
may be echoed). The manifest says `connection: <name>` (connection.py).

Secrets: each `headers` value is either written as it is (a plain value, readable in plans) or
named by environment variable, `{env: MCP_TOKEN}`; `authorization` (an OAuth token) only so.
The value is read from the process environment at load, never written to a manifest, a plan
file or the output; the plan holds `${env:MCP_TOKEN} sha256:<16 hex>` and compares by hash
(secret.py). An import writes `{env: MCP_<LABEL>_<HEADER>}` for each live header and says so.
`server_label` follows the function-name rule (1-64 letters, digits, '_' or '-'): no source
states its own, and it names the server in tool calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema

from reconciler.core.model import Path
from reconciler.core.tools import secret
from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Names,
    Problem,
    Resolve,
    StrictDoc,
    ToolDoc,
    Wire,
)
from reconciler.core.tools.connection import Connection, Declared, WireType

CONNECTORS = Literal[
    "connector_dropbox",
    "connector_gmail",
    "connector_googlecalendar",
    "connector_googledrive",
    "connector_microsoftteams",
    "connector_outlookcalendar",
    "connector_outlookemail",
    "connector_sharepoint",
]
HEADER_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {"env": {"type": "string", "pattern": secret.ENV_NAME}},
            "required": ["env"],
            "additionalProperties": False,
        },
    ]
}


class EnvDoc(StrictDoc):
    """A secret's value, read from this process environment variable at load."""

    env: str = Field(pattern=secret.ENV_NAME, description="An environment variable's name.")


class McpFilterDoc(StrictDoc):
    tool_names: list[str] | None = None
    read_only: bool | None = Field(None, description="Only the tools that change nothing.")


class McpApprovalDoc(StrictDoc):
    always: McpFilterDoc | None = None
    never: McpFilterDoc | None = None


class McpDoc(ToolDoc):
    """A remote MCP server (`server_url`) or an OpenAI service connector (`connector_id`)."""

    type: Literal["mcp"]
    server_label: str = Field(
        pattern=r"^[A-Za-z0-9_-]{1,64}$", description="Names the server in tool calls."
    )
    server_url: str | None = Field(None, pattern=r"^https?://", max_length=2048)
    connector_id: CONNECTORS | None = None
    server_description: str | None = None
    allowed_tools: list[str] | McpFilterDoc | None = None
    require_approval: Literal["always", "never"] | McpApprovalDoc | None = None
    # Checked in `check`, so that a wrong value is one error at its place (a union's members
    # would each report their own).
    headers: dict[str, Annotated[Any, WithJsonSchema(HEADER_SCHEMA)]] | None = Field(
        None, description="HTTP headers sent to the server: a value, or {env: NAME} for a secret."
    )
    authorization: EnvDoc | None = Field(None, description="An OAuth token, from {env: NAME}.")
    connection: str | None = Connection("The project connection holding the server's auth.")


class McpType(WireType):
    name = "mcp"
    doc = McpDoc
    key_path = ("server_label",)
    connections = ((),)
    computed = ("require_approval", "tool_configs")

    def check(self, doc: McpDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        if (doc.server_url is None) == (doc.connector_id is None):
            problems.append(((), "mcp takes a server_url or a connector_id (exactly one)"))
        if f"mcp:{doc.server_label}" in seen:
            message = f"mcp server_label {doc.server_label!r} is declared twice"
            problems.append((("server_label",), message))
        seen.add(f"mcp:{doc.server_label}")
        for key, value in (doc.headers or {}).items():
            if not isinstance(value, str) and _env(value) is None:
                message = "a header is its value, or {env: NAME} to read a secret from NAME"
                problems.append((("headers", key), message))
        return problems

    def desired(self, doc: McpDoc, resolve: Resolve) -> Declared:
        wire = self.wire(doc.model_copy(update={"headers": None, "authorization": None}))
        label = doc.server_label
        if doc.headers is not None:
            wire["headers"] = {
                key: _value(value, ("headers", key), label, resolve)
                for key, value in doc.headers.items()
            }
        if doc.authorization is not None:
            at = ("authorization",)
            wire["authorization"] = _value(doc.authorization, at, label, resolve)
        return Declared(self.name, wire)

    def loose(self, tool: Wire, resolve: Resolve) -> Declared:
        """As written, its secrets read as a typed entry reads them (`{env: NAME}`); a value
        of another shape is sent as written (no check runs on a verbatim entry)."""
        wire, label = super().loose(tool, resolve).wire, str(tool.get("server_label", ""))

        def read(value: object, at: tuple[str, ...]) -> object:
            if not isinstance(value, str) and _env(value) is None:
                return value
            return _value(value, at, label, resolve, within=("tool",))

        if isinstance(wire.get("headers"), dict):
            headers = wire["headers"].items()
            wire["headers"] = {k: read(v, ("headers", k)) for k, v in headers}
        if "authorization" in wire:
            wire["authorization"] = read(wire["authorization"], ("authorization",))
        return Declared(self.name, wire)

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        return _secrets(super().with_ids(tool, ids), lambda value, at: secret.reveal(value))

    def named(self, tool: Wire, names: Names) -> Wire:
        return _secrets(super().named(tool, names), secret.compared)

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        written = super().draft(tool, paths, drafting)
        label = str(tool.get("server_label", ""))
        named: list[str] = []
        if isinstance(tool.get("headers"), dict):
            headers = {k: {"env": secret.env_name("mcp", label, k)} for k in tool["headers"]}
            written["headers"] = headers
            named += [h["env"] for h in headers.values()]
        if isinstance(tool.get("authorization"), str):
            written["authorization"] = {"env": secret.env_name("mcp", label, "authorization")}
            named.append(written["authorization"]["env"])
        if named:
            drafting.notes.append(
                f"{drafting.agent}: the secrets of its MCP server {label!r} are not written: "
                f"set {', '.join(named)} before plan (or write a header's plain value instead)"
            )
        return written


def _env(value: object) -> str | None:
    """The variable a header value names ({env: NAME}), if it is one."""
    if isinstance(value, dict) and set(value) == {"env"} and isinstance(value["env"], str):
        return value["env"] if re.match(secret.ENV_NAME, value["env"]) else None
    return None


def _value(
    value: object, at: tuple[str, ...], label: str, resolve: Resolve, within: Path = ()
) -> str:
    where = "/".join((label, *at))  # where the value goes: its server, its header
    if isinstance(value, EnvDoc):
        value = {"env": value.env}
    env = _env(value)
    if env is None:
        return secret.plain(value, where) if isinstance(value, str) else ""  # else: check()
    found = resolve.secret(env, (*within, *at))
    return secret.marker(env, found if found is not None else "", where)


def _secrets(tool: Wire, swap: Callable[[str, str], str]) -> Wire:
    """The tool with each header value and its token swapped (revealed or compared), each
    told where it goes (server label, header)."""
    swapped, label = dict(tool), str(tool.get("server_label", ""))
    if isinstance(tool.get("headers"), dict):
        swapped["headers"] = {
            k: swap(v, f"{label}/headers/{k}") if isinstance(v, str) else v
            for k, v in tool["headers"].items()
        }
    if isinstance(tool.get("authorization"), str):
        swapped["authorization"] = swap(tool["authorization"], f"{label}/authorization")
    return swapped
