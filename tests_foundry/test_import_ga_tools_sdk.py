"""Every GA tool type, on an agent made through azure-ai-projects 2.10.0 with its own models
and connections by full resource id, round-trips: `reconciler import` writes each tool typed
(connections by name, the MCP header as a variable), the plan adopts it, apply makes that one
version, the next plan shows no changes, and the live tools are what the SDK sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import PromptAgentDefinition

from reconciler.config.source import load_documents
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.foundry.seed import parse_seed
from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, FixedCredential
from tests_foundry.reconcile import Project
from tests_foundry.test_tool_types_sdk import CONNECTION, every_tool

NAMES = ("mcp", "api", "search", "bing", "custom")
SECRET = "Bearer t"  # the MCP header every_tool() sends


@pytest.fixture
def options() -> FoundryOptions:
    connections = [{"name": n, "id": CONNECTION.format(n)} for n in NAMES]
    seed = {"projects": {PROJECT: {"connections": connections, "deployments": [{"name": "m"}]}}}
    return FoundryOptions(poll_after_ms=1, resources=parse_seed(seed))


def test_every_ga_tool_made_with_the_sdk_is_imported_typed_and_round_trips(
    server: BackgroundServer,
    ca_file: Path,
    credential: FixedCredential,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    shop = Project(tmp_path / "shop", endpoint, ca_file)
    shop.root.mkdir()
    shop.write_config()
    tools = every_tool()
    sent = sorted((dict(t.as_dict()) for t in tools), key=lambda t: str(t["type"]))
    with AIProjectClient(
        endpoint=endpoint, credential=credential, connection_verify=str(ca_file)
    ) as sdk:
        sdk.agents.create_version(
            "toolbelt", definition=PromptAgentDefinition(model="m", tools=tools)
        )
        imported = shop.ok("import", str(shop.root), "--env", "staging", "--select", "toolbelt")
        text = (shop.root / "agents" / "toolbelt.yaml").read_text("utf-8")
        assert SECRET not in text
        (document,), problems = load_documents("toolbelt.yaml", text)
        assert problems == []
        written: list[dict[str, Any]] = document.data["tools"]
        assert "verbatim" not in imported
        assert sorted(t["type"] for t in written) == sorted(t["type"] for t in sent)
        assert "project_connection_id" not in text  # every connection by its name
        for name in NAMES:
            assert f"connection: {name}" in text
        assert {"env": "MCP_ORDERS_AUTHORIZATION"} in [
            t["headers"]["Authorization"] for t in written if t["type"] == "mcp"
        ]

        monkeypatch.setenv("MCP_ORDERS_AUTHORIZATION", SECRET)
        (agent,) = [c for c in shop.plan("staging")["changes"] if c["kind"] == "agent"]
        assert (agent["action"], agent["action_reason"]) == ("update", "adopt")
        assert [d["path"] for d in agent["diff"]] == ["metadata"]  # the marks, nothing else
        shop.apply("staging")
        assert shop.actions("staging") == []
        latest = sdk.agents.get("toolbelt").versions.latest

    assert latest.version == "2"  # the adoption, and nothing after it
    assert (
        sorted((dict(t.as_dict()) for t in latest.definition.tools), key=lambda t: str(t["type"]))
        == sent
    )
