"""Toolboxes through azure-ai-projects 2.10's own `project.toolboxes` (GA: no opt-in header),
against the emulator over https: versions, the default version, deletion, errors, and the MCP
endpoint an agent uses."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    CodeInterpreterToolboxTool,
    MCPToolboxTool,
    RaiConfig,
    ToolboxPolicies,
    ToolboxSkillReference,
    WebSearchToolboxTool,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, TOKEN

MCP = MCPToolboxTool(server_label="docs", server_url="https://example.com/mcp")


def test_versions_default_version_and_delete(project: AIProjectClient) -> None:
    first = project.toolboxes.create_version(
        "tools",
        tools=[MCP, WebSearchToolboxTool(name="web")],
        description="v1",
        metadata={"team": "support"},
        skills=[ToolboxSkillReference(name="review", version="2")],
        policies=ToolboxPolicies(rai_config=RaiConfig(rai_policy_name="Microsoft.DefaultV2")),
    )
    assert (first.name, first.version, first.metadata) == ("tools", "1", {"team": "support"})
    assert first.skills[0].name == "review"
    assert first.policies.rai_config.rai_policy_name == "Microsoft.DefaultV2"
    second = project.toolboxes.create_version("tools", tools=[MCP], description="v2")
    assert second.version == "2"
    toolbox = project.toolboxes.get("tools")
    # A new version does not move the default: the endpoint keeps serving version 1.
    assert (toolbox.default_version, toolbox.versions.latest.version) == ("1", "2")
    assert project.toolboxes.update("tools", default_version="2").default_version == "2"
    assert [v.version for v in project.toolboxes.list_versions("tools")] == ["2", "1"]  # desc
    assert project.toolboxes.get_version("tools", "1").description == "v1"
    with pytest.raises(HttpResponseError) as refused:
        project.toolboxes.delete_version("tools", "2")  # the default
    assert refused.value.status_code == 409
    project.toolboxes.delete_version("tools", "1")
    assert [t.name for t in project.toolboxes.list()] == ["tools"]
    project.toolboxes.delete("tools")
    with pytest.raises(ResourceNotFoundError):
        project.toolboxes.get("tools")


def test_tools_must_be_told_apart(project: AIProjectClient) -> None:
    with pytest.raises(HttpResponseError) as unnamed:
        project.toolboxes.create_version(
            "tools", tools=[WebSearchToolboxTool(), CodeInterpreterToolboxTool()]
        )
    assert unnamed.value.status_code == 400
    assert "Multiple tools without identifiers found" in str(unnamed.value)
    with pytest.raises(HttpResponseError) as bad:
        project.toolboxes.update("absent", default_version="1")
    assert bad.value.status_code == 404
    made = project.toolboxes.create_version(
        "tools", tools=[WebSearchToolboxTool(), CodeInterpreterToolboxTool(name="code")]
    )
    assert made.version == "1"
    with pytest.raises(HttpResponseError) as missing:
        project.toolboxes.update("tools", default_version="7")
    assert missing.value.status_code == 400


def test_the_mcp_endpoint_serves_the_default_version(
    project: AIProjectClient, server: BackgroundServer, ca_file: Path
) -> None:
    project.toolboxes.create_version("tools", tools=[WebSearchToolboxTool(name="web")])
    project.toolboxes.create_version("tools", tools=[MCP])
    listed = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    endpoint = f"{server.url}/api/projects/{PROJECT}/toolboxes/tools"
    headers = {"Authorization": f"Bearer {TOKEN}", "Foundry-Features": "Toolboxes=V1Preview"}

    def names(path: str) -> list[str]:
        trusted = ssl.create_default_context(cafile=str(ca_file))
        url = f"{endpoint}{path}?api-version=v1"
        answer = httpx.post(url, json=listed, headers=headers, verify=trusted)
        answer.raise_for_status()
        return [t["name"] for t in answer.json()["result"]["tools"]]

    assert names("/mcp") == ["web"]  # the default: version 1
    assert names("/versions/2/mcp") == ["docs"]
    project.toolboxes.update("tools", default_version="2")
    assert names("/mcp") == ["docs"]
    answer = project.toolboxes.invoke_latest_toolbox_mcp(
        "tools",
        request=b'{"jsonrpc": "2.0", "id": 2, "method": "initialize"}',
        content_type="application/json",
    )
    assert '"protocolVersion"' in str(answer)
