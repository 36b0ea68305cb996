"""Workflow agents (issue 25, deliver 1), end to end: the reconciler CLI against the emulator over
https, every result checked through azure-ai-projects 2.10.0, and drift made through it.

The shop of tests_foundry/reconcile.py (bot and helper, in staging and prod on one project
endpoint) gains a workflow agent that invokes both, helper pinned to version 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import WorkflowAgentDefinition
from azure.core.exceptions import HttpResponseError

from reconciler.emulator.server import BackgroundServer
from tests.support.output import unwrapped
from tests_foundry.conftest import PROJECT, FixedCredential
from tests_foundry.reconcile import (
    ENVIRONMENTS,
    VERSION_CREATES,
    Project,
    kill_mid_apply,
    new_project,
)

FLOW = """\
kind: WorkflowAgent
name: flow-${env.name}
description: The bot first, then the helper
workflow_file: ../workflows/flow.yaml
metadata: {team: support}
"""
WORKFLOW = """\
kind: workflow
trigger:
  kind: OnConversationStart
  id: flow
  actions:
    - kind: InvokeAzureAgent
      id: answer
      conversationId: =System.ConversationId
      agent:
        name: bot-${env.name}
    - kind: InvokeAzureAgent
      id: guide
      agent:
        name: helper-${env.name}
        version: 1
"""


@pytest.fixture
def shop(server: BackgroundServer, ca_file: Path, tmp_path: Path) -> Project:
    shop = new_project(tmp_path / "shop", server, ca_file)
    shop.write("agents/flow.yaml", FLOW)
    shop.write("workflows/flow.yaml", WORKFLOW)
    return shop


@pytest.fixture
def applied(shop: Project) -> Project:
    for env in ENVIRONMENTS:
        shop.apply(env)
    return shop


@pytest.fixture
def preview(
    server: BackgroundServer, ca_file: Path, credential: FixedCredential
) -> Iterator[AIProjectClient]:
    """A client that opts in to the preview agent kinds, as a user making workflows would."""
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    with AIProjectClient(
        endpoint=endpoint, credential=credential, connection_verify=str(ca_file), allow_preview=True
    ) as client:
        yield client


def latest(project: AIProjectClient, name: str) -> Any:
    return project.agents.get(name).versions.latest


def no_changes(shop: Project, env: str) -> None:
    result = shop.run("plan", str(shop.root), "--env", env, "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "No changes." in result.output


def test_a_workflow_is_created_after_the_agents_it_invokes_and_then_unchanged(
    shop: Project, project: AIProjectClient
) -> None:
    plan = shop.plan("staging")
    order = [c["address"] for c in plan["changes"] if c["action"] == "create"]
    assert order[-1] == "workflow_agent.flow-staging"
    (flow,) = [c for c in plan["changes"] if c["kind"] == "workflow_agent"]
    assert flow["after"]["invokes"] == ["bot-staging", "helper-staging@1"]
    for env in ENVIRONMENTS:
        shop.apply(env)
        version = latest(project, f"flow-{env}")
        assert isinstance(version.definition, WorkflowAgentDefinition)
        assert version.definition.workflow == WORKFLOW.replace("${env.name}", env)
        assert version.description == "The bot first, then the helper"
        assert version.metadata == {
            "team": "support",
            "reconciler.owner": f"shop/{env}",
            "reconciler.name": f"flow-{env}",
        }
        no_changes(shop, env)
    kinds = {a.name: a.versions.latest.definition.kind for a in project.agents.list()}
    assert kinds["flow-prod"] == "workflow"
    assert kinds["bot-prod"] == "prompt"


def test_the_service_refuses_a_workflow_without_the_preview_opt_in(
    applied: Project, project: AIProjectClient
) -> None:
    definition = WorkflowAgentDefinition(workflow=WORKFLOW.replace("${env.name}", "staging"))
    with pytest.raises(HttpResponseError) as refused:
        project.agents.create_version("flow-staging", definition=definition)
    assert refused.value.status_code == 403
    assert latest(project, "flow-staging").version == "1"


def test_a_workflow_edited_through_the_sdk_is_drift_shown_line_by_line(
    applied: Project, preview: AIProjectClient, project: AIProjectClient
) -> None:
    live = latest(project, "flow-staging")
    edited = live.definition.workflow.replace("id: guide", "id: guide_them")
    preview.agents.create_version(
        "flow-staging",
        definition=WorkflowAgentDefinition(workflow=edited),
        description=live.description,
        metadata=dict(live.metadata),
    )
    plan = applied.plan("staging")
    (change,) = [c for c in plan["changes"] if c["action"] != "no-op"]
    assert (change["address"], change["action_reason"], change["reason"]) == (
        "workflow_agent.flow-staging",
        "drift",
        "new version (2 -> 3)",
    )
    assert [d["path"] for d in change["diff"]] == ["definition.workflow"]
    text = applied.ok("plan", str(applied.root), "--env", "staging")
    assert "-      id: guide_them\n" in text.replace("          ", "")
    applied.apply("staging")
    assert latest(project, "flow-staging").definition.workflow == WORKFLOW.replace(
        "${env.name}", "staging"
    )
    no_changes(applied, "staging")


def test_an_invoked_agent_stays_while_the_workflow_invokes_it_and_goes_with_it(
    applied: Project, project: AIProjectClient
) -> None:
    (applied.root / "agents/helper.yaml").unlink()
    result = applied.ok("plan", str(applied.root), "--env", "staging")
    assert "Note: agent.helper-staging is not deleted: workflow_agent.flow-staging still" in result
    assert applied.actions("staging") == []
    (applied.root / "agents/flow.yaml").unlink()
    plan = applied.plan("staging")
    deletes = [c["address"] for c in plan["changes"] if c["action"] == "delete"]
    assert deletes == ["workflow_agent.flow-staging", "agent.helper-staging"]
    applied.apply("staging")
    names = sorted(a.name for a in project.agents.list())
    assert names == ["bot-prod", "bot-staging", "flow-prod", "helper-prod"]


def test_a_new_version_of_a_pinned_agent_is_shown_with_the_pin(applied: Project) -> None:
    helper = (applied.root / "agents/helper.yaml").read_text(encoding="utf-8")
    applied.write("agents/helper.yaml", helper.replace("find their way", "find things"))
    text = unwrapped(applied.ok("plan", str(applied.root), "--env", "staging"))
    assert (
        "Note: agent.helper-staging gets version 2, but workflow_agent.flow-staging invokes it "
        "pinned to version 1: that workflow keeps calling version 1 until its YAML says otherwise."
    ) in text


def test_a_workflow_invoking_an_agent_nobody_has_fails_the_plan_at_its_line(
    applied: Project,
) -> None:
    applied.write("workflows/flow.yaml", WORKFLOW.replace("bot-${env.name}", "nobody"))
    result = applied.run("plan", str(applied.root), "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "workflows/flow.yaml:10:15: workflow_agent.flow-staging invokes agent 'nobody'" in (
        result.output
    )


def test_promotion_compares_the_workflows_of_two_environments(
    applied: Project, project: AIProjectClient
) -> None:
    applied.write("workflows/flow.yaml", WORKFLOW.replace("id: guide", "id: guide_them"))
    applied.apply("staging")
    result = applied.run("diff", str(applied.root), "--env", "staging", "--against", "prod")
    assert result.exit_code == 0, result.output
    assert "  ~ workflow_agent.flow-staging / workflow_agent.flow-prod\n" in result.output
    assert "      versions: staging v2 != prod v1 -> new version" in result.output
    assert "      prod (live -> manifest):\n        ~ definition.workflow:" in result.output


def test_destroy_deletes_the_workflow_before_the_agents_it_invokes(
    applied: Project, project: AIProjectClient
) -> None:
    result = applied.ok("destroy", str(applied.root), "--env", "staging", "--auto-approve")
    lines = [line for line in result.splitlines() if line.startswith("[")]
    assert lines[0].startswith("[1/3] workflow_agent.flow-staging: destroyed")
    assert sorted(a.name for a in project.agents.list()) == ["bot-prod", "flow-prod", "helper-prod"]


def test_a_workflow_made_with_the_sdk_is_imported_adopted_and_then_unchanged(
    shop: Project, preview: AIProjectClient, project: AIProjectClient
) -> None:
    (shop.root / "agents/flow.yaml").unlink()
    shop.apply("staging")  # bot-staging and helper-staging, which the hand-made workflow invokes
    text = WORKFLOW.replace("${env.name}", "staging").replace("id: flow", "id: legacy # ${keep}")
    preview.agents.create_version(
        "legacy-flow",
        definition=WorkflowAgentDefinition(workflow=text),
        description="Made by hand",
        metadata={"team": "ops"},
    )
    listed = shop.ok("import", str(shop.root), "--env", "staging")
    assert "legacy-flow" in listed
    shop.ok("import", str(shop.root), "--env", "staging", "--select", "legacy-flow")
    written = (shop.root / "agents/workflows/legacy-flow.yaml").read_text(encoding="utf-8")
    assert written == text.replace("${keep}", "$${keep}")
    manifest = (shop.root / "agents/legacy-flow.yaml").read_text(encoding="utf-8")
    assert "kind: WorkflowAgent" in manifest
    assert "workflow_file: workflows/legacy-flow.yaml" in manifest
    (change,) = [c for c in shop.plan("staging")["changes"] if c["kind"] == "workflow_agent"]
    assert (change["action"], change["action_reason"]) == ("update", "adopt")
    assert [d["path"] for d in change["diff"]] == [
        "metadata.reconciler.name",
        "metadata.reconciler.owner",
    ]
    shop.apply("staging")
    assert shop.actions("staging") == []
    adopted = latest(project, "legacy-flow")
    assert (adopted.version, adopted.definition.workflow) == ("2", text)
    assert adopted.metadata == {
        "team": "ops",
        "reconciler.owner": "shop/staging",
        "reconciler.name": "legacy-flow",
    }


def test_a_kill_9_while_the_agents_are_made_then_an_apply_converges(
    shop: Project, project: AIProjectClient
) -> None:
    kill_mid_apply(shop, "staging", VERSION_CREATES, 2)
    shop.apply("staging")
    no_changes(shop, "staging")
    for name in ("bot-staging", "helper-staging", "flow-staging"):
        assert [v.version for v in project.agents.list_versions(name)] == ["1"]
