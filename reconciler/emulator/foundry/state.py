"""What the Foundry modules share: the emulator's State, the Foundry settings and namespaces.

Every object lives in the shared database under a parent that starts with the project name, so
two projects never see each other's objects and reset and ``--db`` cover them like v1's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.state import State
from reconciler.emulator.foundry.errors import not_found
from reconciler.emulator.foundry.seed import Seed

# The file types file_search ingests (OpenAI's supported list); others fail as unsupported_file.
SEARCHABLE = frozenset(
    [
        ".c",
        ".cpp",
        ".cs",
        ".css",
        ".doc",
        ".docx",
        ".go",
        ".html",
        ".java",
        ".js",
        ".json",
        ".md",
        ".pdf",
        ".php",
        ".pptx",
        ".py",
        ".rb",
        ".sh",
        ".tex",
        ".ts",
        ".txt",
    ]
)
MAX_FILE_TOKENS = 2_000_000
BYTES_PER_TOKEN = 4  # a rough English average; ingestion counts tokens as ceil(bytes / 4)


@dataclass(frozen=True)
class FoundryOptions:
    """Behaviour switches of the Foundry surface (README, "The Foundry data plane")."""

    # How long an attached file stays in_progress; 0 settles it on the next read.
    ingestion_delay_ms: int = 0
    max_file_tokens: int = MAX_FILE_TOKENS
    searchable_extensions: frozenset[str] = SEARCHABLE
    # Agent tools must name vector stores and files that exist in the project.
    check_references: bool = True
    # POST /agents with a taken name: add a version (the spec's reading) or answer 409.
    create_conflicts: bool = False
    poll_after_ms: int = 10
    # Purposes whose content GET /files/{id}/content refuses (400), as OpenAI refuses
    # `assistants` files; no spec says Azure does, so none by default.
    undownloadable: frozenset[str] = frozenset()
    # How long a new hosted agent version stays `creating` (hosting.py); 0: the next read.
    hosted_start_ms: int = 0
    # Images whose hosted versions fail to start (`failed`, with an error): the failure fault.
    hosted_fail_images: frozenset[str] = frozenset()
    # The registry stand-in (registry.py): image `registry/repository:tag` -> its digest.
    registry: tuple[tuple[str, str], ...] = ()
    # Each project's connections and deployments (seed.py); the demo catalog by default.
    resources: Seed = field(default_factory=Seed)


@dataclass
class Foundry:
    """One request's view: the shared state, the Foundry settings and the project."""

    state: State
    options: FoundryOptions = field(default_factory=FoundryOptions)
    project: str = ""

    def at(self, project: str) -> Foundry:
        return Foundry(self.state, self.options, project)

    def now(self) -> int:
        return self.state.now()

    def now_ms(self) -> int:
        return int(self.state.clock() * 1000)

    def scope(self, *parts: str) -> str:
        """The parent key of objects under this project (and, nested, under parts)."""
        return "/".join([self.project, *parts])

    def require(self, kind: str, parent: str, object_id: str, what: str) -> Json:
        found = self.state.db.get(kind, parent, object_id)
        if found is None:
            raise not_found(what, object_id)
        return found
