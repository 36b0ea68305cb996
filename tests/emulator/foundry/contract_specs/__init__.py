"""The published contracts of issue 29's routes, vendored with provenance (PROVENANCE.md), as
validators: OpenAI's OpenAPI for conversations, responses and evals under `{project}/openai/v1`,
and Foundry's evaluation rules under `{project}` (TypeSpec and a verbatim excerpt of the compiled
GA v1 OpenAPI).

Where the emulator follows the wire rather than a spec, one entry of ERRATA says why; each is
applied in `_openai` or `_rules`. Schemas the excerpts point at but do not hold are written here
from the TypeSpec they come from (NOT_VENDORED).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.support.foundry_spec import Operation as BaseOperation
from tests.support.foundry_spec import _null_cursors  # the same erratum as the agents spec's

HERE = Path(__file__).parent
OPENAI_PREFIX = "/api/projects/{project}/openai/v1"
PROJECT_PREFIX = "/api/projects/{project}"
RULE = {"$ref": "#/components/schemas/EvaluationRule"}

ERRATA = {
    "azure-eval-shapes": "Foundry's evals take Azure's data source config (`azure_ai_source`), "
    "criterion (`azure_ai_evaluator`) and run data source (`azure_ai_target_completions`), which "
    "the OpenAI spec's unions lack; their shapes are azure-ai-projects 2.10's TypedDicts "
    "(models/_patch_evaluation_typeddicts.py), added to those unions.",
    "null-cursors": "first_id/last_id are null on an empty page, as the service sends them.",
    "run-error-null": "a run's error is null unless it failed, as the spec's own example of a "
    "run shows; the spec types it as an object.",
    "client-cancel-path": "the openai 3.x client cancels at POST .../runs/{run_id}/cancel, the "
    "spec at POST .../runs/{run_id}; both are served and checked as cancelEvalRun.",
    "sample-error-null": "an output item's sample.error is null when its row ran, as the spec's "
    'example shows (`"error": null`).',
    "stand-in-results": "results carry `stand_in` and `reason` when the emulator did not grade "
    "for real; EvalRunOutputItemResult allows additional properties, so no change.",
}

# From Azure.Core's TypeSpec (Azure.Core.Foundations.ErrorResponse) and evaluation-rules.models.tsp.
NOT_VENDORED: dict[str, Any] = {
    "Azure.Core.Foundations.ErrorResponse": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "target": {"type": "string"},
                    "details": {"type": "array"},
                },
            }
        },
    },
    "ContinuousEvaluationRuleAction": {
        "type": "object",
        "required": ["type", "evalId"],
        "properties": {
            "type": {"const": "continuousEvaluation"},
            "evalId": {"type": "string"},
            "maxHourlyRuns": {"type": "integer"},
            "samplingRate": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        },
    },
    "AssetId": {"type": "string"},
    "PagedEvaluationRule": {  # Azure.Core.Page<EvaluationRule>
        "type": "object",
        "required": ["value"],
        "properties": {"value": {"type": "array", "items": RULE}, "nextLink": {"type": "string"}},
    },
}

# azure-ai-projects 2.10, models/_patch_evaluation_typeddicts.py (azure-eval-shapes).
AZURE_EVAL_SHAPES: dict[str, Any] = {
    "AzureAIDataSourceConfig": {
        "type": "object",
        "required": ["type", "scenario"],
        "properties": {"type": {"const": "azure_ai_source"}, "scenario": {"type": "string"}},
    },
    "TestingCriterionAzureAIEvaluator": {
        "type": "object",
        "required": ["type", "name", "evaluator_name"],
        "properties": {
            "type": {"const": "azure_ai_evaluator"},
            "name": {"type": "string"},
            "evaluator_name": {"type": "string"},
            "evaluator_version": {"type": "string"},
            "initialization_parameters": {"type": "object"},
            "data_mapping": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "TargetCompletionEvalRunDataSource": {
        "type": "object",
        "required": ["type", "source", "target"],
        "properties": {
            "type": {"const": "azure_ai_target_completions"},
            "source": {"type": "object", "required": ["type"]},
            "target": {"type": "object", "required": ["type"]},
            "input_messages": {"type": "object", "required": ["type"]},
        },
    },
}


@dataclass(frozen=True)
class Operation(BaseOperation):
    """An operation of these contracts: also the success statuses it may answer."""

    statuses: tuple[int, ...] = (200,)


@cache
def openai_document() -> dict[str, Any]:
    loaded = json.loads((HERE / "openai.evals-conversations-responses.json").read_text())
    return _openai(loaded)


@cache
def rules_document() -> dict[str, Any]:
    text = (HERE / "foundry.evaluation-rules.excerpt.yaml").read_text(encoding="utf-8")
    return _rules(YAML(typ="safe").load(text))


def _openai(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    schemas.update(copy.deepcopy(AZURE_EVAL_SHAPES))  # azure-eval-shapes
    _widen(schemas["Eval"]["properties"]["data_source_config"], "AzureAIDataSourceConfig")
    _widen(
        schemas["Eval"]["properties"]["testing_criteria"]["items"],
        "TestingCriterionAzureAIEvaluator",
    )
    _widen(schemas["EvalRun"]["properties"]["data_source"], "TargetCompletionEvalRunDataSource")
    schemas["EvalRun"]["properties"]["error"] = {
        "anyOf": [{"$ref": "#/components/schemas/EvalApiError"}, {"type": "null"}]
    }
    sample = schemas["EvalRunOutputItem"]["properties"]["sample"]["properties"]
    sample["error"] = {"anyOf": [sample["error"], {"type": "null"}]}  # sample-error-null
    _null_cursors(document)
    return document


def _rules(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    schemas.update(copy.deepcopy(NOT_VENDORED))
    action = schemas["EvaluationRuleAction"]
    field, mapping = action["discriminator"]["propertyName"], action["discriminator"]["mapping"]
    action["allOf"] = [  # JSON Schema ignores `discriminator`: follow it by hand
        {
            "if": {"properties": {field: {"const": value}}, "required": [field]},
            "then": {"$ref": ref},
        }
        for value, ref in mapping.items()
    ]
    # The preview action's `allOf` points back at the base: drop the loop, keep its fields.
    schemas["HumanEvaluationPreviewRuleAction"].pop("allOf")
    return document


def _widen(union: dict[str, Any], name: str) -> None:
    union["oneOf"] = [*union["oneOf"], {"$ref": f"#/components/schemas/{name}"}]


@cache
def operations() -> tuple[Operation, ...]:
    openai = openai_document()
    found = []
    for path, methods in openai["paths"].items():
        for method, operation in methods.items():
            statuses = tuple(int(s) for s in operation["responses"] if s.startswith("2"))
            success = operation["responses"][str(statuses[0])]
            schema = success.get("content", {}).get("application/json", {}).get("schema", {})
            found.append(
                Operation(
                    method.upper(),
                    OPENAI_PREFIX + path,
                    operation["operationId"],
                    {**schema, "components": openai["components"]},
                    {
                        "$ref": "#/components/schemas/ErrorResponse",
                        "components": openai["components"],
                    },
                    statuses,
                )
            )
    [cancel] = [op for op in found if op.operation_id == "cancelEvalRun"]
    alias = Operation(
        "POST", cancel.path + "/cancel", "cancelEvalRun", cancel.response, cancel.error
    )
    return (*found, alias, *_rule_operations())  # client-cancel-path


def _rule_operations() -> list[Operation]:
    """From evaluation-rules.routes.tsp: Azure.Core's ResourceOperation templates."""
    components = rules_document()["components"]
    error = {
        "$ref": "#/components/schemas/Azure.Core.Foundations.ErrorResponse",
        "components": components,
    }
    page = {"$ref": "#/components/schemas/PagedEvaluationRule", "components": components}
    rule, nothing = {**RULE, "components": components}, {"components": components}
    rules = PROJECT_PREFIX + "/evaluationrules"
    return [
        Operation("GET", rules, "EvaluationRules_List", page, error),
        Operation("GET", rules + "/{id}", "EvaluationRules_Get", rule, error),
        Operation(
            "PUT", rules + "/{id}", "EvaluationRules_CreateOrUpdate", rule, error, (200, 201)
        ),
        Operation("DELETE", rules + "/{id}", "EvaluationRules_Delete", nothing, error, (204,)),
    ]


def find_operation(method: str, path: str) -> Operation | None:
    """The operation of a request path; literal segments beat parameters."""
    matches = [op for op in operations() if op.method == method and op.pattern.match(path)]
    return min(matches, key=lambda op: op.path.count("{"), default=None)
