"""`structured_inputs`: the `{{name}}` placeholders of an agent's instructions and tools, bound.

An agent definition declares its inputs (`structured_inputs: {name: {description, default_value,
schema, required}}`); a request gives values (`structured_inputs: {name: value}`, as the
samples send it in the body). Each placeholder in the instructions and in any string field of
the tools is replaced: a string that is one placeholder takes the value as it is (a list stays
a list), one inside longer text takes its text. A value comes from the request, else the
declared `default_value`; a required input with neither is a 400 naming it. A placeholder no
input binds stays as written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")
PARAM = "structured_inputs"


def values(declared: Json | None, given: Any) -> Json:
    """The value of each input: the request's, else the declared default."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise bad_request(f"Invalid type for '{PARAM}': expected an object.", PARAM, "invalid_type")
    bound: Json = dict(given)
    for name, spec in (declared or {}).items():
        if name in bound or not isinstance(spec, dict):
            continue
        if spec.get("default_value") is not None:
            bound[name] = spec["default_value"]
        elif spec.get("required"):
            message = f"Missing required structured input '{name}'."
            raise bad_request(message, f"{PARAM}.{name}", "missing_required_parameter")
    return bound


def bind(value: Any, inputs: Json) -> Any:
    """`value` with every placeholder the inputs name replaced, at any depth."""
    if not inputs:
        return value
    if isinstance(value, str):
        return _text(value, inputs)
    if isinstance(value, list):
        return [bind(item, inputs) for item in value]
    if isinstance(value, dict):
        return {key: bind(item, inputs) for key, item in value.items()}
    return value


def _text(text: str, inputs: Json) -> Any:
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole is not None and whole.group(1) in inputs:
        return inputs[whole.group(1)]

    def swap(match: re.Match[str]) -> str:
        if match.group(1) not in inputs:
            return match.group(0)
        found = inputs[match.group(1)]
        return found if isinstance(found, str) else json.dumps(found)

    return PLACEHOLDER.sub(swap, text)
