"""Request bodies as every family checks them: strict models, the field types they share, and
pydantic's first validation error turned into the 400 the service sends.

Fields are named the way OpenAI does (``tools[0].function.name``), with OpenAI's codes
(``unknown_parameter``, ``string_above_max_length``, ...).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from reconciler.emulator.core.errors import ServiceError, bad_request

Key = Annotated[str, StringConstraints(max_length=64)]
Value = Annotated[str, StringConstraints(max_length=512)]
Metadata = Annotated[dict[Key, Value], Field(max_length=16)]
Description = Annotated[str, StringConstraints(max_length=512)]


class Body(BaseModel):
    """A request body: unknown fields are refused by name and nothing is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


B = TypeVar("B", bound=BaseModel)


def parse(model: type[B], data: Any) -> B:
    """Validate a decoded JSON body, or raise the 400 the service would send."""
    if not isinstance(data, dict):
        raise bad_request(
            f"Invalid type for body: expected an object, but got {_kind(data)} instead."
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise translate(error.errors()[0], data) from None


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "a boolean",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def translate(error: Any, data: Any) -> ServiceError:
    path, value = _locate(error["loc"], data)
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return bad_request(
            f"Missing required parameter: '{path}'.", path, "missing_required_parameter"
        )
    if kind == "extra_forbidden":
        return bad_request(f"Unknown parameter: '{path}'.", path, "unknown_parameter")
    if kind in _EXPECTED:
        message = f"Invalid type for '{path}': expected {_EXPECTED[kind]}, but got {_kind(value)} instead."
        return bad_request(message, path, "invalid_type")
    return _translate_value(kind, ctx, path, value, error["msg"])


def _too_long(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        message = (
            f"Invalid '{path}': too many properties. Expected an object with at most "
            f"{ctx['max_length']} properties, but got an object with {len(value)} properties instead."
        )
        return message, "object_above_max_properties"
    message = (
        f"Invalid '{path}': array too long. Expected an array with maximum length "
        f"{ctx['max_length']}, but got an array with length {len(value)} instead."
    )
    return message, "array_above_max_length"


def _string_too_long(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    message = (
        f"Invalid '{path}': string too long. Expected a string with maximum length "
        f"{ctx['max_length']}, but got a string with length {len(value)} instead."
    )
    return message, "string_above_max_length"


def _string_too_short(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    return (
        f"Invalid '{path}': empty string. Expected a string with minimum length 1.",
        "empty_string",
    )


def _pattern(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    message = (
        f"Invalid '{path}': string does not match pattern. "
        f"Expected a string that matches the pattern '{ctx['pattern']}'."
    )
    return message, "invalid_value"


def _choice(ctx: dict[str, Any], path: str, value: Any) -> tuple[str, str]:
    expected = ctx.get("expected") or ctx.get("expected_tags", "")
    return f"Invalid value: '{_short(value)}'. Supported values are: {expected}.", "invalid_value"


_VALUE_ERRORS = {
    "too_long": _too_long,
    "string_too_long": _string_too_long,
    "string_too_short": _string_too_short,
    "string_pattern_mismatch": _pattern,
    "literal_error": _choice,
    "union_tag_invalid": _choice,
}


def _translate_value(
    kind: str, ctx: dict[str, Any], path: str, value: Any, msg: str
) -> ServiceError:
    if kind == "union_tag_invalid":  # report the bad tag itself, at `<item>.type`
        path, value = f"{path}.type", value["type"]
    if kind == "union_tag_not_found":
        path = f"{path}.type"
        return bad_request(
            f"Missing required parameter: '{path}'.", path, "missing_required_parameter"
        )
    if kind in _VALUE_ERRORS:
        message, code = _VALUE_ERRORS[kind](ctx, path, value)
        return bad_request(message, path, code)
    return bad_request(
        f"Invalid '{path}': {msg.removeprefix('Value error, ')}", path, "invalid_value"
    )


def _locate(loc: tuple[Any, ...], data: Any) -> tuple[str, Any]:
    """Follow pydantic's error location through the input.

    For a discriminated union pydantic puts the tag right after the list index
    (``tools, 0, function, ...``); that step is not in the input and is skipped.
    """
    path, value, key, indexed = "", data, None, False
    for part in loc:
        if part == "[key]":  # the error is about the key itself, e.g. a key that is too long
            value = key
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            path, value, indexed = f"{path}[{part}]", value[part], True
            continue
        elif indexed and isinstance(value, dict) and value.get("type") == part:
            pass
        elif isinstance(value, dict):
            path, value, key = f"{path}.{part}" if path else str(part), value.get(part), part
        indexed = False
    return path, value


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a decimal", str: "a string"}
    names.update({list: "an array", dict: "an object", type(None): "null"})
    return names.get(type(value), "a value")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 64 else text[:61] + "..."
