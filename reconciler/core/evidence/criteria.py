"""Pure: a test's criteria as the service's testing criteria, and the verdict from a run's rows.

What the service can grade, it grades (the evidence is its run): answer checks are
`string_check`s on `{{sample.output_text}}`; an expected tool call is a `string_check` on the
JSON of `{{sample.output_items}}` (the call's `"name"`, then each expected argument inside its
`arguments` string, one check each, named `<criterion>#<n>`); builtin evaluators are
`azure_ai_evaluator`s (`builtin.<name>`). What no grader of the service computes (`not_contains`:
`string_check` has no "not like"; a regex; a JSON Schema) is graded here from the answer each
output item carries, `{{item.x}}` filled from the item as the service fills it. A row
passes a criterion when every check of it passed on that row; a row that errored passes none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from reconciler.core.evidence.model import (
    ANSWER_CHECKS,
    LOCAL_CHECKS,
    AgentTest,
    Criterion,
    CriterionResult,
)

OPERATIONS = {"contains": "like", "icontains": "ilike", "equals": "eq"}
_FIELD = re.compile(r"\{\{\s*item((?:\.[A-Za-z0-9_\-]+)+)\s*\}\}")
ANSWER = "{{sample.output_text}}"
OUTPUT_ITEMS = "{{sample.output_items}}"


def testing_criteria(test: AgentTest, model: str) -> list[dict[str, Any]]:
    """The eval's `testing_criteria`: the service's graders for every criterion it can grade."""
    found: list[dict[str, Any]] = []
    for criterion in test.criteria:
        found += _graders(criterion, model, test.input)
    return found


def _graders(criterion: Criterion, model: str, query: str) -> list[dict[str, Any]]:
    """`query`: the user message's template, which an evaluator reads as the question."""
    if criterion.check in ANSWER_CHECKS:
        return [_string_check(criterion.name, ANSWER, criterion.value, criterion.check)]
    if criterion.check == "tool_call":
        return _tool_call(criterion)
    if criterion.check == "evaluator":
        return [
            {
                "type": "azure_ai_evaluator",
                "name": criterion.name,
                "evaluator_name": f"builtin.{criterion.value}",
                "initialization_parameters": {"deployment_name": model},
                "data_mapping": {"query": query, "response": ANSWER},
            }
        ]
    return []  # LOCAL_CHECKS: graded here


def _string_check(name: str, template: str, reference: str, check: str) -> dict[str, Any]:
    return {
        "type": "string_check",
        "name": name,
        "input": template,
        "reference": reference,
        "operation": OPERATIONS.get(check, "like"),
    }


def _tool_call(criterion: Criterion) -> list[dict[str, Any]]:
    """The call's name as it stands in the output items' JSON, then each argument as it stands
    in the call's `arguments` string (JSON inside JSON: its quotes escaped once more)."""
    value = criterion.value
    checks = [_string_check(criterion.name, OUTPUT_ITEMS, _fragment("name", value["name"]), "")]
    for index, (key, wanted) in enumerate(sorted(value.get("arguments", {}).items()), start=1):
        inner = _fragment(key, wanted)
        escaped = json.dumps(inner, ensure_ascii=False)[1:-1]
        checks.append(_string_check(f"{criterion.name}#{index}", OUTPUT_ITEMS, escaped, ""))
    return checks


def _fragment(key: str, value: Any) -> str:
    return f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"


def verdict(
    test: AgentTest, items: list[dict[str, Any]], rows: int | None = None
) -> list[CriterionResult]:
    """Each criterion's result over a run's output items (`rows`: how many the dataset has)."""
    total = len(test.rows) if rows is None else rows
    return [_result(criterion, items, total) for criterion in test.criteria]


def _result(criterion: Criterion, items: list[dict[str, Any]], total: int) -> CriterionResult:
    outcomes = [_row(criterion, item) for item in items]
    passed = sum(1 for ok, _ in outcomes if ok)
    scores = [score for _, score in outcomes if score is not None]
    mean = sum(scores) / len(scores) if scores and criterion.check == "evaluator" else None
    if criterion.min_score is not None:
        holds = mean is not None and mean >= criterion.min_score and len(items) == total
        threshold = f"mean score >= {criterion.min_score:g}"
    else:
        holds = total > 0 and passed / total >= criterion.min_pass_rate
        threshold = f"pass rate >= {criterion.min_pass_rate:.0%}"
    return CriterionResult(
        criterion.name, criterion.check, passed, total, mean, threshold, holds and total > 0
    )


def _row(criterion: Criterion, item: dict[str, Any]) -> tuple[bool, float | None]:
    if item.get("status") == "error":
        return False, None
    if criterion.check in LOCAL_CHECKS:
        return _local(criterion, answer(item), item.get("datasource_item") or {}), None
    mine = [r for r in _results(item) if _belongs(str(r.get("name")), criterion.name)]
    score = next((float(r["score"]) for r in mine if isinstance(r.get("score"), int | float)), None)
    return bool(mine) and all(r.get("passed") is True for r in mine), score


def _results(item: dict[str, Any]) -> Iterable[dict[str, Any]]:
    return [r for r in item.get("results") or [] if isinstance(r, dict)]


def _belongs(result: str, criterion: str) -> bool:
    return result == criterion or result.startswith(criterion + "#")


def answer(item: dict[str, Any]) -> str:
    """The agent's answer an output item carries: the text of its sample's output (the
    messages the target produced, none of the input)."""
    sample = item.get("sample") or {}
    parts = [
        str(entry.get("content") or "")
        for entry in sample.get("output") or []
        if isinstance(entry, dict)
    ]
    return "".join(parts)


def _local(criterion: Criterion, text: str, row: dict[str, Any]) -> bool:
    if criterion.check == "not_contains":
        return fill(str(criterion.value), row) not in text
    if criterion.check == "regex":
        return re.search(str(criterion.value), text) is not None
    try:
        value = json.loads(text)
    except ValueError:
        return False
    import jsonschema  # noqa: PLC0415 - on first use: a plan without schemas never loads it

    return jsonschema.Draft202012Validator(criterion.value).is_valid(value)


def fill(template: str, row: dict[str, Any]) -> str:
    """`{{item.a.b}}` replaced by the row's value (JSON unless a string); missing: ""."""

    def value(match: re.Match[str]) -> str:
        found: Any = row
        for key in match.group(1).split(".")[1:]:
            found = found.get(key) if isinstance(found, dict) else None
        if found is None:
            return ""
        return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)

    return _FIELD.sub(value, template)
