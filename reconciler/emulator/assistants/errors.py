"""The Assistants service's 404s: one message per kind of object, as Azure words them.

The error classes are the shared ones (core/errors.py); only the wording is this family's.
"""

from __future__ import annotations

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import NotFoundError
from reconciler.emulator.core.state import State

NOT_FOUND_MESSAGES = {
    "assistant": "No assistant found with id '{}'.",
    "file": "No such File object: {}",
    "thread": "No thread found with id '{}'.",
    "message": "No message found with id '{}'.",
    "run": "No run found with id '{}'.",
    "step": "No run step found with id '{}'.",
}


def not_found(kind: str, object_id: str) -> NotFoundError:
    return NotFoundError(NOT_FOUND_MESSAGES[kind].format(object_id))


def require(state: State, kind: str, parent: str, object_id: str) -> Json:
    """The object, or the service's 404 for it."""
    found = state.db.get(kind, parent, object_id)
    if found is None:
        raise not_found(kind, object_id)
    return found
