"""examples/foundry's agent (MCP, OpenAPI, Azure AI Search and Bing, each through a project
connection by name) in two Foundry projects, as a team runs it: staging and prod are two projects
whose connections have different ids. The manifests are the example's, unchanged; only the
endpoints are these projects'. Plan resolves each name per environment and says so, apply sends
each project its own ids, and promotion sees one definition."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import TOKEN, foundry_client, ok

EXAMPLE = Path(__file__).parents[2] / "examples" / "foundry"
ENV = {"FOUNDRY_TOKEN": TOKEN, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
CONNECTIONS = {
    "bing": "ApiKey",
    "mcp": "RemoteTool",
    "openapi": "CustomKeys",
    "search": "CognitiveSearch",
}


def connection_id(env: str, name: str) -> str:
    return f"/subscriptions/sub-{env}/resourceGroups/rg-{env}/providers/x/projects/{env}/connections/{name}"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


@pytest.fixture
def project(tmp_path: Path, server: BackgroundServer) -> Path:
    root = tmp_path / "support"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".reconciler"))
    config = (root / "reconciler.yaml").read_text("utf-8")
    endpoints = iter(("staging", "prod"))
    config = re.sub(
        r"endpoint: local.*",
        lambda _: (
            f"endpoint: {server.url}/api/projects/{next(endpoints)}\n    ad_token_env: FOUNDRY_TOKEN"
        ),
        config,
    )
    (root / "reconciler.yaml").write_text(config, "utf-8")
    for env in ("staging", "prod"):
        connections = [
            {"name": name, "type": kind, "id": connection_id(env, name)}
            for name, kind in CONNECTIONS.items()
        ]
        body = {"connections": connections, "deployments": ["gpt-4o", "gpt-4o-mini"]}
        answer = httpx.put(f"{server.url}/_emulator/foundry/projects/{env}", json=body)
        assert answer.status_code == 200, answer.text
    return root


def test_one_agent_in_two_projects_binds_each_projects_connections(
    project: Path, server: BackgroundServer
) -> None:
    for env in ("staging", "prod"):
        planned = run("plan", str(project), "--env", env, "--format", "json")
        assert planned.exit_code == 0, planned.output
        plan = json.loads(planned.stdout)
        assert plan["files"] == {f"connection.{n}": connection_id(env, n) for n in CONNECTIONS}
        assert run("apply", str(project), "--env", env, "--auto-approve").exit_code == 0
        with foundry_client(server.url, project=env) as client:
            tools = ok(client.get(f"/agents/support-bot-{env}"))["versions"]["latest"][
                "definition"
            ]["tools"]
        sent = json.dumps(tools)
        for name in CONNECTIONS:
            assert connection_id(env, name) in sent
        other = "prod" if env == "staging" else "staging"
        assert f"sub-{other}" not in sent
        again = run("plan", str(project), "--env", env, "--detailed-exitcode")
        assert (again.exit_code, again.stdout) == (
            0,
            "No changes. The live objects match the manifests.\n",
        )

    # prod runs another model (its vars), so the definitions differ by the model alone.
    compared = run("diff", str(project), "--env", "staging", "--against", "prod")
    assert compared.exit_code == 0, compared.output
    assert "project_connection_id" not in compared.stdout
    assert "connection" not in compared.stdout
    assert "model" in compared.stdout
