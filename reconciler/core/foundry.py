"""Types of the Foundry agents dialect: prompt agents as declared and as served, and vector stores.

Pure data. An agent is named (its Foundry name is its logical name, the stable key) and has
immutable versions; the reconciler compares the desired definition with the latest version and
writes a new version only when they differ. Knowledge (the files a file_search tool declares) is
gathered in a content-addressed vector store that agents share when their knowledge is equal.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.core.model import DesiredFile
from reconciler.diagnostics import Location

# A store's name carries the hash of what it holds (its files' SHA-256s and the chunking), so
# equal knowledge is one store and a change of knowledge is a new store.
STORE_PREFIX = "knowledge/sha256-"  # "/" is never in an upload name: no clash with files
STORE_HASH = 12
NOWHERE = Location("")


def store_name(file_shas: tuple[str, ...], chunking: dict[str, Any] | None) -> str:
    content = json.dumps({"files": sorted(set(file_shas)), "chunking": chunking}, sort_keys=True)
    return f"{STORE_PREFIX}{hashlib.sha256(content.encode()).hexdigest()[:STORE_HASH]}"


@dataclass(frozen=True)
class Knowledge:
    """A vector store a tool declares: its files (SHA-256s) and chunking, named by their hash."""

    files: tuple[str, ...]
    chunking: dict[str, Any] | None = None  # the store's chunking_strategy; None: the service's

    @property
    def name(self) -> str:
        return store_name(self.files, self.chunking)


class DesiredTool(Protocol):
    """One tool as declared, resolved for an environment (its module is in core/tools/)."""

    @property
    def type(self) -> str: ...

    def essence(self, files: dict[str, DesiredFile]) -> dict[str, Any]:
        """The wire shape, with upload and store names where the wire has ids."""
        ...

    def knowledge(self) -> tuple[Knowledge, ...]:
        """The vector stores it searches, built from declared files."""
        ...


@dataclass(frozen=True)
class DesiredAgent:
    """One prompt agent as its latest version should be, fully resolved for one environment.

    `tools` are tool objects in declaration order; each writes its own wire shape, with names
    where the wire has ids (the agent kind swaps in the ids of uploads and stores).
    """

    name: str
    model: str
    description: str | None = None
    instructions: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    text: dict[str, Any] | None = None  # {"format": {...}} as the API takes it
    tools: tuple[DesiredTool, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    ignore_changes: tuple[str, ...] = ()
    import_id: str | None = None  # an existing agent (by name) that no project manages, to adopt
    location: Location = NOWHERE

    @property
    def address(self) -> str:
        return f"agent.{self.name}"

    @property
    def knowledge(self) -> tuple[Knowledge, ...]:
        """The vector stores its tools search."""
        return tuple(k for tool in self.tools for k in tool.knowledge())


@dataclass(frozen=True)
class LiveAgent:
    """An agent as the API returns it: its name and its latest version."""

    name: str
    version: str  # "1", "2", ...
    created_at: int
    description: str | None
    definition: dict[str, Any]
    metadata: dict[str, str]


@dataclass(frozen=True)
class LiveVectorStore:
    id: str
    name: str | None
    created_at: int
    status: str  # in_progress | completed | expired
    metadata: dict[str, str]
    # The files it holds. Listed up front only for stores named as ours; None: not read yet, and
    # the planner asks for the list before it deletes any file (one list per such store).
    file_ids: tuple[str, ...] | None = None
    failed: int = 0  # files whose ingestion failed
