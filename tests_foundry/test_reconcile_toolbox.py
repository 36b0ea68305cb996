"""Issue 25's toolbox Done-when, end to end: the reconciler CLI against the emulator over https,
every result checked (and every drift made) through azure-ai-projects 2.10's `project.toolboxes`
and `project.agents`. Two environments, staging and prod, on one project endpoint; each has a
toolbox and an agent that uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import WebSearchToolboxTool
from azure.core.exceptions import ResourceNotFoundError

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT
from tests_foundry.reconcile import ENVIRONMENTS, Project, kill_mid_apply

TOOLBOX = """\
kind: Toolbox
name: tools-${env.name}
description: %s
tools:
  - type: mcp
    server_label: docs
    server_url: https://learn.microsoft.com/api/mcp
    require_approval: never
  - type: web_search
    name: web
metadata: {team: support}
"""
AGENT = """\
kind: Agent
name: triage-${env.name}
model: ${var.model}
instructions: You sort questions.
tools:
  - type: toolbox
    toolbox: %s
"""


@pytest.fixture
def shop(server: BackgroundServer, ca_file: Path, tmp_path: Path) -> Project:
    shop = Project(tmp_path / "shop", f"{server.url}/api/projects/{PROJECT}", ca_file)
    shop.root.mkdir()
    shop.write_config()
    shop.write("agents/tools.yaml", TOOLBOX % "Support tools")
    shop.write("agents/triage.yaml", AGENT % "tools-${env.name}")
    return shop


@pytest.fixture
def applied(shop: Project) -> Project:
    for env in ENVIRONMENTS:
        shop.apply(env)
    return shop


def no_changes(shop: Project, env: str) -> None:
    result = shop.run("plan", str(shop.root), "--env", env, "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "No changes." in result.output


def changed(shop: Project, env: str) -> list[dict[str, Any]]:
    return [c for c in shop.plan(env)["changes"] if c["action"] != "no-op"]


def version_body(project: AIProjectClient, name: str, **changes: Any) -> dict[str, Any]:
    """What a version holds (as create_version takes it), with some fields changed."""
    version = project.toolboxes.get(name).versions.latest.as_dict()
    kept = {k: version[k] for k in ("description", "tools", "metadata") if k in version}
    return {**kept, **changes}


def test_the_toolbox_is_made_first_and_the_agent_points_at_its_endpoint(
    applied: Project, project: AIProjectClient, shop: Project
) -> None:
    toolbox = project.toolboxes.get("tools-staging")
    assert (toolbox.default_version, toolbox.versions.latest.version) == ("1", "1")
    latest = toolbox.versions.latest
    assert latest.metadata == {
        "team": "support",
        "reconciler.owner": "shop/staging",
        "reconciler.name": "tools-staging",
    }
    assert sorted(t["type"] for t in latest.tools) == ["mcp", "web_search"]
    (tool,) = project.agents.get("triage-staging").versions.latest.definition.tools
    assert tool.as_dict() == {
        "type": "mcp",
        "server_label": "tools-staging",
        "server_url": f"{shop.endpoint}/toolboxes/tools-staging/mcp?api-version=v1",
    }
    for env in ENVIRONMENTS:
        no_changes(applied, env)


def test_a_changed_manifest_is_one_new_version_and_the_default_moves_to_it(
    applied: Project, project: AIProjectClient
) -> None:
    applied.write("agents/tools.yaml", TOOLBOX % "Support tools, reviewed")
    (change,) = changed(applied, "staging")
    assert (change["address"], change["action"], change["action_reason"]) == (
        "toolbox.tools-staging",
        "update",
        "drift",
    )
    assert change["reason"] == "new version (1 -> 2), default_version moves to it"
    assert change["diff"] == [
        {
            "op": "change",
            "path": "description",
            "old": "Support tools",
            "new": "Support tools, reviewed",
        }
    ]
    applied.apply("staging")
    toolbox = project.toolboxes.get("tools-staging")
    assert (toolbox.default_version, toolbox.versions.latest.version) == ("2", "2")
    assert project.agents.get("triage-staging").versions.latest.version == "1"  # unchanged
    no_changes(applied, "staging")


def test_drift_made_with_the_sdk_is_planned_and_undone(
    applied: Project, project: AIProjectClient
) -> None:
    body = version_body(project, "tools-staging", description="Edited by hand")
    made = project.toolboxes.create_version("tools-staging", body)
    project.toolboxes.update("tools-staging", default_version=made.version)
    (change,) = changed(applied, "staging")
    assert change["reason"] == "new version (2 -> 3), default_version moves to it"
    assert [d["path"] for d in change["diff"]] == ["description"]
    applied.apply("staging")
    toolbox = project.toolboxes.get("tools-staging")
    assert (toolbox.default_version, toolbox.versions.latest.description) == ("3", "Support tools")
    no_changes(applied, "staging")
    no_changes(applied, "prod")


def test_a_version_made_but_not_made_default_is_reused_not_made_again(
    applied: Project, project: AIProjectClient
) -> None:
    """As after an apply stopped between its two calls: the new version exists, the default
    still names the old one."""
    applied.write("agents/tools.yaml", TOOLBOX % "Support tools, reviewed")
    body = version_body(project, "tools-staging", description="Support tools, reviewed")
    assert project.toolboxes.create_version("tools-staging", body).version == "2"
    (change,) = changed(applied, "staging")
    assert change["reason"] == (
        "default_version 1 -> 2: version 2 already holds this definition, no new version"
    )
    applied.apply("staging")
    toolbox = project.toolboxes.get("tools-staging")
    assert (toolbox.default_version, toolbox.versions.latest.version) == ("2", "2")
    no_changes(applied, "staging")


def test_a_hand_made_default_version_is_reported_not_overwritten(
    applied: Project, project: AIProjectClient
) -> None:
    body = version_body(project, "tools-staging", metadata={"edited": "by hand"})
    made = project.toolboxes.create_version("tools-staging", body)
    project.toolboxes.update("tools-staging", default_version=made.version)
    result = applied.run("plan", str(applied.root), "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "toolbox.tools-staging: the default version (2) of toolbox tools-staging" in (
        result.output
    )
    assert "import_id: tools-staging" in result.output


def test_promotion_compares_toolboxes_by_their_definition(applied: Project) -> None:
    applied.write("agents/tools.yaml", TOOLBOX % "Support tools, reviewed")
    applied.apply("staging")
    result = applied.run("diff", str(applied.root), "--env", "staging", "--against", "prod")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "  ~ toolbox.tools-staging / toolbox.tools-prod\n" in text
    assert "      versions: staging v2 = prod v1 -> new version (definition sha256-" in text
    applied.apply("prod")
    result = applied.run("diff", str(applied.root), "--env", "staging", "--against", "prod")
    assert "  = toolbox.tools-staging / toolbox.tools-prod\n" in result.output
    assert "      versions: staging v2 = prod v2 (definition sha256-" in result.output


def test_a_toolbox_in_use_is_kept_and_destroy_removes_it_after_the_agent(
    applied: Project, project: AIProjectClient
) -> None:
    (applied.root / "agents/tools.yaml").unlink()
    result = applied.ok("plan", str(applied.root), "--env", "staging")
    assert "toolbox.tools-staging is not declared any more, but an agent version still" in result
    assert "No changes." in result
    applied.ok("destroy", str(applied.root), "--env", "staging", "--auto-approve")
    with pytest.raises(ResourceNotFoundError):
        project.toolboxes.get("tools-staging")
    assert project.toolboxes.get("tools-prod").default_version == "1"


def test_an_agent_naming_a_toolbox_nobody_has_is_a_plan_error(shop: Project) -> None:
    shop.write("agents/triage.yaml", AGENT % "nowhere")
    result = shop.run("plan", str(shop.root), "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "agent.triage-staging uses toolbox 'nowhere', which no manifest declares" in (
        result.output
    )


def test_an_agent_may_use_a_toolbox_someone_else_made(
    shop: Project, project: AIProjectClient
) -> None:
    project.toolboxes.create_version("shared", tools=[WebSearchToolboxTool(name="web")])
    shop.write("agents/triage.yaml", AGENT % "shared")
    (shop.root / "agents/tools.yaml").unlink()
    shop.apply("staging")
    (tool,) = project.agents.get("triage-staging").versions.latest.definition.tools
    assert tool["server_url"].endswith("/toolboxes/shared/mcp?api-version=v1")
    no_changes(shop, "staging")
    shop.ok("destroy", str(shop.root), "--env", "staging", "--auto-approve")
    assert project.toolboxes.get("shared").default_version == "1"  # not ours: kept


def test_a_kill_9_between_the_new_version_and_the_default_then_an_apply_converges(
    applied: Project, project: AIProjectClient
) -> None:
    """Killed once the new version's create reached the emulator (its answer held back by the
    latency, the default not moved yet): the next apply moves the default to that version and
    makes no other."""
    applied.write("agents/tools.yaml", TOOLBOX % "Support tools, reviewed")
    moment = "POST /api/projects/{project}/toolboxes/{name}/versions"
    kill_mid_apply(applied, "staging", moment, 1)
    assert project.toolboxes.get("tools-staging").default_version == "1"

    applied.apply("staging")
    no_changes(applied, "staging")
    toolbox = project.toolboxes.get("tools-staging")
    assert (toolbox.default_version, toolbox.versions.latest.version) == ("2", "2")
    assert [v.version for v in project.toolboxes.list_versions("tools-staging")] == ["2", "1"]
