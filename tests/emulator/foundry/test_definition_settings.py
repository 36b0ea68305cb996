"""The emulator takes a prompt definition's settings as the service does: kept as sent,
`{{name}}` ids bound by structured_inputs accepted, preview toolsets behind their opt-in."""

from __future__ import annotations

import httpx

from tests.support.foundry_client import ok, prompt

SETTINGS = {
    "reasoning": {"effort": "low", "summary": "auto"},
    "tool_choice": {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "file_search"}]},
    "structured_inputs": {"store": {"description": "The user's store", "required": True}},
    "rai_config": {"rai_policy_name": "Microsoft.DefaultV2"},
}


def test_placeholders_its_structured_inputs_bind_pass_the_reference_checks(
    foundry_api: httpx.Client,
) -> None:
    tools = [
        {"type": "file_search", "vector_store_ids": ["{{store}}"]},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["{{store}}"]}},
    ]
    made = ok(foundry_api.post("/agents/p/versions", json=prompt(tools=tools, **SETTINGS)))
    assert {k: made["definition"][k] for k in SETTINGS} == SETTINGS
    assert made["definition"]["tools"] == tools
    unbound = [{"type": "file_search", "vector_store_ids": ["{{other}}"]}]
    refused = foundry_api.post("/agents/p/versions", json=prompt(tools=unbound, **SETTINGS))
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "definition.tools[0].vector_store_ids"


def test_preview_toolsets_need_their_opt_in(foundry_api: httpx.Client) -> None:
    body = prompt(tools=[{"type": "microsoft_copilot_toolset_preview"}])
    refused = foundry_api.post("/agents/t/versions", json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        403,
        "preview_feature_required",
    )
    opted = {"Foundry-Features": "MicrosoftCopilot=V1Preview"}
    ok(foundry_api.post("/agents/t/versions", json=body, headers=opted))
