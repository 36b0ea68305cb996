"""An agent made through azure-ai-projects 2.10.0 (`allow_preview=True`, the SDK's own models)
with preview tools, a tool type no model knows and every definition setting round-trips:
`reconciler import`, a plan that adopts it, one version on apply, then no changes."""

from __future__ import annotations

from pathlib import Path

from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    FunctionTool,
    GitHubCopilotToolsetDefaultConfig,
    GitHubCopilotToolsetPreview,
    MemorySearchPreviewTool,
    PromptAgentDefinition,
    RaiConfig,
    Reasoning,
    StructuredInputDefinition,
    ToolChoiceFunction,
)

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, FixedCredential
from tests_foundry.reconcile import Project

FUTURE = {"type": "hologram", "projector": {"beam": 3}}  # a type no SDK model knows


def test_preview_tools_and_settings_made_with_the_sdk_round_trip(
    server: BackgroundServer, ca_file: Path, credential: FixedCredential, tmp_path: Path
) -> None:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    shop = Project(tmp_path / "shop", endpoint, ca_file)
    shop.root.mkdir()
    shop.write_config()
    definition = PromptAgentDefinition(
        model="gpt-4o-mini",
        instructions="Help {{user}}.",
        tools=[
            FunctionTool(name="lookup", parameters={"type": "object"}, strict=True),
            GitHubCopilotToolsetPreview(
                default_config=GitHubCopilotToolsetDefaultConfig(enabled=True)
            ),
            MemorySearchPreviewTool(memory_store_name="chat", scope="{{user}}"),
            FUTURE,
        ],
        reasoning=Reasoning(effort="low"),
        tool_choice=ToolChoiceFunction(name="lookup"),
        structured_inputs={"user": StructuredInputDefinition(description="Who", required=True)},
        rai_config=RaiConfig(rai_policy_name="Microsoft.DefaultV2"),
    )
    with AIProjectClient(
        endpoint=endpoint,
        credential=credential,
        connection_verify=str(ca_file),
        allow_preview=True,  # the GitHub Copilot toolset needs its Foundry-Features opt-in
    ) as sdk:
        sdk.agents.create_version("odd-bot", definition=definition)
        shop.ok("import", str(shop.root), "--env", "staging", "--select", "odd-bot")
        (agent,) = [c for c in shop.plan("staging")["changes"] if c["kind"] == "agent"]
        assert (agent["action"], agent["action_reason"]) == ("update", "adopt")
        shop.apply("staging")
        assert shop.actions("staging") == []
        latest = sdk.agents.get("odd-bot").versions.latest

    assert latest.version == "2"
    made = latest.definition
    assert sorted(t["type"] for t in made.tools) == [
        "function",
        "github_copilot_toolset_preview",
        "hologram",
        "memory_search_preview",
    ]
    assert dict(made.reasoning) == {"effort": "low"}
    assert dict(made.tool_choice) == {"type": "function", "name": "lookup"}
    assert made.rai_config.rai_policy_name == "Microsoft.DefaultV2"
    assert dict(made.structured_inputs["user"]) == {"description": "Who", "required": True}
