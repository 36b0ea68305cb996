"""Resource kinds, one module each; KINDS lists those of Assistants v1 in dependency order."""

from __future__ import annotations

from reconciler.core.kinds.assistant import AssistantKind
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.file import FileKind

KINDS: tuple[Kind, ...] = (FileKind(), AssistantKind())
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
