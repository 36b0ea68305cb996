"""The pure core of agent tests: criteria as the service's testing criteria, the verdict over
a run's output items, regression against a baseline, and the evidence gate's words."""

from __future__ import annotations

from typing import Any

from reconciler.core.evidence import criteria as grading
from reconciler.core.evidence.criteria import verdict
from reconciler.core.evidence.gate import Evidence, refusal, render_evidence
from reconciler.core.evidence.model import AgentTest, Criterion
from reconciler.core.evidence.regression import compare, message, previous_version


def a_test(*criteria: Criterion, rows: int = 2) -> AgentTest:
    data = tuple({"query": f"q{i}"} for i in range(rows))
    return AgentTest("t", "bot", "{{item.query}}", criteria, data, "ab" * 32)


def item(text: str, *results: tuple[str, bool, float], status: str = "pass") -> dict[str, Any]:
    return {
        "status": status,
        "datasource_item": {"query": "q", "bad": "stupid"},
        "sample": {"output": [{"role": "assistant", "content": text}]},
        "results": [{"name": n, "passed": p, "score": s} for n, p, s in results],
    }


def test_criteria_become_string_checks_and_evaluators_and_local_ones_stay_here() -> None:
    test = a_test(
        Criterion("has", "icontains", "{{item.query}}"),
        Criterion("call", "tool_call", {"name": "lookup", "arguments": {"id": "A1"}}),
        Criterion("rel", "evaluator", "relevance", min_score=3),
        Criterion("re", "regex", "^x"),
        Criterion("schema", "json_schema", {"type": "object"}),
    )
    found = grading.testing_criteria(test, "gpt-4o")
    assert [(c["name"], c["type"]) for c in found] == [
        ("has", "string_check"),
        ("call", "string_check"),
        ("call#1", "string_check"),
        ("rel", "azure_ai_evaluator"),
    ]
    assert (found[0]["input"], found[0]["operation"]) == ("{{sample.output_text}}", "ilike")
    assert found[1]["reference"] == '"name": "lookup"'
    assert found[2]["reference"] == '\\"id\\": \\"A1\\"'  # inside the arguments string
    assert found[3]["evaluator_name"] == "builtin.relevance"
    assert found[3]["initialization_parameters"] == {"deployment_name": "gpt-4o"}


def test_the_verdict_counts_rows_and_a_criterion_passes_only_when_all_its_checks_did() -> None:
    test = a_test(
        Criterion("call", "tool_call", {"name": "f", "arguments": {"a": 1}}, min_pass_rate=0.5),
        Criterion("schema", "json_schema", {"type": "object", "required": ["id"]}),
        Criterion("clean", "not_contains", "{{item.bad}}"),
        Criterion("rel", "evaluator", "relevance", min_score=0.8),
    )
    items = [
        item('{"id": 1}', ("call", True, 1), ("call#1", True, 1), ("rel", True, 1.0)),
        item("not json stupid", ("call", True, 1), ("call#1", False, 0), ("rel", True, 0.5)),
    ]
    results = {r.name: r for r in verdict(test, items)}
    assert (results["call"].passed_rows, results["call"].passed) == (1, True)
    assert (results["schema"].passed_rows, results["schema"].passed) == (1, False)
    assert (results["clean"].passed_rows, results["clean"].passed) == (1, False)
    assert (results["rel"].score, results["rel"].passed) == (0.75, False)
    assert results["rel"].threshold == "mean score >= 0.8"


def test_an_errored_row_passes_nothing_and_counts_against_the_rate() -> None:
    test = a_test(Criterion("re", "regex", "."))
    results = verdict(test, [item("x"), item("", status="error")])
    assert (results[0].passed_rows, results[0].total_rows, results[0].passed) == (1, 2, False)


def test_a_drop_beyond_the_tolerance_is_a_regression_and_both_are_kept() -> None:
    test = a_test(Criterion("re", "regex", "^ok"), Criterion("any", "regex", "."))
    before = verdict(test, [item("ok"), item("ok")])
    after = verdict(test, [item("ok"), item("no")])
    paired, drops = compare(after, before, 0.1)
    assert drops == ["re 100% -> 50%"]
    assert paired[0].baseline == before[0]
    assert compare(after, before, 0.5)[1] == []  # a drop equal to the tolerance holds
    assert message(drops, 0.1, "3") == "dropped more than 10% against v3: re 100% -> 50%"


def test_the_baseline_is_the_newest_older_version() -> None:
    versions = [{"version": "1"}, {"version": "4"}, {"version": "2"}, {"version": "x"}]
    assert previous_version(versions, "4") == "2"
    assert previous_version(versions, "1") is None


def test_the_gate_names_each_agent_without_passing_evidence() -> None:
    found = [
        Evidence("bot-prod", "abc", "passed", "orders (run r1)"),
        Evidence("helper-prod", "def", "untested", "declare an AgentTest for it"),
    ]
    shown = render_evidence("prod", "staging", found)
    assert shown.splitlines() == [
        "Evidence (prod requires it from staging):",
        "  agent.bot-prod (definition sha256-abc): passed its tests in staging: orders (run r1)",
        "  agent.helper-prod (definition sha256-def): no tests declared (kind: AgentTest): "
        "declare an AgentTest for it",
    ]
    refused = refusal("shop", "prod", "staging", found)
    assert refused is not None
    assert refused.startswith(
        "apply to prod refused: agent.helper-prod (no tests declared (kind: AgentTest))."
    )
    assert refusal("shop", "prod", "staging", found[:1]) is None
