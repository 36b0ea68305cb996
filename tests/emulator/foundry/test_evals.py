"""Evals, runs and output items over HTTP, as the openai 3.x client sends and reads them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, foundry_client, ok, prompt

EVALS = "/openai/v1/evals"
QUERY_SCHEMA = {
    "type": "object",
    "properties": {"query": {"type": "string"}},
    "required": ["query"],
}
CUSTOM = {"type": "custom", "item_schema": QUERY_SCHEMA, "include_sample_schema": True}
ECHO = {
    "type": "string_check",
    "name": "echoes",
    "input": "{{sample.output_text}}",
    "reference": "{{item.query}}",
    "operation": "like",
}
RELEVANCE = {
    "type": "azure_ai_evaluator",
    "name": "relevance",
    "evaluator_name": "builtin.relevance",
    "data_mapping": {"query": "{{item.query}}", "response": "{{sample.output_text}}"},
}
TEMPLATE = {
    "type": "template",
    "template": [
        {
            "type": "message",
            "role": "user",
            "content": {"type": "input_text", "text": "{{item.query}}"},
        }
    ],
}


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with foundry_client(server.url) as connected:
        yield connected


def made(response: httpx.Response) -> Any:
    """A create's answer: 201, as the spec's createEval and createEvalRun give it."""
    assert response.status_code == 201, response.text
    return response.json()


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


def inline(*queries: str) -> dict[str, Any]:
    return {"type": "file_content", "content": [{"item": {"query": q}} for q in queries]}


def agent_run(agent: str, *queries: str) -> dict[str, Any]:
    target = {"type": "azure_ai_agent", "name": agent}
    return {
        "type": "azure_ai_target_completions",
        "source": inline(*queries),
        "input_messages": TEMPLATE,
        "target": target,
    }


def finished(client: httpx.Client, eval_id: str, run_id: str) -> dict[str, Any]:
    """Poll as a client does: each read moves the run one step."""
    seen = [ok(client.get(f"{EVALS}/{eval_id}/runs/{run_id}"))["status"] for _ in range(2)]
    assert seen == ["in_progress", "completed"]
    run: dict[str, Any] = ok(client.get(f"{EVALS}/{eval_id}/runs/{run_id}"))
    return run


def test_an_agent_target_runs_graded_by_real_and_stand_in_graders(client: httpx.Client) -> None:
    ok(client.post("/agents/helper/versions", json=prompt(instructions="Help.")))
    body = {
        "name": "Agent eval",
        "data_source_config": CUSTOM,
        "testing_criteria": [ECHO, RELEVANCE],
    }
    created = made(client.post(EVALS, json=body))
    assert created["id"].startswith("eval_")
    assert created["object"] == "eval"
    assert created["data_source_config"]["schema"]["properties"]["item"] == QUERY_SCHEMA
    run = made(
        client.post(
            f"{EVALS}/{created['id']}/runs",
            json={
                "name": "r1",
                "data_source": agent_run("helper", "Paris?", "Rome?"),
                "metadata": {"h": "1"},
            },
        )
    )
    assert (run["status"], run["model"], run["metadata"]) == ("queued", MODEL, {"h": "1"})
    assert ok(client.get(f"{EVALS}/{created['id']}/runs/{run['id']}/output_items"))["data"] == []
    done = finished(client, created["id"], run["id"])
    assert done["result_counts"] == {"total": 2, "errored": 0, "failed": 0, "passed": 2}
    assert done["per_testing_criteria_results"] == [
        {"testing_criteria": "echoes", "passed": 2, "failed": 0},
        {"testing_criteria": "relevance", "passed": 2, "failed": 0},
    ]
    [usage] = done["per_model_usage"]
    assert (usage["model_name"], usage["invocation_count"]) == (MODEL, 2)
    items = ok(client.get(f"{EVALS}/{created['id']}/runs/{run['id']}/output_items"))["data"]
    assert [item["datasource_item"] for item in items] == [{"query": "Paris?"}, {"query": "Rome?"}]
    first = items[0]
    assert first["sample"]["input"] == [{"role": "user", "content": "Paris?"}]
    reply = "Emulated reply to 1 user message(s). Last message: Paris?"
    assert first["sample"]["output"] == [{"role": "assistant", "content": reply}]
    echo, relevance = first["results"]
    assert (echo["name"], echo["score"], echo["passed"]) == ("echoes", 1.0, True)
    assert "stand_in" not in echo
    assert relevance["stand_in"] is True
    assert relevance["reason"].startswith("Emulated grader")
    one = f"{EVALS}/{created['id']}/runs/{run['id']}/output_items/{first['id']}"
    assert ok(client.get(one)) == first


def test_string_check_and_text_similarity_are_computed(client: httpx.Client) -> None:
    criteria = [
        {
            "type": "string_check",
            "name": "exact",
            "input": "{{sample.output_text}}",
            "reference": "{{item.answer}}",
            "operation": "eq",
        },
        {
            "type": "text_similarity",
            "name": "close",
            "input": "{{sample.output_text}}",
            "reference": "{{item.answer}}",
            "evaluation_metric": "fuzzy_match",
            "pass_threshold": 0.8,
        },
    ]
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    created = made(
        client.post(
            EVALS,
            json={
                "data_source_config": {"type": "custom", "item_schema": schema},
                "testing_criteria": criteria,
            },
        )
    )
    rows = [
        {"item": {"answer": "Paris"}, "sample": {"output_text": "Paris"}},
        {"item": {"answer": "kitten"}, "sample": {"output_text": "sitting"}},
        {"item": {"answer": 3}, "sample": {"output_text": "3"}},
    ]
    source = {"type": "jsonl", "source": {"type": "file_content", "content": rows}}
    run = made(client.post(f"{EVALS}/{created['id']}/runs", json={"data_source": source}))
    done = finished(client, created["id"], run["id"])
    assert done["result_counts"] == {"total": 3, "errored": 1, "failed": 1, "passed": 1}
    path = f"{EVALS}/{created['id']}/runs/{run['id']}/output_items"
    items = ok(client.get(path))["data"]
    assert [item["status"] for item in items] == ["pass", "fail", "error"]
    kitten = {r["name"]: r["score"] for r in items[1]["results"]}
    assert kitten == {"exact": 0.0, "close": round(2 * 4 / 13, 6)}  # LCS("sitting", "kitten") = 4
    assert items[2]["sample"]["error"]["code"] == "invalid_item"
    assert [i["status"] for i in ok(client.get(path, params={"status": "fail"}))["data"]] == [
        "fail"
    ]


def test_a_file_id_source_and_a_model_target(client: httpx.Client) -> None:
    lines = b'{"item": {"query": "One"}}\n\n{"query": "Two"}\n'
    files = {"file": ("rows.jsonl", lines, "application/jsonl")}
    file_id = ok(client.post("/openai/v1/files", files=files, data={"purpose": "evals"}))["id"]
    created = made(
        client.post(EVALS, json={"data_source_config": CUSTOM, "testing_criteria": [ECHO]})
    )
    source = {
        "type": "azure_ai_target_completions",
        "source": {"type": "file_id", "id": file_id},
        "input_messages": {
            "type": "template",
            "template": [{"role": "user", "content": "Q: {{item.query}}"}],
        },
        "target": {"type": "azure_ai_model", "model": "gpt-4o"},
    }
    run = made(client.post(f"{EVALS}/{created['id']}/runs", json={"data_source": source}))
    assert (run["model"], run["name"]) == ("gpt-4o", "gpt-4o")
    assert finished(client, created["id"], run["id"])["result_counts"]["passed"] == 2


def test_lists_page_oldest_first_and_filter_by_status(client: httpx.Client) -> None:
    ids = [
        made(
            client.post(
                EVALS, json={"name": n, "data_source_config": CUSTOM, "testing_criteria": [ECHO]}
            )
        )["id"]
        for n in "abc"
    ]
    page = ok(client.get(EVALS, params={"limit": 2}))
    assert ([e["id"] for e in page["data"]], page["has_more"]) == (ids[:2], True)
    assert [e["id"] for e in ok(client.get(EVALS, params={"after": ids[1]}))["data"]] == ids[2:]
    source = {"type": "jsonl", "source": inline("x")}
    runs = [
        made(client.post(f"{EVALS}/{ids[0]}/runs", json={"data_source": source}))["id"]
        for _ in range(2)
    ]
    listed = ok(client.get(f"{EVALS}/{ids[0]}/runs"))  # a list moves no run on
    assert [(r["id"], r["status"]) for r in listed["data"]] == [
        (runs[0], "queued"),
        (runs[1], "queued"),
    ]
    finished(client, ids[0], runs[0])
    done = ok(client.get(f"{EVALS}/{ids[0]}/runs", params={"status": "completed"}))["data"]
    assert [r["id"] for r in done] == [runs[0]]


def test_update_cancel_and_delete(client: httpx.Client) -> None:
    created = made(
        client.post(EVALS, json={"data_source_config": CUSTOM, "testing_criteria": [ECHO]})
    )
    path = f"{EVALS}/{created['id']}"
    updated = ok(client.post(path, json={"name": "renamed", "metadata": {"k": "v"}}))
    assert (updated["name"], updated["metadata"]) == ("renamed", {"k": "v"})
    run = made(
        client.post(f"{path}/runs", json={"data_source": {"type": "jsonl", "source": inline("q")}})
    )
    canceled = ok(client.post(f"{path}/runs/{run['id']}/cancel"))
    assert canceled["status"] == "canceled"
    assert ok(client.get(f"{path}/runs/{run['id']}"))["status"] == "canceled"
    deleted = ok(client.delete(f"{path}/runs/{run['id']}"))
    assert deleted == {"object": "eval.run.deleted", "deleted": True, "run_id": run["id"]}
    made(
        client.post(f"{path}/runs", json={"data_source": {"type": "jsonl", "source": inline("q")}})
    )
    assert ok(client.delete(path)) == {
        "object": "eval.deleted",
        "deleted": True,
        "eval_id": created["id"],
    }
    assert error_of(client.get(path), 404)["code"] == "not_found"


def test_bad_requests_name_the_field(client: httpx.Client) -> None:
    cases = [
        ({"testing_criteria": [ECHO]}, "data_source_config"),
        (
            {"data_source_config": {"type": "x"}, "testing_criteria": [ECHO]},
            "data_source_config.type",
        ),
        (
            {
                "data_source_config": {"type": "custom", "item_schema": {"type": 3}},
                "testing_criteria": [ECHO],
            },
            "data_source_config.item_schema",
        ),
        (
            {
                "data_source_config": {"type": "custom", "item_schema": {"pattern": "["}},
                "testing_criteria": [ECHO],
            },
            "data_source_config.item_schema",
        ),
        ({"data_source_config": CUSTOM, "testing_criteria": []}, "testing_criteria"),
        (
            {"data_source_config": CUSTOM, "testing_criteria": [{**ECHO, "operation": "gt"}]},
            "testing_criteria[0].operation",
        ),
        (
            {"data_source_config": CUSTOM, "testing_criteria": [{"type": "python", "name": "p"}]},
            "testing_criteria[0].source",
        ),
        ({"data_source_config": CUSTOM, "testing_criteria": [ECHO], "extra": 1}, "extra"),
    ]
    for body, param in cases:
        assert error_of(client.post(EVALS, json=body), 400)["param"] == param
    created = made(
        client.post(EVALS, json={"data_source_config": CUSTOM, "testing_criteria": [ECHO]})
    )
    runs = f"{EVALS}/{created['id']}/runs"
    assert error_of(client.post(runs, json={}), 400)["param"] == "data_source"
    missing = agent_run("nobody", "q")
    assert error_of(client.post(runs, json={"data_source": missing}), 404)["code"] == "not_found"
    unserved = error_of(client.post(runs, json={"data_source": {"type": "azure_ai_red_team"}}), 501)
    assert (unserved["code"], unserved["param"]) == (
        "not_implemented_by_emulator",
        "data_source.type",
    )
    assert error_of(client.get(f"{runs}/evalrun_x"), 404)["code"] == "not_found"
    assert error_of(client.get(runs, params={"status": "done"}), 400)["param"] == "status"


def test_an_item_schema_that_cannot_be_applied_errors_its_rows(client: httpx.Client) -> None:
    pointless = {"type": "custom", "item_schema": {"$ref": "#/nowhere"}}
    body = {"data_source_config": pointless, "testing_criteria": [ECHO]}
    created = made(client.post(EVALS, json=body))
    source = {"type": "jsonl", "source": inline("q")}
    run = made(client.post(f"{EVALS}/{created['id']}/runs", json={"data_source": source}))
    assert finished(client, created["id"], run["id"])["result_counts"]["errored"] == 1
    [item] = ok(client.get(f"{EVALS}/{created['id']}/runs/{run['id']}/output_items"))["data"]
    assert item["sample"]["error"]["code"] == "invalid_item_schema"
