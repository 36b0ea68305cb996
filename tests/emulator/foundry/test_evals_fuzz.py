"""Random bodies and queries against the evals, runs, output items and evaluation rules routes:
never a 5xx but the 501 of what the emulator does not serve, always the route family's error body
(OpenAI's for evals, the agents' for rules). Conversations and responses: test_fuzz_conversations.py.
"""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, prompt

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
TEMPLATE_TEXT = st.sampled_from(
    ["{{item.q}}", "{{sample.output_text}}", "{{item}}", "x", "{{ item.q.r }}"]
)
CRITERION = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "string_check",
                "text_similarity",
                "label_model",
                "score_model",
                "azure_ai_evaluator",
                "x",
            ]
        ),
        "name": st.text(max_size=4) | JSON,
    },
    optional={
        "input": TEMPLATE_TEXT | JSON,
        "reference": TEMPLATE_TEXT | JSON,
        "operation": st.sampled_from(["eq", "ne", "like", "ilike", "gt"]),
        "evaluation_metric": st.sampled_from(
            ["fuzzy_match", "bleu", "gleu", "meteor", "cosine", "rouge_l", "rouge_5", "x"]
        ),
        "pass_threshold": JSON,
        "model": JSON,
        "labels": JSON,
        "passing_labels": JSON,
        "evaluator_name": JSON,
        "range": JSON,
    },
)
MODEL_GRADED = st.fixed_dictionaries(  # what reaches the stand-ins: their required fields set
    {
        "type": st.sampled_from(
            ["label_model", "score_model", "python", "multi", "azure_ai_evaluator"]
        ),
        "name": st.text(max_size=4),
        "model": st.just("m"),
        "input": st.just([]),
        "labels": JSON,
        "passing_labels": JSON,
        "source": JSON,
        "graders": JSON,
        "calculate_output": JSON,
        "evaluator_name": JSON,
    },
    optional={"range": JSON, "pass_threshold": JSON},
)
SCHEMAS = [
    {"type": "object"},
    {"$ref": "#/nope"},
    {"properties": {"q": {"pattern": "["}}},
    {"$ref": "https://x.invalid/s"},
]
CONFIG = st.fixed_dictionaries(
    {"type": st.sampled_from(["custom", "logs", "azure_ai_source", "x"])},
    optional={
        "item_schema": JSON | st.sampled_from(SCHEMAS),
        "include_sample_schema": JSON,
        "scenario": JSON,
    },
)
EVAL = st.fixed_dictionaries(
    {},
    optional={
        "name": JSON,
        "metadata": JSON,
        "data_source_config": CONFIG | JSON,
        "testing_criteria": st.lists(CRITERION | MODEL_GRADED, max_size=3) | JSON,
    },
)
ROW = st.fixed_dictionaries(
    {"item": JSON | st.dictionaries(st.sampled_from(["q", "r"]), JSON, max_size=2)},
    optional={"sample": JSON},
)
SOURCE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["azure_ai_target_completions", "completions", "jsonl", "responses", "x"]
        ),
        "source": st.fixed_dictionaries(
            {"type": st.sampled_from(["file_content", "file_id", "x"])},
            optional={"content": st.lists(ROW, max_size=3) | JSON, "id": JSON},
        )
        | JSON,
    },
    optional={
        "input_messages": st.fixed_dictionaries(
            {"type": st.sampled_from(["template", "item_reference"])},
            optional={
                "template": st.lists(
                    st.fixed_dictionaries({"role": JSON, "content": TEMPLATE_TEXT | JSON}),
                    max_size=2,
                )
                | JSON,
                "item_reference": st.sampled_from(["item.q", "item", "x"]) | JSON,
            },
        )
        | JSON,
        "target": st.fixed_dictionaries(
            {"type": st.sampled_from(["azure_ai_agent", "azure_ai_model", "x"])},
            optional={
                "name": st.sampled_from(["fuzz", "none"]) | JSON,
                "version": JSON,
                "model": JSON,
            },
        )
        | JSON,
        "model": JSON,
        "sampling_params": JSON,
    },
)
RULE = st.fixed_dictionaries(
    {},
    optional={
        "action": st.fixed_dictionaries(
            {"type": st.sampled_from(["continuousEvaluation", "humanEvaluationPreview", "x"])},
            optional={
                "evalId": JSON,
                "maxHourlyRuns": JSON,
                "samplingRate": JSON,
                "templateId": JSON,
            },
        )
        | JSON,
        "eventType": st.sampled_from(["responseCompleted", "manual"]) | JSON,
        "enabled": JSON,
        "filter": JSON,
        "displayName": JSON,
        "systemData": JSON,
    },
)
QUERY = st.dictionaries(
    st.sampled_from(
        [
            "limit",
            "order",
            "after",
            "status",
            "order_by",
            "enabled",
            "maxpagesize",
            "skip",
            "agentName",
        ]
    ),
    st.text(max_size=5),
    max_size=3,
)


def served(response: httpx.Response, agents_shape: bool = False) -> None:
    body: Any = response.json() if response.content else {}
    if response.status_code >= 500:
        assert response.status_code == 501, response.text
        assert body["error"]["code"] == "not_implemented_by_emulator"
    elif response.status_code >= 400:
        shape = (
            {"code", "message", "param", "type", "details"}
            if agents_shape
            else {"message", "type", "param", "code"}
        )
        assert set(body["error"]) == shape, response.text


def seeded(client: httpx.Client) -> str:
    """An agent named `fuzz` and an eval whose runs the random data sources go to."""
    client.post("/agents/fuzz/versions", json=prompt())
    config = {"type": "custom", "item_schema": {"type": "object"}}
    criterion = {
        "type": "string_check",
        "name": "c",
        "input": "{{sample.output_text}}",
        "reference": "{{item.q}}",
        "operation": "like",
    }
    created = client.post(
        "/openai/v1/evals", json={"data_source_config": config, "testing_criteria": [criterion]}
    )
    return str(created.json()["id"])


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=EVAL, source=SOURCE | JSON, rule=RULE | JSON, query=QUERY, metadata=JSON)
def test_random_evals_runs_and_rules_are_never_a_server_error(
    server: BackgroundServer,
    body: Any,
    source: Any,
    rule: Any,
    query: dict[str, str],
    metadata: Any,
) -> None:
    with foundry_client(server.url) as client:
        eval_id = seeded(client)
        evals = "/openai/v1/evals"
        created = client.post(evals, json=body)
        served(created)
        if created.status_code == 201:  # grade random rows with the random criteria
            rows = {
                "type": "jsonl",
                "source": {
                    "type": "file_content",
                    "content": [{"item": {"q": "a"}, "sample": metadata}],
                },
            }
            graded = client.post(f"{evals}/{created.json()['id']}/runs", json={"data_source": rows})
            served(graded)
            if graded.status_code == 201:
                for _ in range(2):
                    served(client.get(f"{evals}/{created.json()['id']}/runs/{graded.json()['id']}"))
        served(client.get(evals, params={**query, "api-version": "v1"}))
        served(client.post(f"{evals}/{eval_id}", json={"name": "n", "metadata": metadata}))
        run = client.post(
            f"{evals}/{eval_id}/runs", json={"data_source": source, "metadata": metadata}
        )
        served(run)
        runs = f"{evals}/{eval_id}/runs"
        served(client.get(runs, params={**query, "api-version": "v1"}))
        if run.status_code == 201:
            run_id = run.json()["id"]
            for _ in range(3):
                served(client.get(f"{runs}/{run_id}"))
            served(
                client.get(f"{runs}/{run_id}/output_items", params={**query, "api-version": "v1"})
            )
        served(client.put("/evaluationrules/fuzz-rule", json=rule), agents_shape=True)
        if isinstance(rule, dict) and isinstance(rule.get("action"), dict):
            with_eval = {**rule, "action": {**rule["action"], "evalId": eval_id}}
            served(client.put("/evaluationrules/fuzz-rule", json=with_eval), agents_shape=True)
        served(
            client.get("/evaluationrules", params={**query, "api-version": "v1"}), agents_shape=True
        )
