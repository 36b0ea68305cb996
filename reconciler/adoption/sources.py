"""What `import` reads, one source module per API family, registered here by the family it reads
(an environment's `api`). A new family's import is its source module plus one line."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from reconciler.adoption.agents import Agents
from reconciler.adoption.assistants import Assistants
from reconciler.adoption.draft import Draft, Target
from reconciler.adoption.foundry_import import FoundryImports
from reconciler.api.retry import RetryPolicy


class Source(Protocol):
    """What import reads from one API family: its objects, listed, drafted and downloaded."""

    noun: str  # "assistant", "agent"
    adoption: str  # what the next apply does to each, in words

    def listing(self, directory: Path) -> list[str]: ...

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]: ...

    def download_file(self, file_id: str) -> bytes: ...


class SourceType(Protocol):
    api: str
    folder: str

    def opened(
        self, directory: Path, target: Target, retry: RetryPolicy
    ) -> AbstractContextManager[Source]: ...


SOURCES: dict[str, SourceType] = {source.api: source for source in (Assistants, Agents)}
SOURCES[FoundryImports.api] = FoundryImports  # issue 25: a project's agents and toolboxes


def source_of(target: Target) -> SourceType:
    return SOURCES[target.environment.api]
