"""Conversation items as the service stores them, made from the input items a client sends.

A client sends Responses input items (openai 3.x `ResponseInputItemParam`): an easy message
(`{"role", "content"}`, content a string or a list of parts, `type` optional), a
`function_call` or a `function_call_output`. The service answers each as an item with its own
id (`msg_`, `fc_`, `fco_`) and `status: completed`, a string content turned into one part:
`input_text` for what the user, system or developer said, `output_text` for the assistant.
Other item types are a 400 naming the item, not stored half-understood.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.state import new_id

MAX_ITEMS = 20  # "You may add up to 20 items at a time."
ROLES = ("user", "assistant", "system", "developer")
PREFIXES = {"message": "msg_", "function_call": "fc_", "function_call_output": "fco_"}
_TYPES = ", ".join(f"'{kind}'" for kind in PREFIXES)


def stored_items(raw: Any, param: str) -> list[Json]:
    """The items a create sends (`param` names the list in errors), as they will be stored."""
    if not isinstance(raw, list):
        raise bad_request(f"Invalid type for '{param}': expected an array.", param, "invalid_type")
    if len(raw) > MAX_ITEMS:
        message = (
            f"Invalid '{param}': array too long. Expected an array with maximum length "
            f"{MAX_ITEMS}, but got an array with length {len(raw)} instead."
        )
        raise bad_request(message, param, "array_above_max_length")
    return [stored_item(item, f"{param}[{index}]") for index, item in enumerate(raw)]


def stored_item(raw: Any, where: str) -> Json:
    if not isinstance(raw, dict):
        raise bad_request(f"Invalid type for '{where}': expected an object.", where, "invalid_type")
    kind = raw.get("type", "message")
    if not isinstance(kind, str) or kind not in PREFIXES:
        message = f"Invalid value: '{str(kind)[:64]}'. Supported values are: {_TYPES}."
        raise bad_request(message, f"{where}.type", "invalid_value")
    shaped = _message(raw, where) if kind == "message" else _call(raw, kind, where)
    return {"id": new_id(PREFIXES[kind]), "type": kind, "status": "completed", **shaped}


def _message(raw: Json, where: str) -> Json:
    role = raw.get("role")
    if role not in ROLES:
        supported = ", ".join(f"'{name}'" for name in ROLES)
        message = f"Invalid value: '{str(role)[:64]}'. Supported values are: {supported}."
        raise bad_request(message, f"{where}.role", "invalid_value")
    content = raw.get("content")
    if isinstance(content, str):
        part = "output_text" if role == "assistant" else "input_text"
        content = [{"type": part, "text": content}]
    if not isinstance(content, list) or not all(_is_part(part) for part in content):
        message = f"Invalid '{where}.content': expected a string or an array of content parts."
        raise bad_request(message, f"{where}.content", "invalid_type")
    return {"role": role, "content": [_part(part) for part in content]}


def _is_part(part: Any) -> bool:
    return isinstance(part, dict) and isinstance(part.get("type"), str)


def _part(part: Json) -> Json:
    # The service answers output text with its annotations, empty when the client sent none.
    if part["type"] == "output_text":
        return {"annotations": [], "logprobs": [], **part}
    return dict(part)


def _call(raw: Json, kind: str, where: str) -> Json:
    needed = ("call_id", "name", "arguments") if kind == "function_call" else ("call_id", "output")
    for name in needed:
        if name not in raw:
            message = f"Missing required parameter: '{where}.{name}'."
            raise bad_request(message, f"{where}.{name}", "missing_required_parameter")
    for name in ("call_id", "name", "arguments"):
        if name in raw and not isinstance(raw[name], str):
            message = f"Invalid type for '{where}.{name}': expected a string."
            raise bad_request(message, f"{where}.{name}", "invalid_type")
    if not isinstance(raw.get("output", ""), str | list):
        message = f"Invalid type for '{where}.output': expected a string or an array."
        raise bad_request(message, f"{where}.output", "invalid_type")
    return {name: raw[name] for name in needed}
