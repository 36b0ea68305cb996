"""The JSON Schemas editors use to complete and check the files: a manifest of any registered
kind, reconciler.yaml and a saved plan."""

from __future__ import annotations

from typing import Any

from reconciler.config.document import ProjectDoc
from reconciler.config.manifest_kinds import manifest_schema
from reconciler.core.plan_types import Plan


def json_schemas() -> dict[str, dict[str, Any]]:
    schemas = {}
    models = (("manifest", manifest_schema()), ("project", ProjectDoc), ("plan", Plan))
    for name, model in models:
        schema = model if isinstance(model, dict) else model.model_json_schema()
        schemas[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json",
            **schema,
        }
    return schemas
