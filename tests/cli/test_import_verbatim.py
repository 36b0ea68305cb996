"""`reconciler import` never refuses an agent for its tools: a hand-made agent with preview and
unknown tool types and every definition setting round-trips over real HTTP (import, plan shows
the adoption, apply makes that one version, plan shows no changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator.server import BackgroundServer
from tests.cli.test_import_agents import ENV, manifest, project, run  # noqa: F401 - fixture
from tests.support.foundry_client import MODEL, ok, prompt

COPILOT = {"type": "github_copilot_toolset_preview", "default_config": {"enabled": True}}
MEMORY = {"type": "memory_search_preview", "memory_store_name": "chat", "scope": "{{user}}"}
FUTURE = {"type": "hologram", "projector": {"beam": 3, "colours": ["red", "green"]}}
LOOKUP = {"type": "function", "name": "lookup", "parameters": {"type": "object"}, "strict": True}
SETTINGS: dict[str, Any] = {
    "reasoning": {"effort": "medium", "summary": "auto"},
    "tool_choice": {"type": "function", "name": "lookup"},
    "structured_inputs": {
        "user": {"description": "Who asks", "schema": {"type": "string"}, "required": True}
    },
    "rai_config": {"rai_policy_name": "Microsoft.DefaultV2"},
}


def test_an_agent_with_preview_and_unknown_tools_round_trips(
    project: Path,  # noqa: F811 - the fixture
    foundry_api: httpx.Client,
    module_server: BackgroundServer,
) -> None:
    tools: list[dict[str, Any]] = [LOOKUP, COPILOT, MEMORY, FUTURE]
    body = prompt(instructions="Help {{user}}.", tools=tools, **SETTINGS)
    features = {"Foundry-Features": "GitHubCopilot=V1Preview"}  # as the portal would send it
    ok(foundry_api.post("/agents/odd-bot/versions", json=body, headers=features))

    imported = run("import", str(project), "--select", "odd-bot")
    assert imported.exit_code == 0, imported.output
    assert "its hologram tool is written verbatim (type: verbatim)" in imported.stdout
    written = manifest(project / "agents" / "odd-bot.yaml")
    assert written == {
        "kind": "Agent",
        "name": "odd-bot",
        "model": MODEL,
        "instructions_file": "prompts/odd-bot.md",
        **SETTINGS,
        "tools": [
            LOOKUP,
            {"type": "verbatim", "tool": COPILOT},
            {"type": "verbatim", "tool": MEMORY},
            {"type": "verbatim", "tool": FUTURE},
        ],
        "import_id": {"dev": "odd-bot"},
    }

    plan = json.loads(run("plan", str(project), "--format", "json").stdout)
    (change,) = plan["changes"]
    assert (change["action"], change["action_reason"]) == ("update", "adopt")
    assert [d["path"] for d in change["diff"]] == ["metadata"]  # the marks, nothing else
    applied = run("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    again = run("plan", str(project), "--detailed-exitcode")
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )
    latest = ok(foundry_api.get("/agents/odd-bot"))["versions"]["latest"]
    assert latest["version"] == "2"  # the adoption, and nothing after it
    assert sorted(latest["definition"]["tools"], key=lambda t: t["type"]) == sorted(
        tools, key=lambda t: t["type"]
    )
    assert {k: latest["definition"][k] for k in SETTINGS} == SETTINGS


SECRET = "Bearer hand-made-token"
CONTAINER = {"type": "code_interpreter", "container": "cntr_hand_made"}
RANKED = {"type": "file_search", "ranking_options": {"ranker": "auto", "score_threshold": 0.4}}
NEWER_MCP = {
    "type": "mcp",
    "server_label": "orders",
    "server_url": "https://mcp.contoso.com/sse",
    "headers": {"Authorization": SECRET},
    "defer_loading": True,  # an MCP option newer than its module
}


def test_a_typed_tool_its_entry_cannot_say_is_imported_verbatim_and_round_trips(
    project: Path,  # noqa: F811 - the fixture
    foundry_api: httpx.Client,
    module_server: BackgroundServer,
) -> None:
    made = ok(foundry_api.post("/openai/v1/vector_stores", json={"name": "hand-made"}))
    ranked = {**RANKED, "vector_store_ids": [made["id"]]}
    tools: list[dict[str, Any]] = [LOOKUP, CONTAINER, ranked, NEWER_MCP]
    ok(foundry_api.post("/agents/odd-tools/versions", json=prompt(tools=tools)))

    imported = run("import", str(project), "--select", "odd-tools")
    assert imported.exit_code == 0, imported.output
    for kind in ("code_interpreter", "file_search", "mcp"):
        assert f"its {kind} tool is written verbatim (type: verbatim)" in imported.stdout
    assert "set MCP_ORDERS_AUTHORIZATION" in imported.stdout
    text = (project / "agents" / "odd-tools.yaml").read_text("utf-8")
    assert SECRET not in text
    secret_header = {"Authorization": {"env": "MCP_ORDERS_AUTHORIZATION"}}
    assert manifest(project / "agents" / "odd-tools.yaml")["tools"] == [
        LOOKUP,  # typed: its entry says it
        {"type": "verbatim", "tool": CONTAINER},
        {"type": "verbatim", "tool": ranked},
        {"type": "verbatim", "tool": {**NEWER_MCP, "headers": secret_header}},
    ]

    env = {"MCP_ORDERS_AUTHORIZATION": SECRET}
    plan = CliRunner().invoke(main, ["plan", str(project), "--format", "json"], env={**ENV, **env})
    assert plan.exit_code == 0, plan.output
    assert SECRET not in plan.stdout
    (change,) = json.loads(plan.stdout)["changes"]
    assert (change["action"], change["action_reason"]) == ("update", "adopt")
    assert [d["path"] for d in change["diff"]] == ["metadata"]  # the marks, nothing else
    applied = CliRunner().invoke(
        main, ["apply", str(project), "--auto-approve"], env={**ENV, **env}
    )
    assert applied.exit_code == 0, applied.output
    again = CliRunner().invoke(
        main, ["plan", str(project), "--detailed-exitcode"], env={**ENV, **env}
    )
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )
    latest = ok(foundry_api.get("/agents/odd-tools"))["versions"]["latest"]
    assert latest["version"] == "2"  # the adoption, and nothing after it
    by_type = sorted(tools, key=lambda t: str(t["type"]))  # the order the agent kind writes
    assert latest["definition"]["tools"] == by_type  # the secret sent again, every field kept
    store = ok(foundry_api.get(f"/openai/v1/vector_stores/{made['id']}"))
    assert store["name"] == "hand-made"  # held by the agent, never ours to delete

    # The portal rotates the token: drift, shown by its hash only.
    edited = {**NEWER_MCP, "headers": {"Authorization": "Bearer rotated"}}
    body = {"definition": {**latest["definition"], "tools": [LOOKUP, CONTAINER, ranked, edited]}}
    ok(
        foundry_api.post(
            "/agents/odd-tools/versions", json={**body, "metadata": latest["metadata"]}
        )
    )
    drift = CliRunner().invoke(main, ["plan", str(project), "--format", "json"], env={**ENV, **env})
    (change,) = json.loads(drift.stdout)["changes"]
    assert (change["action"], change["action_reason"]) == ("update", "drift")
    assert "rotated" not in drift.stdout
    assert SECRET not in drift.stdout
