"""The assistant kind's name, the keys of its objects in the desired and the live state, and
which live assistants are ours."""

from __future__ import annotations

from reconciler.core.kinds.assistant.types import DesiredAssistant, LiveAssistant
from reconciler.core.marks import read_marks
from reconciler.core.state import Key

NAME = "assistant"
DESIRED: Key[DesiredAssistant] = Key(NAME)
LIVE: Key[LiveAssistant] = Key(NAME)


def owned_copies(
    assistants: tuple[LiveAssistant, ...], owner: str
) -> dict[str, list[LiveAssistant]]:
    """Our assistants by logical name, oldest first (ties keep the list's creation order)."""
    owned: dict[str, list[LiveAssistant]] = {}
    for assistant in sorted(assistants, key=lambda a: a.created_at):
        marks = read_marks(assistant.metadata)
        if marks is not None and marks.owner == owner:
            owned.setdefault(marks.name, []).append(assistant)
    return owned
