"""Connections and deployments by name, per environment, through the command line over HTTP.

Two environments (dev, prod) are two projects of one emulator whose `bing` connections have
different ids. A manifest names `connection: bing` (a throwaway tool type, tests/support/
connected_tool.py); plan resolves it per environment, shows the id, and apply sends it; the
live id reads back as the name, so promotion and drift see one definition.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.emulator.server import BackgroundServer
from tests.support.connected_tool import grounded_search
from tests.support.foundry_client import TOKEN, foundry_client, ok
from tests.support.output import unwrapped

ENV = {"FOUNDRY_TOKEN": TOKEN, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
IDS = {
    env: f"/subscriptions/{env}/providers/x/projects/shop-{env}/connections/bing"
    for env in ("dev", "prod")
}
PROJECT = """project: shop
manifests: [agents/]
environments:
  dev: {{api: foundry, endpoint: '{url}/api/projects/shop-dev', ad_token_env: FOUNDRY_TOKEN}}
  prod: {{api: foundry, endpoint: '{url}/api/projects/shop-prod', ad_token_env: FOUNDRY_TOKEN}}
"""
AGENT = """kind: Agent
name: bot-${{env.name}}
model: {model}
tools:
  - {{type: grounded_search, connection: {connection}}}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def seed(url: str, env: str, bing_id: str) -> None:
    body = {
        "connections": [
            {"name": "bing", "type": "ApiKey", "id": bing_id},
            {"name": "search", "type": "CognitiveSearch"},
        ],
        "deployments": ["gpt-4o"],
    }
    response = httpx.put(f"{url}/_emulator/foundry/projects/shop-{env}", json=body)
    assert response.status_code == 200, response.text


@pytest.fixture
def project(tmp_path: Path, server: BackgroundServer) -> Iterator[Path]:
    (tmp_path / "reconciler.yaml").write_text(PROJECT.format(url=server.url), encoding="utf-8")
    (tmp_path / "agents").mkdir()
    write(tmp_path)
    for env, bing_id in IDS.items():
        seed(server.url, env, bing_id)
    with grounded_search():
        yield tmp_path


def write(root: Path, model: str = "gpt-4o", connection: str = "bing") -> None:
    manifest = AGENT.format(model=model, connection=connection)
    (root / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")


def latest(server: BackgroundServer, env: str) -> dict[str, Any]:
    with foundry_client(server.url, project=f"shop-{env}") as client:
        return dict(ok(client.get(f"/agents/bot-{env}"))["versions"]["latest"])


def tool_of(version: dict[str, Any]) -> dict[str, Any]:
    (tool,) = version["definition"]["tools"]
    return dict(tool)


def test_plan_resolves_the_name_per_environment_shows_it_and_apply_sends_it(
    project: Path, server: BackgroundServer
) -> None:
    planned = run("plan", str(project), "--env", "dev", "--format", "json")
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.stdout)
    assert plan["files"] == {"connection.bing": IDS["dev"]}
    (change,) = plan["changes"]
    assert change["after"]["definition"]["tools"] == [
        {"type": "grounded_search", "project_connection_id": "bing"}
    ]
    assert plan["notes"] == [
        f"connection.bing is {IDS['dev']} in environment 'dev' (for agent.bot-dev)."
    ]
    shown = run("plan", str(project), "--env", "prod")
    assert f"Note: connection.bing is {IDS['prod']} in environment 'prod'" in unwrapped(
        shown.stdout
    )
    for env, bing_id in IDS.items():
        applied = run("apply", str(project), "--env", env, "--auto-approve")
        assert applied.exit_code == 0, applied.output
        assert tool_of(latest(server, env))["project_connection_id"] == bing_id
        again = run("plan", str(project), "--env", env, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
        assert "Note:" not in again.stdout  # nothing written, nothing to resolve


def test_promotion_sees_one_definition_where_only_the_connection_ids_differ(
    project: Path,
) -> None:
    for env in IDS:
        assert run("apply", str(project), "--env", env, "--auto-approve").exit_code == 0
    compared = run("diff", str(project), "--env", "dev", "--against", "prod", "--detailed-exitcode")
    assert compared.exit_code == 0, compared.output
    lines = compared.stdout.splitlines()
    assert lines[2] == "  = agent.bot-dev / agent.bot-prod"
    assert lines[3].startswith("      versions: dev v1 = prod v1 (definition sha256-")
    assert "project_connection_id" not in compared.stdout
    assert lines[-1] == "1 same, 0 differ, 0 only in dev, 0 only in prod."


def test_drift_to_another_connection_shows_its_name_and_an_unknown_id_as_it_is(
    project: Path, server: BackgroundServer
) -> None:
    assert run("apply", str(project), "--env", "dev", "--auto-approve").exit_code == 0
    version = latest(server, "dev")
    with foundry_client(server.url, project="shop-dev") as dev:
        search = ok(dev.get("/connections/search"))["id"]
        for moved, shown in ((search, '"search"'), ("/elsewhere/bing", '"/elsewhere/bing"')):
            tool = {**tool_of(version), "project_connection_id": moved}
            body = {
                "definition": {**version["definition"], "tools": [tool]},
                "metadata": version["metadata"],
            }
            ok(dev.post("/agents/bot-dev/versions", json=body))
            drifted = run("drift", str(project), "--env", "dev")
            assert drifted.exit_code == 2, drifted.output
            changed = "definition.tools[grounded_search].project_connection_id"
            assert f"- {changed}: {shown}" in drifted.stdout
            assert f'+ {changed}: "bing"' in drifted.stdout


@pytest.mark.parametrize(
    ("env", "model", "connection", "error"),
    [
        (
            "prod",
            "gpt-4o",
            "bingo",
            "agent.bot-prod names connection 'bingo', but the project of environment 'prod' has "
            "no connection of that name (it has bing, search). Create it in the project, or "
            "correct the name.",
        ),
        (
            "dev",
            "gpt-9",
            "bing",
            "agent.bot-dev: model 'gpt-9' is not a deployment of the project of environment "
            "'dev' (it has gpt-4o). Deploy the model in the project, or name a deployment it has.",
        ),
    ],
    ids=["connection", "deployment"],
)
def test_what_the_project_lacks_fails_the_plan_naming_environment_and_name(
    project: Path, env: str, model: str, connection: str, error: str
) -> None:
    write(project, model=model, connection=connection)
    failed = run("plan", str(project), "--env", env)
    assert (failed.exit_code, failed.stderr) == (1, f"Error: {error}\n")


def test_a_saved_plan_sends_the_id_it_resolved_and_is_stale_once_the_name_means_another(
    project: Path, server: BackgroundServer
) -> None:
    saved = {env: project / f"{env}.json" for env in IDS}
    for env, path in saved.items():
        assert run("plan", str(project), "--env", env, "--out", str(path)).exit_code == 0
    applied = run("apply", str(saved["dev"]), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert tool_of(latest(server, "dev"))["project_connection_id"] == IDS["dev"]
    seed(server.url, "prod", "/subscriptions/prod/connections/bing-rebuilt")
    refused = run("apply", str(saved["prod"]), "--auto-approve")
    assert refused.exit_code == 1
    assert "connection.bing was removed or replaced in the project" in refused.stderr
