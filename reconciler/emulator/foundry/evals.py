"""Evals of a project (`/openai/v1/evals`): state and rules, as the openai 3.x client sees them.

An eval is `{object: "eval", id: eval_..., name, data_source_config, testing_criteria,
created_at, metadata}`. A `custom` data source config's `item_schema` must be a JSON Schema
(2020-12): the service answers it wrapped as `schema` = `{item: <item_schema>, sample?: ...}`,
and a run checks every row against it (eval_runs.py). `logs`, `stored_completions` and
Foundry's `azure_ai_source` configs are kept as sent, with a `schema` that accepts any row.
Deleting an eval deletes its runs and their output items (eval_runs.delete_eval).
"""

from __future__ import annotations

from typing import Any

import jsonschema

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import graders
from reconciler.emulator.foundry.body_rules import check_metadata, fields, not_found
from reconciler.emulator.foundry.state import Foundry

EVAL = "foundry.eval"
CONFIG_TYPES = ("custom", "logs", "stored_completions", "azure_ai_source")
CREATE_FIELDS = ("name", "metadata", "data_source_config", "testing_criteria")
SAMPLE_SCHEMA: Json = {
    "type": "object",
    "properties": {
        "output_text": {"type": "string"},
        "output_items": {"type": "array"},
        "model": {"type": "string"},
    },
}
ANY_ROW: Json = {"type": "object", "properties": {"item": {"type": "object"}}}


def create(fd: Foundry, raw: Any) -> Json:
    body = fields(raw, CREATE_FIELDS)
    for name in ("data_source_config", "testing_criteria"):
        if body.get(name) is None:
            message = f"Missing required parameter: '{name}'."
            raise bad_request(message, name, "missing_required_parameter")
    found: Json = {
        "object": "eval",
        "id": new_id("eval_"),
        "name": check_name(body.get("name")),
        "data_source_config": _config(body["data_source_config"]),
        "testing_criteria": graders.check_criteria(body["testing_criteria"]),
        "created_at": fd.now(),
        "metadata": check_metadata(body.get("metadata")),
    }
    fd.state.db.insert(EVAL, fd.scope(), found)
    return found


def get(fd: Foundry, eval_id: str) -> Json:
    found = fd.state.db.get(EVAL, fd.scope(), eval_id)
    if found is None:
        raise not_found("Eval", eval_id)
    return found


def update(fd: Foundry, eval_id: str, raw: Any) -> Json:
    body = fields(raw, ("name", "metadata"))
    with fd.state.db.transaction():
        found = get(fd, eval_id)
        if body.get("name") is not None:
            found["name"] = check_name(body["name"])
        if "metadata" in body:
            found["metadata"] = check_metadata(body["metadata"])
        fd.state.db.replace(EVAL, fd.scope(), found)
    return found


def page(fd: Foundry, query: PageQuery) -> Page:
    return fd.state.db.page(EVAL, fd.scope(), query)


def delete(fd: Foundry, eval_id: str) -> Json:
    """Delete the eval alone; eval_runs.delete_eval deletes its runs with it."""
    with fd.state.db.transaction():
        get(fd, eval_id)
        fd.state.db.delete(EVAL, fd.scope(), eval_id)
    return {"object": "eval.deleted", "deleted": True, "eval_id": eval_id}


def check_name(raw: Any) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise bad_request("Invalid type for 'name': expected a string.", "name", "invalid_type")
    return raw


def _config(raw: Any) -> Json:
    param = "data_source_config"
    if not isinstance(raw, dict):
        raise bad_request(f"Invalid type for '{param}': expected an object.", param, "invalid_type")
    kind = raw.get("type")
    if kind not in CONFIG_TYPES:
        supported = ", ".join(f"'{name}'" for name in CONFIG_TYPES)
        message = f"Invalid value: '{str(kind)[:64]}'. Supported values are: {supported}."
        raise bad_request(message, f"{param}.type", "invalid_value")
    if kind != "custom":
        return {"schema": ANY_ROW, **raw}
    schema = raw.get("item_schema")
    if not isinstance(schema, dict):
        message = f"Missing required parameter: '{param}.item_schema'."
        raise bad_request(message, f"{param}.item_schema", "missing_required_parameter")
    try:
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER  # patterns must compile
        jsonschema.Draft202012Validator.check_schema(schema, format_checker=checker)
    except jsonschema.SchemaError as error:
        message = f"Invalid '{param}.item_schema': not a JSON Schema ({error.message[:200]})."
        raise bad_request(message, f"{param}.item_schema", "invalid_value") from None
    properties: Json = {"item": schema}
    if raw.get("include_sample_schema"):
        properties["sample"] = SAMPLE_SCHEMA
    wrapped = {"type": "object", "properties": properties, "required": list(properties)}
    return {"type": "custom", "schema": wrapped}
