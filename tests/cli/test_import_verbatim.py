"""`reconciler import` never refuses an agent for its tools: a hand-made agent with preview and
unknown tool types and every definition setting round-trips over real HTTP (import, plan shows
the adoption, apply makes that one version, plan shows no changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from reconciler.emulator.server import BackgroundServer
from tests.cli.test_import_agents import manifest, project, run  # noqa: F401 - fixture
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
