"""`reconciler import` of a toolbox, and of an agent that uses it, both made through
azure-ai-projects 2.10 over https: imported, adopted by the next apply (a new version carrying
our marks, made the default), then unchanged."""

from __future__ import annotations

from pathlib import Path

from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    MCPTool,
    MCPToolboxTool,
    PromptAgentDefinition,
    RaiConfig,
    ToolboxPolicies,
    WebSearchToolboxTool,
)

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT
from tests_foundry.reconcile import Project


def test_a_toolbox_and_its_agent_made_with_the_sdk_are_imported_and_adopted(
    server: BackgroundServer, ca_file: Path, project: AIProjectClient, tmp_path: Path
) -> None:
    shop = Project(tmp_path / "shop", f"{server.url}/api/projects/{PROJECT}", ca_file)
    shop.root.mkdir()
    shop.write_config()
    tools = [
        MCPToolboxTool(server_label="docs", server_url="https://example.com/mcp"),
        WebSearchToolboxTool(name="web", description="The public web."),
    ]
    policies = ToolboxPolicies(rai_config=RaiConfig(rai_policy_name="Microsoft.DefaultV2"))
    project.toolboxes.create_version(
        "kit", tools=tools, description="Shared", metadata={"team": "ops"}, policies=policies
    )
    endpoint = f"{shop.endpoint}/toolboxes/kit/mcp?api-version=v1"
    use = MCPTool(server_label="kit", server_url=endpoint, require_approval="never")
    definition = PromptAgentDefinition(model="gpt-4o-mini", instructions="Help.", tools=[use])
    project.agents.create_version("helper", definition=definition)

    listed = shop.ok("import", str(shop.root), "--env", "staging")
    assert "1 unmanaged toolbox at" in listed
    imported = shop.ok(
        "import", str(shop.root), "--env", "staging", "--select", "kit", "--select", "helper"
    )
    assert "Imported 2 objects" in imported
    manifest = (shop.root / "agents/kit.yaml").read_text(encoding="utf-8")
    assert "kind: Toolbox" in manifest
    assert "rai_policy_name: Microsoft.DefaultV2" in manifest
    agent = (shop.root / "agents/helper.yaml").read_text(encoding="utf-8")
    assert "type: toolbox" in agent
    assert "toolbox: kit" in agent
    changes = {c["address"]: c for c in shop.plan("staging")["changes"]}
    assert (changes["toolbox.kit"]["action"], changes["toolbox.kit"]["action_reason"]) == (
        "update",
        "adopt",
    )
    diff = [d["path"] for d in changes["toolbox.kit"]["diff"]]
    assert diff == ["metadata.reconciler.name", "metadata.reconciler.owner"]  # only the marks
    shop.apply("staging")
    assert shop.actions("staging") == []
    kit = project.toolboxes.get("kit")
    assert (kit.default_version, kit.versions.latest.version) == ("2", "2")
    assert kit.versions.latest.metadata == {
        "team": "ops",
        "reconciler.owner": "shop/staging",
        "reconciler.name": "kit",
    }
    (tool,) = project.agents.get("helper").versions.latest.definition.tools
    assert tool["server_url"] == endpoint
