"""The testing criteria of an eval: checked when the eval is created, applied to each row of a run.

Computed for real, as the service documents them: `string_check` (`eq`, `ne`, `like`: contains,
`ilike`: contains ignoring case) and `text_similarity` (similarity.py's metrics). Graders that
need a model or run code (`label_model`, `score_model`, `python`, `multi`) and Foundry's
evaluators (`azure_ai_evaluator`, `builtin.relevance` and the rest) are answered by a
deterministic stand-in: they pass when the row's sample has output text, and every result they
give says so (`"stand_in": true` and a `reason`). Inputs are templates: `{{item.x}}` and
`{{sample.output_text}}` (`{{sample.output_items}}`: JSON) are filled from the row.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.foundry.similarity import METRICS, STAND_IN_METRICS, similarity

OPERATIONS = ("eq", "ne", "like", "ilike")
STAND_INS = ("label_model", "score_model", "python", "multi", "azure_ai_evaluator")
REQUIRED = {
    "string_check": ("name", "input", "reference", "operation"),
    "text_similarity": ("name", "input", "reference", "evaluation_metric"),
    "label_model": ("name", "model", "input", "labels", "passing_labels"),
    "score_model": ("name", "model", "input"),
    "python": ("name", "source"),
    "multi": ("name", "graders", "calculate_output"),
    "azure_ai_evaluator": ("name", "evaluator_name"),
}
STAND_IN_REASON = "Emulated grader (no model runs): passes when the sample has output text."
_FIELD = re.compile(r"\{\{\s*(item|sample)((?:\.[A-Za-z0-9_\-]+)*)\s*\}\}")


def check_criteria(raw: Any) -> list[Json]:
    """The testing criteria a create sends, each with the fields its type requires."""
    if not isinstance(raw, list) or not raw:
        message = "Invalid 'testing_criteria': expected a non-empty array of objects."
        raise bad_request(message, "testing_criteria", "invalid_type")
    names: set[str] = set()
    for index, criterion in enumerate(raw):
        where = f"testing_criteria[{index}]"
        _check_criterion(criterion, where)
        if criterion["name"] in names:
            message = f"Invalid '{where}.name': '{criterion['name'][:64]}' is used twice."
            raise bad_request(message, f"{where}.name", "invalid_value")
        names.add(criterion["name"])
    return list(raw)


def _check_criterion(criterion: Any, where: str) -> None:
    if not isinstance(criterion, dict):
        raise bad_request(f"Invalid type for '{where}': expected an object.", where, "invalid_type")
    kind = criterion.get("type")
    if not isinstance(kind, str) or kind not in REQUIRED:
        supported = ", ".join(f"'{name}'" for name in REQUIRED)
        message = f"Invalid value: '{str(kind)[:64]}'. Supported values are: {supported}."
        raise bad_request(message, f"{where}.type", "invalid_value")
    for name in REQUIRED[kind]:
        if criterion.get(name) is None:
            message = f"Missing required parameter: '{where}.{name}'."
            raise bad_request(message, f"{where}.{name}", "missing_required_parameter")
    if not isinstance(criterion["name"], str):
        message = f"Invalid type for '{where}.name': expected a string."
        raise bad_request(message, f"{where}.name", "invalid_type")
    _check_fields(criterion, kind, where)


def _check_fields(criterion: Json, kind: str, where: str) -> None:
    """The fields the computed graders read: choices, a number, string templates."""
    if kind == "string_check":
        _check_choice(criterion["operation"], OPERATIONS, f"{where}.operation")
    if kind == "text_similarity":
        _check_choice(criterion["evaluation_metric"], tuple(METRICS), f"{where}.evaluation_metric")
        _check_number(criterion.get("pass_threshold", 0), f"{where}.pass_threshold")
    if kind == "label_model":
        for name in ("labels", "passing_labels"):
            _check_strings(criterion[name], f"{where}.{name}")
    if kind == "score_model" and criterion.get("range") is not None:
        _check_range(criterion["range"], f"{where}.range")
    if kind in ("string_check", "text_similarity"):
        for name in ("input", "reference"):
            if not isinstance(criterion[name], str):
                message = f"Invalid type for '{where}.{name}': expected a string."
                raise bad_request(message, f"{where}.{name}", "invalid_type")


def _check_choice(value: Any, choices: tuple[str, ...], param: str) -> None:
    if value not in choices:
        supported = ", ".join(f"'{choice}'" for choice in choices)
        message = f"Invalid value: '{str(value)[:64]}'. Supported values are: {supported}."
        raise bad_request(message, param, "invalid_value")


def _check_range(bounds: Any, param: str) -> None:
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise bad_request(f"Invalid '{param}': expected [min, max].", param, "invalid_value")
    for index, bound in enumerate(bounds):
        _check_number(bound, f"{param}[{index}]")


def _check_strings(value: Any, param: str) -> None:
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        message = f"Invalid type for '{param}': expected an array of strings."
        raise bad_request(message, param, "invalid_type")


def _check_number(value: Any, param: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"Invalid type for '{param}': expected a number.", param, "invalid_type")


def grade(criterion: Json, item: Json, sample: Json) -> Json:
    """One criterion's result for one row: `{name, type, score, passed, sample}`, and more."""
    kind = criterion["type"]
    if kind not in ("string_check", "text_similarity"):
        return _stand_in(criterion, sample)
    text = fill(criterion["input"], item, sample)
    reference = fill(criterion["reference"], item, sample)
    if kind == "string_check":
        passed = _string_check(criterion["operation"], text, reference)
        return _result(criterion, 1.0 if passed else 0.0, passed)
    metric = criterion["evaluation_metric"]
    score = similarity(metric, text, reference)
    result = _result(criterion, score, score >= float(criterion.get("pass_threshold", 0)))
    if metric in STAND_IN_METRICS:
        reason = "Emulated metric: word-count cosine, where the service compares embeddings."
        return {**result, "stand_in": True, "reason": reason}
    return result


def _string_check(operation: str, text: str, reference: str) -> bool:
    if operation == "eq":
        return text == reference
    if operation == "ne":
        return text != reference
    if operation == "like":
        return reference in text
    return reference.lower() in text.lower()


def _stand_in(criterion: Json, sample: Json) -> Json:
    answered = bool(str(sample.get("output_text") or "").strip())
    result = _result(criterion, 1.0 if answered else 0.0, answered)
    if criterion["type"] == "label_model":
        labels, passing = criterion["labels"], criterion["passing_labels"]
        failing = [label for label in labels if label not in passing] or labels
        chosen = passing if answered else failing
        result["label"] = chosen[0] if chosen else None
    if criterion["type"] == "score_model":
        low, high = (criterion.get("range") or [0.0, 1.0])[:2]
        result["score"] = float(high if answered else low)
    return {**result, "stand_in": True, "reason": STAND_IN_REASON}


def _result(criterion: Json, score: float, passed: bool) -> Json:
    return {
        "name": criterion["name"],
        "type": criterion["type"],
        "score": round(float(score), 6),
        "passed": passed,
        "sample": None,
    }


def fill(template: str, item: Json, sample: Json) -> str:
    """A template with `{{item.a.b}}` and `{{sample.x}}` replaced; what is missing is ""."""

    def value(match: re.Match[str]) -> str:
        found = _walk(match, item, sample)
        if found is None:
            return ""
        return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)

    return _FIELD.sub(value, template)


def lookup(path: str, item: Json, sample: Json) -> Any:
    """The value an `item_reference` (`item.messages`) names, or None."""
    match = _FIELD.fullmatch("{{" + path + "}}")
    return None if match is None else _walk(match, item, sample)


def _walk(match: re.Match[str], item: Json, sample: Json) -> Any:
    found: Any = item if match.group(1) == "item" else sample
    for key in match.group(2).split(".")[1:]:
        found = found.get(key) if isinstance(found, dict) else None
    return found
