"""What tools read besides the manifest, end to end over HTTP: an MCP secret never reaches a
saved plan and is refused when it changed after the plan; an OpenAPI spec file's change is a
diff of the spec; a default the service fills in is not drift."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.cli.test_tool_types import (
    CASES,
    SECRET,
    SPEC,
    agent_change,
    declare,
    latest,
    no_changes,
    plan_json,
    run,
    write_project,
)
from tests.support.foundry_client import ok


@pytest.fixture
def project(tmp_path: Path, module_server: BackgroundServer, foundry_api: httpx.Client) -> Path:
    return write_project(tmp_path, module_server.url)


def test_a_saved_plan_holds_the_secret_by_hash_and_apply_refuses_it_changed(
    project: Path, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    declare(project, [CASES["mcp"].declared])
    out = tmp_path / "plan.json"
    planned = run("plan", str(project), "--out", str(out))
    assert planned.exit_code == 0, planned.output
    saved = out.read_text("utf-8")
    assert SECRET not in saved
    assert "${env:MCP_TOKEN} sha256:" in saved
    rotated = run("apply", str(out), "--auto-approve", env={"MCP_TOKEN": "Bearer rotated"})
    assert rotated.exit_code == 1
    # The manifests resolve to another secret's hash: the plan is stale before any call.
    assert "Saved plan is stale: the manifests or their files changed" in rotated.output
    assert "rotated" not in rotated.output
    applied = run("apply", str(out), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert latest(foundry_api)["definition"]["tools"][0]["headers"]["Authorization"] == SECRET
    no_changes(project)


def test_a_change_to_the_spec_file_is_a_diff_of_the_spec(
    project: Path, foundry_api: httpx.Client
) -> None:
    declare(project, [CASES["openapi"].declared])
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    changed = {**SPEC, "info": {"title": "Orders", "version": "2"}}
    (project / "apis" / "orders.yaml").write_text(f"# edited\n{json.dumps(changed)}\n", "utf-8")
    change = agent_change(plan_json(project))
    assert change["action"] == "update"
    assert [d["path"] for d in change["diff"]] == ["definition.tools.0.openapi.spec.info.version"]
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    sent = latest(foundry_api)["definition"]["tools"][0]["openapi"]["spec"]
    assert sent["info"]["version"] == "2"
    no_changes(project)


def test_a_default_the_service_fills_in_is_not_drift(
    project: Path, foundry_api: httpx.Client
) -> None:
    declare(project, [CASES["web_search"].declared])
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    live = latest(foundry_api)
    definition = live["definition"]
    definition["tools"][0] |= {"external_web_access": True, "search_context_size": "medium"}
    body = {"definition": definition, "metadata": live["metadata"]}
    ok(foundry_api.post("/agents/helper/versions", json=body))
    no_changes(project)


def test_tools_of_one_type_are_told_apart(project: Path, foundry_api: httpx.Client) -> None:
    """Two MCP servers, one saying require_approval (computed when silent): each is compared
    with its own declaration, so neither takes the other's."""
    orders = {k: v for k, v in CASES["mcp"].declared.items() if k != "headers"}
    billing = {"type": "mcp", "server_label": "billing", "server_url": "https://b.example.com"}
    declare(project, [orders, billing])
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert [t["server_label"] for t in latest(foundry_api)["definition"]["tools"]] == [
        "billing",
        "orders",
    ]
    no_changes(project)
