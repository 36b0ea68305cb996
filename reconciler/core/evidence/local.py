"""Pure: a test graded here, from what an Assistants v1 run produced (v1 has no evals API):
each row's answer and tool calls become an output item shaped as the service's, with the
results of the checks the service would have computed (string checks, tool calls), so the
verdict is criteria.verdict's, as for Foundry. Builtin evaluators need a model: refused."""

from __future__ import annotations

import json
from typing import Any

from reconciler.core.evidence.criteria import fill
from reconciler.core.evidence.model import ANSWER_CHECKS, AgentTest, Criterion

SERVICE_ONLY = ("evaluator",)


def unsupported(test: AgentTest) -> list[str]:
    """The criteria of a test that only the Foundry evals API can grade."""
    return [c.name for c in test.criteria if c.check in SERVICE_ONLY]


def output_item(
    test: AgentTest, row: dict[str, Any], answer: str, calls: list[dict[str, Any]], error: str
) -> dict[str, Any]:
    """One row as an output item: `calls` are `{name, arguments}` (arguments a JSON string)."""
    results = [] if error else [r for c in test.criteria for r in _results(c, row, answer, calls)]
    return {
        "status": "error" if error else "pass",
        "datasource_item": row,
        "sample": {"output": [{"role": "assistant", "content": answer}], "error": error or None},
        "results": results,
    }


def _results(
    criterion: Criterion, row: dict[str, Any], answer: str, calls: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if criterion.check in ANSWER_CHECKS:
        return [
            _result(criterion.name, _string(criterion.check, answer, fill(criterion.value, row)))
        ]
    if criterion.check == "tool_call":
        return [_result(criterion.name, any(_called(criterion.value, call) for call in calls))]
    return []


def _string(check: str, text: str, reference: str) -> bool:
    if check == "contains":
        return reference in text
    if check == "icontains":
        return reference.lower() in text.lower()
    return text == reference


def _called(wanted: dict[str, Any], call: dict[str, Any]) -> bool:
    if call.get("name") != wanted["name"]:
        return False
    try:
        arguments = json.loads(call.get("arguments") or "{}")
    except ValueError:
        return False
    expected = wanted.get("arguments", {})
    return isinstance(arguments, dict) and all(arguments.get(k) == v for k, v in expected.items())


def _result(name: str, passed: bool) -> dict[str, Any]:
    return {"name": name, "passed": passed, "score": 1.0 if passed else 0.0}
