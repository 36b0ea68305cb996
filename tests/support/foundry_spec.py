"""The vendored Foundry contracts as JSON Schema validators, with the errata the emulator follows.

Two documents (../shared/foundry/specs, copied into schemas/foundry/):
- the GA v1 agents excerpt (OpenAPI 3.2, verbatim blocks of the TypeSpec-compiled spec) for the
  agents routes under /api/projects/{project};
- the trimmed upstream OpenAI spec (OpenAPI 3.1) for files and vector stores under
  /api/projects/{project}/openai/v1.
Both are JSON Schema 2020-12 inside, so one validator reads them. The excerpt's schemas point at
schemas it did not copy: the few a response needs are written here from models.tsp and
FOUNDRY-FACTS (NOT_VENDORED), the rest accept anything. Each place where the wire format the
emulator follows differs from a spec is one entry of ERRATA, applied in `_apply_errata`.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from ruamel.yaml import YAML

SPECS = Path(__file__).parents[2] / "schemas" / "foundry"
AGENTS_SPEC = SPECS / "microsoft-foundry-openapi3.v1.agents-excerpt.yaml"
OPENAI_SPEC = SPECS / "openapi.files-vector-stores.trimmed.json"
AGENTS_PREFIX = "/api/projects/{project}"
OPENAI_PREFIX = "/api/projects/{project}/openai/v1"

ERRATA = {
    "null-cursors": "first_id/last_id are null on an empty page (the spec says string): the "
    "agents SDK pages on until last_id is null (FOUNDRY-FACTS §1).",
    "configuration-state": "AgentObject carries configuration_state, required by SDK 2.10.0 and "
    "absent from the GA spec (FOUNDRY-FACTS §5.1); additional properties are allowed, so no change.",
    "agent-error-code": "the agents routes' error code is always a string: the SDK's ApiError "
    "requires it (FOUNDRY-FACTS §1), where OpenAI.Error allows null.",
    "evals-purpose": "files may have Azure's purpose 'evals', which the upstream OpenAIFile enum lacks.",
    "discriminators": "the discriminators of AgentDefinition (kind) and OpenAI.Tool (type) are "
    "followed, so a definition or tool is checked against its own schema (JSON Schema ignores "
    "`discriminator`).",
}

# Schemas the excerpt refers to but did not copy, written from models.tsp and FOUNDRY-FACTS.
NOT_VENDORED: dict[str, Any] = {
    "FoundryTimestamp": {"type": "integer", "minimum": 0},
    "PromptAgentDefinition": {
        "type": "object",
        "required": ["kind", "model"],
        "properties": {
            "kind": {"const": "prompt"},
            "model": {"type": "string"},
            "instructions": {"type": ["string", "null"]},
            "temperature": {"type": ["number", "null"], "minimum": 0, "maximum": 2},
            "top_p": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "tools": {"type": "array", "items": {"$ref": "#/components/schemas/OpenAI.Tool"}},
        },
    },
    "OpenAI.FileSearchTool": {
        "type": "object",
        "required": ["type", "vector_store_ids"],
        "properties": {
            "vector_store_ids": {"type": "array", "items": {"type": "string"}},
            "max_num_results": {"type": "integer", "minimum": 1, "maximum": 50},
        },
    },
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the full template, prefix included
    operation_id: str
    response: dict[str, Any]  # the 200 schema
    error: dict[str, Any]

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", self.path) + "$")


@cache
def agents_document() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(AGENTS_SPEC.read_text(encoding="utf-8"))
    return _apply_errata(loaded, agents=True)


@cache
def openai_document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(OPENAI_SPEC.read_text(encoding="utf-8"))
    return _apply_errata(loaded, agents=False)


def _apply_errata(document: dict[str, Any], *, agents: bool) -> dict[str, Any]:
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    if agents:
        openai_error = openai_document_raw()["components"]["schemas"]["Error"]
        schemas["OpenAI.Error"] = copy.deepcopy(openai_error)
        schemas["OpenAI.Error"]["properties"]["code"] = {"type": "string"}  # agent-error-code
        for name in _dangling(document):
            schemas.setdefault(name, NOT_VENDORED.get(name, {}))
        for base in ("AgentDefinition", "OpenAI.Tool"):  # discriminators
            _dispatch(schemas[base])
    else:
        schemas["OpenAIFile"]["properties"]["purpose"]["enum"].append("evals")  # evals-purpose
    _null_cursors(document)
    return document


def _dispatch(base: dict[str, Any]) -> None:
    """Check an object against the schema its discriminator value names."""
    field, mapping = base["discriminator"]["propertyName"], base["discriminator"]["mapping"]
    base["allOf"] = [
        {
            "if": {"properties": {field: {"const": value}}, "required": [field]},
            "then": {"$ref": ref},
        }
        for value, ref in mapping.items()
    ]


@cache
def openai_document_raw() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(OPENAI_SPEC.read_text(encoding="utf-8"))
    return loaded


def _dangling(document: dict[str, Any]) -> set[str]:
    text = json.dumps(document)
    return set(re.findall(r"#/components/schemas/([^\"]+)", text)) - set(
        document["components"]["schemas"]
    )


def _null_cursors(node: Any) -> None:
    """null-cursors: every list body's first_id/last_id may be null."""
    if isinstance(node, list):
        for item in node:
            _null_cursors(item)
    elif isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and "has_more" in properties:
            for cursor in ("first_id", "last_id"):
                if cursor in properties:
                    properties[cursor] = {"anyOf": [properties[cursor], {"type": "null"}]}
        for value in node.values():
            _null_cursors(value)


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for document, prefix, error in (
        (agents_document(), AGENTS_PREFIX, {"$ref": "#/components/schemas/ApiErrorResponse"}),
        (openai_document(), OPENAI_PREFIX, {"$ref": "#/components/schemas/ErrorResponse"}),
    ):
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                content = operation["responses"]["200"].get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                response = {**schema, "components": document["components"]}
                wrapped = {**error, "components": document["components"]}
                found.append(
                    Operation(
                        method.upper(), prefix + path, operation["operationId"], response, wrapped
                    )
                )
    return tuple(found)


def find_operation(method: str, path: str) -> Operation | None:
    """The operation of a request path; literal segments beat parameters."""
    matches = [op for op in operations() if op.method == method and op.pattern.match(path)]
    return min(matches, key=lambda op: op.path.count("{"), default=None)


def check(schema: dict[str, Any], body: Any) -> list[str]:
    """Every violation of the schema by body, as readable lines."""
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]
