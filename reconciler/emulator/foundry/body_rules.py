"""What OpenAI-style bodies of the Foundry data plane share (conversations, evals, their runs,
evaluation rules): only known fields, OpenAI's metadata rule (at most 16 pairs, string keys up
to 64 characters, string values up to 512), and the "not found" of an object by its id."""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import NotFoundError, bad_request

MAX_PAIRS, MAX_KEY, MAX_VALUE = 16, 64, 512


def fields(raw: Any, allowed: tuple[str, ...]) -> Json:
    """The body as an object of known fields; anything else is a 400 naming it."""
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for request body: expected an object.", None, "invalid_type"
        )
    for name in raw:
        if name not in allowed:
            raise bad_request(
                f"Unknown parameter: '{str(name)[:64]}'.", str(name)[:64], "unknown_parameter"
            )
    return raw


def check_metadata(raw: Any) -> dict[str, str]:
    """OpenAI's metadata rule (16 pairs, keys <= 64, string values <= 512); null is {}."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for 'metadata': expected an object.", "metadata", "invalid_type"
        )
    if len(raw) > MAX_PAIRS:
        message = f"Invalid 'metadata': too many properties. Expected at most {MAX_PAIRS}, but got {len(raw)}."
        raise bad_request(message, "metadata", "object_above_max_properties")
    for key, value in raw.items():
        if len(key) > MAX_KEY:
            message = (
                f"Invalid 'metadata': key '{key[:MAX_KEY]}...' is longer than {MAX_KEY} characters."
            )
            raise bad_request(message, "metadata", "invalid_value")
        if not isinstance(value, str) or len(value) > MAX_VALUE:
            message = (
                f"Invalid 'metadata.{key}': expected a string of at most {MAX_VALUE} characters."
            )
            raise bad_request(message, f"metadata.{key}", "invalid_value")
    return dict(raw)


def not_found(what: str, object_id: str) -> NotFoundError:
    error = NotFoundError(f"{what} with id '{object_id[:128]}' not found.")
    error.code = "not_found"
    return error
