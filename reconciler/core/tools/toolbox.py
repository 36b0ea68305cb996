"""The toolbox tool: an agent uses a Foundry toolbox, by name, through its MCP endpoint.

azure-ai-projects 2.10 has no prompt-agent tool of its own for a toolbox (only voice agents have
`{type: toolbox, toolbox_name, toolbox_version}`); a toolbox is "a single MCP-compatible
endpoint that any agent can consume" (learn.microsoft.com, azure/foundry/agents/how-to/tools/
toolbox), the consumer endpoint `{project}/toolboxes/{name}/mcp?api-version=v1`, which always
serves the toolbox's `default_version` (so promoting a version needs no new agent version). On
the wire it is therefore an `mcp` tool: `server_label` the toolbox's name, `server_url` that
endpoint, and what the manifest says of approvals and allowed tools.

A manifest says `{type: toolbox, toolbox: <name>}`; the essence keeps that form (the URL differs
per environment: the toolbox kind resolves it into plan.files under the toolbox's name, and
`with_ids` writes it), and a live `mcp` tool whose label is a toolbox's name and whose URL is
that toolbox's consumer endpoint is read back as this type (`claims`). It references
`toolbox.<name>`, so the toolbox is made first and never deleted while a version uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Held,
    Names,
    Problem,
    Resolve,
    ToolBase,
    ToolDoc,
    Wire,
    present,
)
from reconciler.core.tools.connection import Declared, pruned
from reconciler.core.tools.mcp import McpApprovalDoc, McpFilterDoc

KIND = "toolbox"  # the address prefix of the toolbox kind (core/kinds/toolbox/)
TOOLBOX_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
ENDPOINT = re.compile(
    r"^https?://[^/?#]+(?:/[^?#]*)?/toolboxes/([^/?#]+)/mcp(?:\?api-version=v1)?$"
)
WIRE_ONLY = ("type", "server_label", "server_url")
FIELD = "toolbox"  # the manifest's field naming the toolbox
NAME_RULE = "1-63 letters, digits or '-', starting and ending with a letter or digit"


def endpoint_path(name: str) -> str:
    """The consumer endpoint of a toolbox, after the project's endpoint."""
    return f"/toolboxes/{name}/mcp?api-version=v1"


class ToolboxRefDoc(ToolDoc):
    """A Foundry toolbox, by name: declared in the project (kind: Toolbox), or already there."""

    type: Literal["toolbox"]
    toolbox: str = Field(min_length=1, description="The toolbox's name.")
    require_approval: Literal["always", "never"] | McpApprovalDoc | None = None
    allowed_tools: list[str] | McpFilterDoc | None = None


class ToolboxRefType(ToolBase):
    name = KIND
    doc = ToolboxRefDoc
    computed = ("require_approval", "tool_configs")  # as an MCP tool's

    def claims(self, tool: Wire) -> bool:
        """A live MCP tool pointing at the consumer endpoint of the toolbox it is labelled as."""
        if tool.get("type") != "mcp" or not isinstance(tool.get("server_url"), str):
            return False
        found = ENDPOINT.match(tool["server_url"])
        return found is not None and found.group(1) == tool.get("server_label")

    def check(self, doc: ToolboxRefDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        if not re.match(TOOLBOX_NAME, doc.toolbox):
            problems.append(((FIELD,), f"{doc.toolbox!r} is not a toolbox name: {NAME_RULE}"))
        if f"{KIND}:{doc.toolbox}" in seen:
            problems.append(((FIELD,), f"toolbox {doc.toolbox!r} is used twice"))
        seen.add(f"{KIND}:{doc.toolbox}")
        return problems

    def key(self, tool: Wire) -> str:
        return str(tool.get(FIELD) or tool.get("server_label") or "")

    def desired(self, doc: ToolboxRefDoc, resolve: Resolve) -> Declared:
        return Declared(self.name, pruned(doc.model_dump()))

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        if tool.get("type") != KIND:
            return tool
        name = str(tool[FIELD])
        rest = {k: v for k, v in tool.items() if k not in ("type", FIELD)}
        return {"type": "mcp", "server_label": name, "server_url": ids.get(name, ""), **rest}

    def named(self, tool: Wire, names: Names) -> Wire:
        if tool.get("type") == KIND:
            return present(tool)
        rest = {k: v for k, v in pruned(tool).items() if k not in WIRE_ONLY}
        return {"type": KIND, FIELD: str(tool.get("server_label")), **rest}

    def references(self, tool: Wire) -> set[str]:
        return {f"{KIND}.{self.key(tool)}"}

    def held(self, tool: Wire) -> Held:
        return Held(others=(f"{KIND}.{self.key(tool)}",))

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        named = self.named(tool, Names({}, {}))
        return {k: v for k, v in named.items() if k in ToolboxRefDoc.model_fields}
