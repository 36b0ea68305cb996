"""The definition's further settings and the verbatim tool end to end over HTTP: created with
the preview opt-in a verbatim tool needs, unchanged after, one new version per real change, and
the service's defaults for them never drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.tools.base import AsWritten
from reconciler.core.tools.verbatim import PREVIEW_FEATURES
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.pipeline import plan_live
from tests.engine.test_foundry_dialect import actions, converge
from tests.support.foundry_client import ok, prompt
from tests.support.foundry_desired import agent, client_of, connected, desired, environment

COPILOT = {"type": "github_copilot_toolset_preview", "default_config": {"enabled": True}}
MEMORY = {"type": "memory_search_preview", "memory_store_name": "chat", "scope": "{{user}}"}
SETTINGS: dict[str, Any] = {
    "reasoning": {"effort": "low"},
    "tool_choice": "required",
    "structured_inputs": {"user": {"description": "Who asks", "required": True}},
    "rai_config": {"rai_policy_name": "Microsoft.DefaultV2"},
}


def _bot(**fields: Any) -> DesiredAgent:
    tools = (AsWritten(COPILOT), AsWritten(MEMORY))
    return DesiredAgent(name="bot", model="gpt-4o", tools=tools, **{**SETTINGS, **fields})


def test_a_verbatim_preview_tool_and_the_settings_are_created_then_unchanged(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    env = environment(module_server.url)
    # The emulator answers 403 preview_feature_required to the toolset without its opt-in.
    refused = foundry_api.post("/agents/bot/versions", json=prompt(tools=[COPILOT]))
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        403,
        "preview_feature_required",
    )
    outcomes = converge(module_server, tmp_path, desired(env, {}, _bot()))
    assert [(o.change.address, o.status) for o in outcomes] == [("agent.bot", "done")]
    latest = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]
    definition = latest["definition"]
    assert {k: definition[k] for k in SETTINGS} == SETTINGS
    assert sorted(definition["tools"], key=lambda t: t["type"]) == [COPILOT, MEMORY]
    assert actions(module_server, tmp_path, desired(env, {}, _bot())) == []

    changed = _bot(reasoning={"effort": "high"})
    assert actions(module_server, tmp_path, desired(env, {}, changed)) == ["agent.bot update"]
    ignoring = _bot(reasoning={"effort": "high"}, ignore_changes=("reasoning",))
    assert actions(module_server, tmp_path, desired(env, {}, ignoring)) == []
    converge(module_server, tmp_path, desired(env, {}, changed))
    assert ok(foundry_api.get("/agents/bot"))["versions"]["latest"]["version"] == "2"


ECHOED: dict[str, Any] = {
    "tool_choice": "auto",
    "reasoning": {"effort": None, "summary": None},
    "rai_config": {"rai_policy_name": "Microsoft.DefaultV2"},
}


@pytest.mark.parametrize(
    ("echoed", "drift"),
    [
        (ECHOED, False),
        ({**ECHOED, "tool_choice": "none"}, True),
        ({**ECHOED, "reasoning": {"effort": "high"}}, True),
    ],
    ids=["defaults-echoed", "tool-choice-set-in-the-portal", "reasoning-set-in-the-portal"],
)
def test_defaults_of_the_settings_are_not_drift(
    module_server: BackgroundServer,
    foundry_api: httpx.Client,
    tmp_path: Path,
    echoed: dict[str, Any],
    drift: bool,
) -> None:
    """tool_choice auto, a reasoning of nulls, any rai_config and a structured input's
    `required: false` are what a manifest silent on them means."""
    inputs = {"user": {"description": "Who asks"}}
    state = desired(environment(module_server.url), {}, agent("bot", structured_inputs=inputs))
    converge(module_server, tmp_path, state)
    latest = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]
    filled = {"user": {"description": "Who asks", "required": False, "default_value": None}}
    definition = {**latest["definition"], **echoed, "structured_inputs": filled}
    body = {"definition": definition, "metadata": latest["metadata"]}
    ok(foundry_api.post("/agents/bot/versions", json=body))
    assert actions(module_server, tmp_path, state) == (["agent.bot update"] if drift else [])


def test_only_a_definition_with_a_verbatim_tool_is_sent_with_the_preview_opt_ins(
    module_server: BackgroundServer, foundry_api: httpx.Client
) -> None:
    sent: list[str | None] = []

    def record(request: httpx.Request) -> None:
        if request.method == "POST":
            sent.append(request.headers.get("Foundry-Features"))

    with httpx.Client(timeout=30, event_hooks={"request": [record]}) as http:
        client = client_of(http, module_server)
        client.create_version("ga", prompt(tools=[{"type": "code_interpreter"}]))
        client.create_version("preview", prompt(tools=[MEMORY]))
    assert sent == [None, PREVIEW_FEATURES]
    assert "GitHubCopilot=V1Preview" in PREVIEW_FEATURES.split(",")


@pytest.mark.parametrize(
    ("field", "portal"),
    [
        ("reasoning", {"effort": "high"}),
        ("tool_choice", "none"),
        ("structured_inputs", {"user": {"description": "Someone"}}),
        ("rai_config", {"rai_policy_name": "Strict"}),
        ("tools", [COPILOT, {**MEMORY, "scope": "everyone"}]),
    ],
)
def test_a_declared_setting_or_verbatim_tool_changed_in_the_portal_is_drift(
    module_server: BackgroundServer,
    foundry_api: httpx.Client,
    tmp_path: Path,
    field: str,
    portal: Any,
) -> None:
    state = desired(environment(module_server.url), {}, _bot())
    converge(module_server, tmp_path, state)
    latest = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]
    definition = {**latest["definition"], field: portal}
    features = {"Foundry-Features": "GitHubCopilot=V1Preview"}
    body = {"definition": definition, "metadata": latest["metadata"]}
    ok(foundry_api.post("/agents/bot/versions", json=body, headers=features))
    with connected(module_server, tmp_path) as dialect:
        (change,) = plan_live(dialect, state).actionable
    assert (change.action, change.action_reason) == ("update", "drift")
    assert {d.path.split("[")[0].split(".")[1] for d in change.diff} == {field}
    converge(module_server, tmp_path, state)
    assert actions(module_server, tmp_path, state) == []
