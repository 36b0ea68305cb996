"""The A2A tool: another agent, called over the Agent2Agent protocol.

Wire shape: azure-ai-projects 2.10 `A2ATool`: `base_url`, `agent_card_path` (default
`/.well-known/agent-card.json`), `project_connection_id`, `send_credentials_for_agent_card`
(default false), `a2a_version` (required, "1.0"). The GA spec maps `a2a` without listing its
fields; the SDK's model is taken. The manifest says `connection: <name>` (connection.py) and may
leave `a2a_version` out (1.0, the one version there is). The two defaults are computed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.core.tools.base import Checks, Problem, ToolDoc
from reconciler.core.tools.connection import Connection, WireType


class A2ADoc(ToolDoc):
    type: Literal["a2a"]
    base_url: str | None = Field(None, pattern=r"^https?://", max_length=2048)
    agent_card_path: str | None = Field(None, pattern=r"^/")
    connection: str | None = Connection("The project connection to the A2A server.")
    send_credentials_for_agent_card: bool | None = None
    a2a_version: Literal["1.0"] = "1.0"


class A2AType(WireType):
    name = "a2a"
    doc = A2ADoc
    connections = ((),)
    key_path = ("base_url",)
    computed = ("agent_card_path", "send_credentials_for_agent_card", "tool_configs")

    def check(self, doc: A2ADoc, checks: Checks, seen: set[str]) -> list[Problem]:
        if doc.base_url is None and doc.connection is None:
            return [((), "a2a takes a base_url, a connection, or both")]
        return []
