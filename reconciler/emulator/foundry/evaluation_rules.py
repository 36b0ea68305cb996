"""Evaluation rules of a project (GA, `/evaluationrules`): state and rules.

As TypeSpec `evaluation-rules/models.tsp` has them: `{id, displayName?, description?, action,
filter?, eventType, enabled, systemData}`; `action` is `{type: continuousEvaluation, evalId,
maxHourlyRuns?, samplingRate? (0, 100]}` or `{type: humanEvaluationPreview, templateId}`, the
latter only with the `Foundry-Features: Evaluations=V1Preview` opt-in (else 403
`preview_feature_required`, which azure-ai-projects 2.10 explains). `PUT` creates (201) or
replaces (200) the rule named in the path; `id` and `systemData` are the service's, so a body
may carry them back and they are ignored. A continuous rule must name an eval of the project.
Lists page Azure-style, `{value, nextLink?}`, `maxpagesize` rules a page (default 100).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import NotFoundError, ServiceError, bad_request
from reconciler.emulator.foundry import evals
from reconciler.emulator.foundry.body_rules import fields
from reconciler.emulator.foundry.state import Foundry

RULE = "foundry.evaluation_rule"
FIELDS = (
    "id",
    "displayName",
    "description",
    "action",
    "filter",
    "eventType",
    "enabled",
    "systemData",
)
EVENT_TYPES = ("responseCompleted", "manual")
ACTION_TYPES = ("continuousEvaluation", "humanEvaluationPreview")
PREVIEW = "Evaluations=V1Preview"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.~-]{0,255}$")


def put(fd: Foundry, rule_id: str, raw: Any, features: set[str]) -> tuple[Json, bool]:
    """The rule as stored, and whether it was created (else replaced)."""
    if not ID_PATTERN.match(rule_id):
        message = f"Invalid evaluation rule id '{rule_id[:64]}': use 1-256 letters, digits, '_', '.', '~' or '-'."
        raise bad_request(message, "id", "invalid_value")
    body = fields(raw, FIELDS)
    for name in ("action", "eventType", "enabled"):
        if body.get(name) is None:
            message = f"Missing required parameter: '{name}'."
            raise bad_request(message, name, "missing_required_parameter")
    rule: Json = {"id": rule_id}
    for name in ("displayName", "description"):
        if body.get(name) is not None:
            rule[name] = _string(body[name], name)
    rule["action"] = _action(fd, body["action"], features)
    if body.get("filter") is not None:
        rule["filter"] = _filter(body["filter"])
    rule["eventType"] = _choice(body["eventType"], EVENT_TYPES, "eventType")
    if not isinstance(body["enabled"], bool):
        raise bad_request(
            "Invalid type for 'enabled': expected a boolean.", "enabled", "invalid_type"
        )
    rule["enabled"] = body["enabled"]
    with fd.state.db.transaction():
        found = fd.state.db.get(RULE, fd.scope(), rule_id)
        now = _timestamp(fd)
        created = found["systemData"] if found else {"createdAt": now, "createdBy": "emulator"}
        rule["systemData"] = {**created, "lastModifiedAt": now, "lastModifiedBy": "emulator"}
        stored = {**rule, "created_at": found["created_at"] if found else fd.now()}
        if found is None:
            fd.state.db.insert(RULE, fd.scope(), stored)
        else:
            fd.state.db.replace(RULE, fd.scope(), stored)
    return rule, found is None


def get(fd: Foundry, rule_id: str) -> Json:
    found = fd.state.db.get(RULE, fd.scope(), rule_id)
    if found is None:
        error = NotFoundError(f"Evaluation rule '{rule_id[:128]}' not found.")
        error.code = "not_found"
        raise error
    return _shown(found)


def delete(fd: Foundry, rule_id: str) -> None:
    with fd.state.db.transaction():
        get(fd, rule_id)
        fd.state.db.delete(RULE, fd.scope(), rule_id)


def select(fd: Foundry, action: str | None, agent: str | None, enabled: bool | None) -> list[Json]:
    """The project's rules, oldest first, that match every filter given."""
    found = []
    for rule in fd.state.db.children(RULE, fd.scope()):
        if action is not None and rule["action"]["type"] != action:
            continue
        if agent is not None and rule.get("filter", {}).get("agentName") != agent:
            continue
        if enabled is not None and rule["enabled"] is not enabled:
            continue
        found.append(_shown(rule))
    return found


def _action(fd: Foundry, raw: Any, features: set[str]) -> Json:
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for 'action': expected an object.", "action", "invalid_type"
        )
    kind = _choice(raw.get("type"), ACTION_TYPES, "action.type")
    if kind == "humanEvaluationPreview":
        if PREVIEW not in features:
            message = f"This operation requires the preview feature opt-in '{PREVIEW}'."
            raise ServiceError(
                403, message, param="Foundry-Features", code="preview_feature_required"
            )
        _known(raw, ("type", "templateId"), "action")
        return {"type": kind, "templateId": _string(raw.get("templateId"), "action.templateId")}
    _known(raw, ("type", "evalId", "maxHourlyRuns", "samplingRate"), "action")
    eval_id = _string(raw.get("evalId"), "action.evalId")
    if fd.state.db.get(evals.EVAL, fd.scope(), eval_id) is None:
        message = f"Invalid 'action.evalId': no eval with id '{eval_id[:128]}' in this project."
        raise bad_request(message, "action.evalId", "invalid_value")
    action: Json = {"type": kind, "evalId": eval_id}
    runs = raw.get("maxHourlyRuns")
    if runs is not None:
        if isinstance(runs, bool) or not isinstance(runs, int) or runs < 0:
            message = "Invalid 'action.maxHourlyRuns': expected an integer >= 0."
            raise bad_request(message, "action.maxHourlyRuns", "invalid_value")
        action["maxHourlyRuns"] = runs
    rate = raw.get("samplingRate")
    if rate is not None:
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 100:
            message = "Invalid 'action.samplingRate': expected a number in (0, 100]."
            raise bad_request(message, "action.samplingRate", "invalid_value")
        action["samplingRate"] = rate
    return action


def _filter(raw: Any) -> Json:
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for 'filter': expected an object.", "filter", "invalid_type"
        )
    _known(raw, ("agentName",), "filter")
    return {"agentName": _string(raw.get("agentName"), "filter.agentName")}


def _known(raw: Json, allowed: tuple[str, ...], where: str) -> None:
    for name in raw:
        if name not in allowed:
            message = f"Unknown parameter: '{where}.{str(name)[:64]}'."
            raise bad_request(message, f"{where}.{str(name)[:64]}", "unknown_parameter")


def _choice(value: Any, choices: tuple[str, ...], param: str) -> str:
    if not isinstance(value, str) or value not in choices:
        supported = ", ".join(f"'{choice}'" for choice in choices)
        message = f"Invalid value: '{str(value)[:64]}'. Supported values are: {supported}."
        raise bad_request(message, param, "invalid_value")
    return value


def _string(value: Any, param: str) -> str:
    if not isinstance(value, str) or not value:
        message = f"Invalid type for '{param}': expected a non-empty string."
        raise bad_request(message, param, "invalid_type")
    return value


def _timestamp(fd: Foundry) -> str:
    return datetime.fromtimestamp(fd.now(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shown(rule: Json) -> Json:
    return {key: value for key, value in rule.items() if key != "created_at"}
