"""An endpoint in memory that answers at once: what is left of plan and apply is client work.

It speaks the `Dialect` protocol of `reconciler.api.dialects` with the kinds of Assistants v1,
so the real planner and applier run unchanged; every write is a dict operation. Used by
client_cpu.py to show that plan, apply, destroy and rendering grow linearly with N.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from reconciler.core.kinds import assistant as assistant_kind
from reconciler.core.kinds import file as file_kind
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LiveFile
from reconciler.core.kinds.registry import kind_named, kinds_of
from reconciler.core.plan_types import ResourceChange
from reconciler.core.state import LiveState


class MemoryDialect:
    kinds = kinds_of("assistants")

    def __init__(self) -> None:
        self.assistants: dict[str, LiveAssistant] = {}
        self.files: dict[str, LiveFile] = {}
        self.content: dict[str, str] = {}
        self._ids = itertools.count(1)

    def read_live(self) -> LiveState:
        assistants, files = tuple(self.assistants.values()), tuple(self.files.values())
        return LiveState({assistant_kind.NAME: assistants, file_kind.NAME: files})

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        found = {i: self.content[i] for i in ids if i in self.content}
        return dataclasses.replace(live, content={**live.content, **found})

    def watch(self, progress: object) -> None:
        pass  # answers at once

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        if change.action == "delete":
            assert change.id is not None
            (self.files if change.kind == "file" else self.assistants).pop(change.id)
            return change.id
        body = kind_named(change.kind).body(change, ids)
        if change.kind == "file":
            made = LiveFile(self._new("file"), body["filename"], 1, 0, "assistants")
            self.files[made.id], self.content[made.id] = made, body["sha256"]
            return made.id
        if change.id is None:
            assistant = _assistant(self._new("asst"), body)
        else:
            assistant = dataclasses.replace(self.assistants[change.id], **_fields(body))
        self.assistants[assistant.id] = assistant
        return assistant.id

    def _new(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):08d}"


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in body.items() if k != "file_ids"}
    if "tools" in fields:
        fields["tools"] = tuple(fields["tools"])
    if "file_ids" in body:
        fields["file_ids"] = tuple(body["file_ids"])
    return fields


def _assistant(assistant_id: str, body: dict[str, Any]) -> LiveAssistant:
    empty = LiveAssistant(assistant_id, 0, None, None, "", None, (), (), {})
    return dataclasses.replace(empty, **_fields(body))
