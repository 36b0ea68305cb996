"""Arguments for an emulated function call: JSON that satisfies the function's `parameters`.

A program that reads its arguments (``args["city"]``) must get a value of the declared type, so
every required property is filled: strings from the last user message (the same input
gives the same arguments), enums with their first member, numbers within their bounds, arrays
with as many items as they need, `$ref`, `allOf` and the first branch of `anyOf`/`oneOf`
followed. Optional properties are left out, as a model leaves out what the input does not
mention: filled, they handed the message text back to programs as, say, `file_ids`.
Constraints no simple value meets (`pattern`, `not`) are not attempted: the run still goes on,
as a model's call would.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 8
# Caps, since a schema is the caller's: `minItems: 1e9`, `minLength: 1e9` or wide nesting must
# not make the emulator build gigabytes. Past them a value may not satisfy the schema.
MAX_ITEMS = 16
MAX_LENGTH = 4096
MAX_VALUES = 2000
FORMATS = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def arguments(parameters: dict[str, Any], text: str) -> str:
    """The call's `arguments` string: a JSON object for the parameters schema."""
    value = Example(parameters, text).of(parameters, 0)
    return json.dumps(value if isinstance(value, dict) else {}, ensure_ascii=False)


class Example:
    """Builds one value per schema node; `root` resolves local `$ref`s."""

    def __init__(self, root: dict[str, Any], text: str) -> None:
        self.root, self.text, self.budget = root, text, MAX_VALUES

    def of(self, schema: Any, depth: int) -> Any:
        self.budget -= 1
        if depth > MAX_DEPTH or self.budget < 0:
            return None
        if not isinstance(schema, dict):  # `true` and `false` are schemas too
            return self.text
        schema = self._resolve(schema, depth)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        kind = _kind(schema)
        maker = getattr(self, f"_{kind}", None)
        return maker(schema, depth) if maker else None

    def _resolve(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:  # `{"$ref": "#"}` refers to itself
            return {"type": "null"}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            target: Any = self.root
            for part in ref.lstrip("#").strip("/").split("/") if ref != "#" else []:
                target = target.get(part, {}) if isinstance(target, dict) else {}
            return self._resolve(target, depth + 1) if isinstance(target, dict) else {}
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and isinstance(branches[0], dict):
                rest = {k: v for k, v in schema.items() if k != key}
                return _merge(rest, self._resolve(branches[0], depth + 1))
        parts = schema.get("allOf")
        if isinstance(parts, list):
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in parts:
                if isinstance(part, dict):
                    merged = _merge(merged, self._resolve(part, depth + 1))
            return merged
        return schema

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        required = schema.get("required")
        names = [n for n in required if isinstance(n, str)] if isinstance(required, list) else []
        names = list(dict.fromkeys(names))  # a name listed twice is one property
        properties = schema.get("properties")
        props = properties if isinstance(properties, dict) else {}
        return {str(n): self.of(props.get(n, {"type": "string"}), depth + 1) for n in names}

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        count = min(max(1, _int(schema.get("minItems"), 1)), MAX_ITEMS)
        item = schema.get("items", {"type": "string"})
        if isinstance(item, list):  # tuple form of older drafts
            return [self.of(i, depth + 1) for i in item]
        return [self.of(item, depth + 1) for _ in range(count)]

    def _string(self, schema: dict[str, Any], depth: int) -> str:
        value = FORMATS.get(str(schema.get("format")), self.text or "text")
        value = value.ljust(min(_int(schema.get("minLength"), 0), MAX_LENGTH), "x")
        maximum = schema.get("maxLength")
        return value[:maximum] if isinstance(maximum, int) else value

    def _integer(self, schema: dict[str, Any], depth: int) -> int:
        return int(_number_within(schema, step=1))

    def _number(self, schema: dict[str, Any], depth: int) -> float:
        return float(_number_within(schema, step=0.5))

    def _boolean(self, schema: dict[str, Any], depth: int) -> bool:
        return True

    def _null(self, schema: dict[str, Any], depth: int) -> None:
        return None


def _kind(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), "null")
    if isinstance(declared, str):
        return declared
    if "properties" in schema or "required" in schema:
        return "object"
    return "array" if "items" in schema else "string"


def _number_within(schema: dict[str, Any], step: float) -> float:
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    # Draft 4 writes exclusive bounds as booleans beside minimum/maximum; later drafts as numbers.
    if exclusive_low is True and isinstance(low, int | float):
        low += step
    elif isinstance(exclusive_low, int | float) and not isinstance(exclusive_low, bool):
        low = exclusive_low + step
    if exclusive_high is True and isinstance(high, int | float):
        high -= step
    elif isinstance(exclusive_high, int | float) and not isinstance(exclusive_high, bool):
        high = exclusive_high - step
    value = low if isinstance(low, int | float) else 1
    if isinstance(high, int | float) and value > high:
        value = high
    multiple = schema.get("multipleOf")
    if isinstance(multiple, int | float) and multiple > 0:
        value = multiple * -(-value // multiple)
    return value


def _int(value: Any, fallback: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def _merge(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    merged = {**left, **right}
    if isinstance(left.get("properties"), dict) and isinstance(right.get("properties"), dict):
        merged["properties"] = {**left["properties"], **right["properties"]}
    if isinstance(left.get("required"), list) and isinstance(right.get("required"), list):
        merged["required"] = [*left["required"], *right["required"]]
    return merged
