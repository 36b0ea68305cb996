"""Evaluation rules over HTTP, as azure-ai-projects 2.10 sends and reads them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok

RULES = "/evaluationrules"
SCHEMA = {"type": "object", "properties": {"query": {"type": "string"}}}
CHECK = {"type": "string_check", "name": "c", "input": "a", "reference": "a", "operation": "eq"}


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


@pytest.fixture
def eval_id(client: httpx.Client) -> str:
    config = {"type": "custom", "item_schema": SCHEMA}
    body = {"data_source_config": config, "testing_criteria": [CHECK]}
    created = client.post("/openai/v1/evals", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def continuous(eval_id: str, **changes: Any) -> dict[str, Any]:
    action = {"type": "continuousEvaluation", "evalId": eval_id, "maxHourlyRuns": 10}
    return {"action": action, "eventType": "responseCompleted", "enabled": True, **changes}


def agent_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "param", "type", "details"}
    return error


def test_put_creates_then_replaces_and_delete_removes(client: httpx.Client, eval_id: str) -> None:
    created = client.put(f"{RULES}/rule-1", json=continuous(eval_id, displayName="Every reply"))
    assert created.status_code == 201, created.text
    rule = created.json()
    assert (rule["id"], rule["displayName"], rule["enabled"]) == ("rule-1", "Every reply", True)
    assert set(rule["systemData"]) == {"createdAt", "createdBy", "lastModifiedAt", "lastModifiedBy"}
    replaced = client.put(f"{RULES}/rule-1", json={**continuous(eval_id), "enabled": False})
    assert replaced.status_code == 200
    assert "displayName" not in replaced.json()  # a PUT replaces the rule whole
    assert replaced.json()["systemData"]["createdAt"] == rule["systemData"]["createdAt"]
    assert ok(client.get(f"{RULES}/rule-1")) == replaced.json()
    assert client.delete(f"{RULES}/rule-1").status_code == 204
    assert agent_error(client.get(f"{RULES}/rule-1"), 404)["code"] == "not_found"
    assert agent_error(client.delete(f"{RULES}/rule-1"), 404)["code"] == "not_found"


def test_list_filters_and_pages(client: httpx.Client, eval_id: str) -> None:
    for name, agent, enabled in [("a", "bot", True), ("b", "bot", False), ("c", "other", True)]:
        body = continuous(eval_id, filter={"agentName": agent}, enabled=enabled)
        assert client.put(f"{RULES}/{name}", json=body).status_code == 201
    assert [r["id"] for r in ok(client.get(RULES))["value"]] == ["a", "b", "c"]
    by_agent = ok(client.get(RULES, params={"agentName": "bot", "enabled": "true"}))
    assert [r["id"] for r in by_agent["value"]] == ["a"]
    kind = ok(client.get(RULES, params={"actionType": "humanEvaluationPreview"}))
    assert kind["value"] == []
    first = ok(client.get(RULES, params={"maxpagesize": 2}))
    assert [r["id"] for r in first["value"]] == ["a", "b"]
    # As azure-core follows it: the link as given (httpx's client params would replace its query).
    rest = ok(httpx.get(first["nextLink"], headers=client.headers))
    assert ([r["id"] for r in rest["value"]], "nextLink" in rest) == (["c"], False)


def test_bad_rules_are_400s_naming_the_field(client: httpx.Client, eval_id: str) -> None:
    cases = [
        ({"eventType": "manual", "enabled": True}, "action"),
        (continuous(eval_id, eventType="sometimes"), "eventType"),
        (continuous(eval_id, enabled="yes"), "enabled"),
        (continuous("eval_missing"), "action.evalId"),
        (
            continuous(
                eval_id,
                action={"type": "continuousEvaluation", "evalId": eval_id, "samplingRate": 0},
            ),
            "action.samplingRate",
        ),
        (continuous(eval_id, action={"type": "nightly"}), "action.type"),
        (continuous(eval_id, filter={}), "filter.agentName"),
        (continuous(eval_id, colour="red"), "colour"),
    ]
    for body, param in cases:
        assert agent_error(client.put(f"{RULES}/r", json=body), 400)["param"] == param
    assert (
        agent_error(client.put(f"{RULES}/bad id", json=continuous(eval_id)), 400)["param"] == "id"
    )
    assert agent_error(client.get(RULES, params={"enabled": "maybe"}), 400)["param"] == "enabled"


def test_the_agents_gateway_rules_hold(server: BackgroundServer) -> None:
    with foundry_client(server.url, params={}) as versionless:
        refused = agent_error(versionless.get(RULES), 400)
    assert (refused["code"], refused["param"]) == ("missing_required_parameter", "api-version")


def test_human_evaluation_needs_the_preview_opt_in(client: httpx.Client) -> None:
    body = {
        "action": {"type": "humanEvaluationPreview", "templateId": "t1"},
        "eventType": "manual",
        "enabled": True,
    }
    refused = client.put(f"{RULES}/human", json=body)
    assert agent_error(refused, 403)["code"] == "preview_feature_required"
    opted = client.put(
        f"{RULES}/human", json=body, headers={"Foundry-Features": "Evaluations=V1Preview"}
    )
    assert opted.status_code == 201
    assert opted.json()["action"] == body["action"]
