"""Connections by name and secrets by hash, for every tool type that binds to a connection:
the contract of core/tools/base.py, with the ids mapping seeded as plan-time resolution fills it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reconciler.core.tools import secret
from reconciler.core.tools.base import Drafting, Names
from reconciler.core.tools.registry import tool_type
from reconciler.errors import StalePlanError, UsageError

ID = "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a/projects/p/connections/{}"
# Each tool type with a connection, as its essence holds it (the connection by name).
PLANNED: dict[str, dict[str, Any]] = {
    "mcp": {
        "type": "mcp",
        "server_label": "x",
        "server_url": "https://m",
        "project_connection_id": "c",
    },
    "a2a": {
        "type": "a2a",
        "base_url": "https://a",
        "project_connection_id": "c",
        "a2a_version": "1.0",
    },
    "openapi": {
        "type": "openapi",
        "openapi": {
            "name": "o",
            "spec": {"openapi": "3.0.0", "paths": {}},
            "auth": {
                "type": "project_connection",
                "security_scheme": {"project_connection_id": "c"},
            },
        },
    },
    "azure_ai_search": {
        "type": "azure_ai_search",
        "azure_ai_search": {"indexes": [{"project_connection_id": "c", "index_name": "i"}]},
    },
    "bing_grounding": {
        "type": "bing_grounding",
        "bing_grounding": {"search_configurations": [{"project_connection_id": "c"}]},
    },
    "web_search": {
        "type": "web_search",
        "custom_search_configuration": {"project_connection_id": "c", "instance_name": "i"},
    },
}


def _swapped(tool: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return dict(json.loads(json.dumps(tool).replace(f'"{old}"', f'"{new}"')))


@pytest.mark.parametrize("kind", sorted(PLANNED))
def test_a_connection_is_named_in_the_plan_and_sent_by_id(kind: str) -> None:
    planned, rules = PLANNED[kind], tool_type(PLANNED[kind])
    sent = rules.with_ids(planned, {"connection.c": ID.format("c")})
    assert sent == _swapped(planned, "c", ID.format("c"))
    assert rules.references(planned) == {"connection.c"}
    names = Names(files={}, stores={}, connections={ID.format("c"): "c"})
    assert rules.named(sent, names) == planned
    # A connection the project does not know keeps its id: it differs from any name.
    assert rules.named(sent, Names(files={}, stores={})) == sent
    # Import drafts the connection by its name, the id's last segment.
    assert "connection" in str(rules.draft(sent, {}, _drafting()))
    assert ID.format("c") not in str(rules.draft(sent, {}, _drafting()))


@pytest.mark.parametrize("kind", sorted(PLANNED))
def test_a_placeholder_is_kept_and_references_nothing(kind: str) -> None:
    planned = _swapped(PLANNED[kind], "c", "{{search_connection}}")
    rules = tool_type(planned)
    assert rules.with_ids(planned, {"connection.{{search_connection}}": "x"}) == planned
    assert rules.references(planned) == set()


def _drafting() -> Drafting:
    return Drafting("a", {}, {}, {})


def test_a_secret_is_planned_by_hash_sent_by_value_and_compared_by_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOOL_SECRET", "t0ken")
    marked = secret.marker("TOOL_SECRET", "t0ken", "server/authorization")
    assert marked == f"${{env:TOOL_SECRET}} sha256:{secret.digest('t0ken')}"
    assert "t0ken" not in marked
    assert secret.reveal(marked) == "t0ken"
    assert secret.compared("t0ken", "server/authorization") == marked
    edited = "edited in the portal"
    assert secret.compared(edited, "server/authorization") == f"sha256:{secret.digest(edited)}"
    # Elsewhere the same value is not this secret: shown by its hash alone.
    assert secret.compared("t0ken", "other/authorization") == f"sha256:{secret.digest('t0ken')}"
    assert secret.reveal("plain value") == "plain value"
    monkeypatch.setenv("TOOL_SECRET", "rotated")
    with pytest.raises(StalePlanError, match="TOOL_SECRET changed since the plan was made"):
        secret.reveal(marked)
    monkeypatch.delenv("TOOL_SECRET")
    with pytest.raises(UsageError, match="environment variable TOOL_SECRET is not set"):
        secret.reveal(marked)


def test_mcp_headers_are_revealed_on_the_wire_and_hashed_when_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MCP_KEY", "k3y")
    planned = {
        "type": "mcp",
        "server_label": "x",
        "server_url": "https://m",
        "headers": {
            "Api-Key": secret.marker("MCP_KEY", "k3y", "x/headers/Api-Key"),
            "X-Team": secret.plain("support", "x/headers/X-Team"),
        },
    }
    rules = tool_type(planned)
    sent = rules.with_ids(planned, {})
    assert sent["headers"] == {"Api-Key": "k3y", "X-Team": "support"}
    assert rules.named(sent, Names(files={}, stores={})) == planned
