"""Hosted agents (issue 25, deliver 2), end to end: the reconciler CLI against the emulator over
https, results checked and drift made through azure-ai-projects 2.10.0.

The shop of tests_foundry/reconcile.py gains a hosted agent whose image is a tag, resolved
through the emulator's registry stand-in (RECONCILER_REGISTRY_URL), and whose environment holds
a secret read from the process environment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import ContainerConfiguration, HostedAgentDefinition

from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from tests.support.output import unwrapped
from tests_foundry.reconcile import (
    ENVIRONMENTS,
    VERSION_CREATES,
    Project,
    kill_mid_apply,
    new_project,
)

IMAGE = "contoso.azurecr.io/order-runner"
FIRST, SECOND = "sha256:" + "1" * 64, "sha256:" + "2" * 64
BROKEN = "sha256:" + "f" * 64
SECRET = "s3cret-orders-key"
RUNNER = f"""\
kind: HostedAgent
name: runner-${{env.name}}
description: Runs the order tools
image: {IMAGE}:1.4
cpu: 0.5
memory: 1Gi
environment_variables:
  LOG_LEVEL: info
  ORDERS_API_KEY: {{env: ORDERS_API_KEY}}
protocols: [{{protocol: responses, version: v0.1.1}}]
"""


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(
        poll_after_ms=1,
        hosted_fail_images=frozenset([f"{IMAGE}@{BROKEN}"]),
        registry=((f"{IMAGE}:1.4", FIRST),),
    )


@pytest.fixture
def shop(
    server: BackgroundServer, ca_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Project:
    monkeypatch.setenv("RECONCILER_REGISTRY_URL", f"{server.url}/_emulator/registry")
    monkeypatch.setenv("ORDERS_API_KEY", SECRET)
    shop = new_project(tmp_path / "shop", server, ca_file)
    shop.write("agents/runner.yaml", RUNNER)
    return shop


@pytest.fixture
def applied(shop: Project) -> Project:
    for env in ENVIRONMENTS:
        shop.apply(env)
    return shop


def latest(project: AIProjectClient, name: str) -> Any:
    return project.agents.get(name).versions.latest


def push(shop: Project, digest: str) -> None:
    """The tag moves in the registry stand-in, as a push would move it."""
    shop.control("PUT", "registry", {"images": {f"{IMAGE}:1.4": digest}})


def test_the_tag_is_resolved_shown_and_sent_and_the_secret_never_written(
    shop: Project, project: AIProjectClient
) -> None:
    text = unwrapped(
        shop.ok("plan", str(shop.root), "--env", "staging", "--out", str(shop.root / "p.json"))
    )
    assert f"Note: hosted_agent.runner-staging: image {IMAGE}:1.4 is {FIRST} now" in text
    assert SECRET not in text
    saved = (shop.root / "p.json").read_text(encoding="utf-8")
    assert SECRET not in saved
    (runner,) = [c for c in json.loads(saved)["changes"] if c["kind"] == "hosted_agent"]
    assert runner["after"]["definition"]["container_configuration"] == {"image": f"{IMAGE}@{FIRST}"}
    assert runner["after"]["definition"]["environment_variables"]["ORDERS_API_KEY"].startswith(
        "${env:ORDERS_API_KEY} sha256:"
    )
    applied = shop.ok("apply", str(shop.root / "p.json"), "--auto-approve")
    assert "hosted_agent.runner-staging: version 1 creating" in applied
    assert SECRET not in applied
    version = latest(project, "runner-staging")
    assert isinstance(version.definition, HostedAgentDefinition)
    assert (version.status, version.definition.cpu, version.definition.memory) == (
        "active",
        "0.5",
        "1Gi",
    )
    assert version.definition.environment_variables == {
        "LOG_LEVEL": "info",
        "ORDERS_API_KEY": SECRET,
    }
    assert shop.actions("staging") == []


def test_a_moved_tag_and_an_image_changed_through_the_sdk_are_changes(
    applied: Project, project: AIProjectClient
) -> None:
    push(applied, SECOND)
    (change,) = [c for c in applied.plan("staging")["changes"] if c["action"] != "no-op"]
    assert change["diff"] == [
        {
            "op": "change",
            "path": "definition.container_configuration.image",
            "old": f"{IMAGE}@{FIRST}",
            "new": f"{IMAGE}@{SECOND}",
        }
    ]
    applied.apply("staging")
    assert applied.actions("staging") == []
    live = latest(project, "runner-prod")
    edited = live.definition.as_dict()
    edited["container_configuration"] = ContainerConfiguration(image=f"{IMAGE}:hand-made")
    project.agents.create_version(
        "runner-prod", definition=HostedAgentDefinition(edited), metadata=dict(live.metadata)
    )
    (drift,) = [c for c in applied.plan("prod")["changes"] if c["action"] != "no-op"]
    assert (drift["action_reason"], drift["reason"]) == ("drift", "new version (2 -> 3)")
    assert [d["path"] for d in drift["diff"]] == [
        "definition.container_configuration.image",
        "description",
    ]


def test_a_secret_changed_in_the_portal_is_drift_shown_by_its_hash_only(
    applied: Project, project: AIProjectClient
) -> None:
    live = latest(project, "runner-staging")
    edited = live.definition.as_dict()
    edited["environment_variables"] = {"LOG_LEVEL": "info", "ORDERS_API_KEY": "leaked-by-hand"}
    project.agents.create_version(
        "runner-staging",
        definition=HostedAgentDefinition(edited),
        description=live.description,
        metadata=dict(live.metadata),
    )
    text = applied.ok("plan", str(applied.root), "--env", "staging")
    assert "leaked-by-hand" not in text
    assert SECRET not in text
    (change,) = [c for c in applied.plan("staging")["changes"] if c["action"] != "no-op"]
    (field,) = change["diff"]
    assert field["path"] == "definition.environment_variables.ORDERS_API_KEY"
    assert field["old"].startswith("sha256:")


def test_a_version_that_fails_to_start_fails_apply_and_the_previous_stays_latest(
    applied: Project, project: AIProjectClient
) -> None:
    push(applied, BROKEN)
    result = applied.run("apply", str(applied.root), "--env", "staging", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "hosted_agent.runner-staging: version 2 failed to start: Failed to start the " in (
        result.output
    )
    assert "(image_pull_failed)" in result.output
    assert latest(project, "runner-staging").version == "1"
    push(applied, FIRST)
    assert applied.actions("staging") == []


def test_promotion_compares_the_hosted_agents_of_two_environments(applied: Project) -> None:
    push(applied, SECOND)
    applied.apply("staging")
    result = applied.run("diff", str(applied.root), "--env", "staging", "--against", "prod")
    assert result.exit_code == 0, result.output
    assert "  ~ hosted_agent.runner-staging / hosted_agent.runner-prod\n" in result.output
    assert "staging v2 = prod v1 -> new version" in result.output
    assert (
        "      prod (live -> manifest):\n        ~ definition.container_configuration.image:\n"
        in (result.output)
    )
    folded = result.output.replace("\\\n              ", "")  # long values are folded at 100
    assert f'- "{IMAGE}@{FIRST}"' in folded
    assert f'+ "{IMAGE}@{SECOND}"' in folded


def test_an_unknown_tag_fails_the_plan_at_the_manifest(shop: Project) -> None:
    shop.write("agents/runner.yaml", RUNNER.replace(":1.4", ":9.9"))
    result = shop.run("plan", str(shop.root), "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "runner.yaml:2:7: hosted_agent.runner-staging: the registry has no image" in (
        result.output
    )


def test_a_hosted_agent_made_with_the_sdk_is_imported_with_its_variables_as_secrets(
    shop: Project, project: AIProjectClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shop.root / "agents/runner.yaml").unlink()
    definition = HostedAgentDefinition(
        cpu="1",
        memory="2Gi",
        container_configuration=ContainerConfiguration(image=f"{IMAGE}@{FIRST}"),
        environment_variables={"API_KEY": "hand-set"},
    )
    project.agents.create_version("legacy-runner", definition=definition, metadata={"team": "ops"})
    written = shop.ok("import", str(shop.root), "--env", "staging", "--select", "legacy-runner")
    assert "set HOSTED_LEGACY_RUNNER_API_KEY before the next plan" in written
    assert "hand-set" not in written
    manifest = (shop.root / "agents/legacy-runner.yaml").read_text(encoding="utf-8")
    assert "  API_KEY:\n    env: HOSTED_LEGACY_RUNNER_API_KEY\n" in manifest
    assert "hand-set" not in manifest
    monkeypatch.setenv("HOSTED_LEGACY_RUNNER_API_KEY", "hand-set")
    (change,) = [c for c in shop.plan("staging")["changes"] if c["kind"] == "hosted_agent"]
    assert (change["action"], change["action_reason"]) == ("update", "adopt")
    assert [d["path"] for d in change["diff"]] == [
        "metadata.reconciler.name",
        "metadata.reconciler.owner",
    ]
    shop.apply("staging")
    assert [c for c in shop.actions("staging") if "legacy" in c] == []
    adopted = latest(project, "legacy-runner")
    assert (adopted.version, adopted.definition.environment_variables) == (
        "2",
        {"API_KEY": "hand-set"},
    )


def test_a_kill_9_while_the_hosted_agent_is_made_then_an_apply_converges(
    shop: Project, project: AIProjectClient
) -> None:
    kill_mid_apply(shop, "staging", VERSION_CREATES, 3)
    shop.apply("staging")
    assert shop.actions("staging") == []
    for name in ("bot-staging", "helper-staging", "runner-staging"):
        assert [v.version for v in project.agents.list_versions(name)] == ["1"]
    assert latest(project, "runner-staging").status == "active"
