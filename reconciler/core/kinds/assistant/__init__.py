"""The assistant kind (Assistants v1): its types, its planning (kind.py) and its rules."""

from reconciler.core.kinds.assistant.keys import DESIRED, LIVE, NAME, owned_copies
from reconciler.core.kinds.assistant.kind import AssistantKind
from reconciler.core.kinds.assistant.types import DesiredAssistant, LiveAssistant

__all__ = [
    "DESIRED",
    "LIVE",
    "NAME",
    "AssistantKind",
    "DesiredAssistant",
    "LiveAssistant",
    "owned_copies",
]
