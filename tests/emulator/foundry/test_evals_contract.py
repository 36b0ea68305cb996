"""Every route issue 29 added, driven over HTTP; every answer checked against the published
contracts (tests/emulator/foundry/contract_specs): conversations and their items, responses (not
streamed), evals, runs, output items and evaluation rules.

A success must have one of its operation's statuses and match its schema; an error must match the
error body of its route family (OpenAI's ErrorResponse, Azure.Core's ErrorResponse for the rules).
The last assertion says no operation of the contracts was left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.emulator.foundry.contract_specs import (
    ERRATA,
    find_operation,
    openai_document,
    operations,
)
from tests.support.foundry_client import MODEL, foundry_client, ok, prompt
from tests.support.foundry_spec import check

V1 = "/openai/v1"
EVALS = V1 + "/evals"
CHECK = {
    "type": "string_check",
    "name": "echoes",
    "input": "{{sample.output_text}}",
    "reference": "{{item.q}}",
    "operation": "like",
}
SIMILAR = {
    "type": "text_similarity",
    "name": "close",
    "input": "{{sample.output_text}}",
    "reference": "{{item.q}}",
    "evaluation_metric": "rouge_l",
    "pass_threshold": 0.1,
}
FLUENCY = {"type": "azure_ai_evaluator", "name": "fluency", "evaluator_name": "builtin.fluency"}
SCHEMA = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}


class Recorder:
    def __init__(self) -> None:
        self.called: set[tuple[str, str]] = set()
        self.violations: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        operation = find_operation(request.method, request.url.path)
        if operation is None:
            if "/agents" not in request.url.path:  # the agents routes: test_contract.py
                self.violations.append(f"{where}: no operation of the contracts")
            return
        if response.status_code < 400:
            if response.status_code not in operation.statuses:
                self.violations.append(f"{where}: expected one of {operation.statuses}")
            self.called.add((operation.method, operation.path))
        if response.headers.get("content-type", "").startswith("application/json"):
            schema = operation.response if response.status_code < 400 else operation.error
            problems = list(check(schema, response.json()))
            self.violations += [f"{where}: {line}" for line in problems]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(server: BackgroundServer, recorder: Recorder) -> Iterator[httpx.Client]:
    with foundry_client(server.url, event_hooks={"response": [recorder.hook]}) as recording:
        yield recording


def tour_conversations(client: httpx.Client) -> None:
    body = {"items": [{"role": "user", "content": "Hi"}], "metadata": {"a": "b"}}
    conversation = ok(client.post(f"{V1}/conversations", json=body))["id"]
    path = f"{V1}/conversations/{conversation}"
    ok(client.get(path))
    ok(client.post(path, json={"metadata": {"a": "c"}}))
    added = ok(
        client.post(f"{path}/items", json={"items": [{"role": "assistant", "content": "Hello"}]})
    )
    item = added["data"][0]["id"]
    ok(client.get(f"{path}/items", params={"limit": 1, "order": "asc"}))
    ok(client.get(f"{path}/items/{item}"))
    ok(client.delete(f"{path}/items/{item}"))
    reply = ok(
        client.post(
            f"{V1}/responses", json={"model": MODEL, "input": "Again", "conversation": conversation}
        )
    )
    ok(client.get(f"{V1}/responses/{reply['id']}"))
    ok(client.get(f"{V1}/responses/{reply['id']}/input_items"))
    ok(client.delete(f"{V1}/responses/{reply['id']}"))
    ok(client.delete(path))


def tour_evals(client: httpx.Client) -> tuple[str, str]:
    ok(client.post("/agents/judge/versions", json=prompt(instructions="Answer.")))
    config = {"type": "custom", "item_schema": SCHEMA, "include_sample_schema": True}
    body = {
        "name": "e",
        "data_source_config": config,
        "testing_criteria": [CHECK, SIMILAR, FLUENCY],
    }
    eval_id = ok_created(client.post(EVALS, json=body))["id"]
    azure = {
        "data_source_config": {"type": "azure_ai_source", "scenario": "responses"},
        "testing_criteria": [FLUENCY],
    }
    ok_created(client.post(EVALS, json=azure))
    ok(client.get(EVALS, params={"limit": 1, "order_by": "updated_at"}))
    ok(client.get(f"{EVALS}/{eval_id}"))
    ok(client.post(f"{EVALS}/{eval_id}", json={"name": "renamed", "metadata": {"k": "v"}}))
    source = {
        "type": "azure_ai_target_completions",
        "source": {
            "type": "file_content",
            "content": [{"item": {"q": "Paris"}}, {"item": {"x": 1}}],
        },
        "input_messages": {
            "type": "template",
            "template": [{"role": "user", "content": "{{item.q}}"}],
        },
        "target": {"type": "azure_ai_agent", "name": "judge", "version": "1"},
    }
    runs = f"{EVALS}/{eval_id}/runs"
    run = ok_created(
        client.post(runs, json={"name": "r", "data_source": source, "metadata": {"h": "1"}})
    )["id"]
    for _ in range(3):
        ok(client.get(f"{runs}/{run}"))
    ok(client.get(runs, params={"status": "completed"}))
    items = ok(client.get(f"{runs}/{run}/output_items", params={"status": "pass"}))["data"]
    ok(client.get(f"{runs}/{run}/output_items/{items[0]['id']}"))
    jsonl = {
        "type": "jsonl",
        "source": {
            "type": "file_content",
            "content": [{"item": {"q": "a"}, "sample": {"output_text": "a"}}],
        },
    }
    other = ok_created(client.post(runs, json={"data_source": jsonl}))["id"]
    ok(client.post(f"{runs}/{other}"))
    second = ok_created(client.post(runs, json={"data_source": jsonl}))["id"]
    ok(client.post(f"{runs}/{second}/cancel"))
    ok(client.delete(f"{runs}/{other}"))
    return eval_id, run


def tour_rules(client: httpx.Client, eval_id: str) -> None:
    action = {"type": "continuousEvaluation", "evalId": eval_id, "samplingRate": 50}
    rule = {
        "action": action,
        "eventType": "responseCompleted",
        "enabled": True,
        "filter": {"agentName": "judge"},
    }
    assert client.put("/evaluationrules/r1", json=rule).status_code == 201
    assert client.put("/evaluationrules/r1", json={**rule, "description": "d"}).status_code == 200
    ok(client.get("/evaluationrules", params={"agentName": "judge", "enabled": "true"}))
    ok(client.get("/evaluationrules/r1"))
    assert client.delete("/evaluationrules/r1").status_code == 204


def tour_errors(client: httpx.Client, eval_id: str) -> None:
    statuses = [
        client.get(f"{V1}/conversations/conv_missing").status_code,
        client.post(f"{V1}/responses", json={"input": "x"}).status_code,
        client.get(f"{EVALS}/eval_missing").status_code,
        client.post(EVALS, json={"testing_criteria": [CHECK]}).status_code,
        client.post(
            f"{EVALS}/{eval_id}/runs", json={"data_source": {"type": "responses"}}
        ).status_code,
        client.get(f"{EVALS}/{eval_id}/runs/evalrun_missing/output_items").status_code,
        client.get("/evaluationrules/missing").status_code,
        client.put("/evaluationrules/r2", json={"enabled": True}).status_code,
        client.delete(f"{EVALS}/{eval_id}").status_code,
    ]
    assert statuses == [404, 400, 404, 400, 501, 404, 404, 400, 200]


def ok_created(response: httpx.Response) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


def test_every_new_route_answers_as_its_contract_says(
    client: httpx.Client, recorder: Recorder
) -> None:
    tour_conversations(client)
    eval_id, _ = tour_evals(client)
    tour_rules(client, eval_id)
    tour_errors(client, eval_id)
    assert recorder.violations == [], "\n".join(recorder.violations)
    assert recorder.called == {(op.method, op.path) for op in operations()}


def test_the_checker_catches_a_run_that_breaks_the_spec() -> None:
    operation = find_operation("GET", "/api/projects/p/openai/v1/evals/e/runs/r")
    assert operation is not None
    problems = check(operation.response, {"object": "eval.run", "id": "r", "status": 1})
    assert "status: 1 is not of type 'string'" in problems
    assert ": 'result_counts' is a required property" in problems


def test_every_erratum_is_named() -> None:
    assert all(reason for reason in ERRATA.values())
    assert openai_document()["openapi"] == "3.1.0"
