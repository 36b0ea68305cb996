"""Resource kinds, one module each, listed per dialect in dependency order."""

from __future__ import annotations

from reconciler.core.kinds.agent import AgentKind
from reconciler.core.kinds.assistant import AssistantKind
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.file import FileKind
from reconciler.core.kinds.vector_store import VectorStoreKind

KINDS: tuple[Kind, ...] = (FileKind(), AssistantKind())  # Assistants v1
FOUNDRY_KINDS: tuple[Kind, ...] = (FileKind(), VectorStoreKind(), AgentKind())
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in (*KINDS, *FOUNDRY_KINDS)}
