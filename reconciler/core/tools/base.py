"""What a tool type owns, so that a new type of agent tool is one module and one registry line.

A tool type is one object (see `ToolType`): its manifest model and the checks on it, the tool
object a declaration resolves into (`core.foundry.DesiredTool`), and the rules on its wire shape:
the ids swapped in for names, the names read back from ids, what it references and holds, the
fields the service fills in, and the manifest an import drafts from it. The agent kind, the store
and file kinds, config and import loop over the registry (registry.py) and never branch on a
tool's type. References are addresses: `file.<upload name>`, `vector_store.<store name>`, and
`connection.<name>` for a project connection a tool names (resolved per environment).

Connections: a tool's essence holds the connection's *name* where the wire has its id (for
example `project_connection_id: bing`), so that environments whose ids differ hold the same
agent. `with_ids` swaps in the id from `ids[f"connection.{name}"]`; `named` swaps a live id back
through `Names.connections` (id -> name); `references` returns `connection.<name>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from reconciler.core.kinds.vector_store import store_name
from reconciler.core.model import DesiredFile, Path


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


Wire = dict[str, Any]  # one tool as the API takes and returns it


@dataclass(frozen=True)
class AsWritten:
    """A tool declared verbatim: its wire shape as written (ids as they are), compared as data."""

    wire: Wire

    @property
    def type(self) -> str:
        return str(self.wire.get("type"))

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        return self.wire

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


Problem = tuple[Path, str]  # a path relative to the tool, and what is wrong there


class Resolve(Protocol):
    """What a tool's declaration reads through config (the disk, the process environment), each
    problem reported at `at`, a path relative to the tool."""

    def __call__(
        self, entries: Sequence[str], at: Path, limit: int, reads: frozenset[str]
    ) -> tuple[str, ...]:
        """Declared files (paths relative to the manifest) -> their SHA-256s, distinct, in
        order; `limit` is the most distinct files the tool takes, `reads` the extensions it reads."""
        ...

    def document(self, entry: str, at: Path) -> Any:
        """The content of a JSON or YAML file in the repository (None: a problem was reported)."""
        ...

    def secret(self, name: str, at: Path) -> str | None:
        """The value of a process environment variable (None: unset, a problem was reported)."""
        ...

    def problem(self, at: Path, message: str) -> None:
        """Report what is wrong with what the tool read."""
        ...


class StrictDoc(BaseModel):
    """Base of the models in a tool's manifest entry: unknown keys are errors, values are not
    coerced (as config/document.py Strict)."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class ToolDoc(StrictDoc):
    """Base of a tool's manifest model; a type narrows `type` to `Literal["its name"]`."""

    type: str


class Checks(Protocol):
    """Checks config owns (shared with Assistants v1) that a tool type may call: the module
    config/limits.py is one."""

    def check_function(
        self,
        path: Path,
        name: str,
        description: str | None,
        parameters: dict[str, object] | None,
        seen: set[str],
    ) -> list[Problem]: ...

    def schema_error(self, schema: dict[str, object], label: str = ...) -> Problem | None: ...


@dataclass(frozen=True)
class Names:
    """What the live state calls the ids a tool holds: uploads and our ready stores."""

    files: Mapping[str, str]  # file id -> its upload name
    stores: Mapping[str, str]  # store id -> its name (ready stores of ours only)
    connections: Mapping[str, str] = field(default_factory=dict)  # connection id -> its name


@dataclass(frozen=True)
class Held:
    """The ids of what a live tool holds: uploads and vector stores, each once, in order."""

    files: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # addresses of other objects it uses: `toolbox.<name>`


@dataclass
class Drafting:
    """What an import knows while it drafts one agent's tools, and what it has to say."""

    agent: str
    filenames: Mapping[str, str]  # file id -> its name, every file of the project
    stores: Mapping[str, dict[str, Any]]  # store id -> the store, every store of the project
    store_files: Mapping[str, list[dict[str, Any]]]  # store id -> its files (those searched)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class V1Tools:
    """An Assistants v1 assistant's tools and files, as migration to an agent reads them."""

    types: frozenset[str]  # code_interpreter, retrieval, function
    functions: tuple[dict[str, Any], ...]  # each {name, description?, parameters?}
    files: tuple[str, ...]  # paths as written
    notes: list[str] = field(default_factory=list)


class ToolType(Protocol):
    """One type of agent tool. `ToolBase` gives the defaults of a tool without references."""

    @property
    def name(self) -> str:
        """Its `type`, on the wire and in manifests."""
        ...

    @property
    def doc(self) -> type[ToolDoc]:
        """Its manifest model, with `type: Literal[name]`."""
        ...

    @property
    def single(self) -> bool:
        """At most one per agent (one container, one store)."""
        ...

    @property
    def computed(self) -> tuple[str, ...]:
        """Fields the service fills in when the manifest is silent: any value is taken then."""
        ...

    def key(self, tool: Wire) -> str:
        """What tells its tools apart within an agent (a function's name, an MCP server's
        label): tools sort by type and key, and each live tool is compared with the declared
        one of its key."""
        ...

    def check(self, doc: Any, checks: Checks, seen: set[str]) -> list[Problem]:
        """What is wrong with its (validated) manifest entry, at paths relative to the entry;
        `seen` holds the names the agent's tools took so far (function names)."""
        ...

    def desired(self, doc: Any, resolve: Resolve) -> DesiredTool:
        """The tool object for its manifest entry, its files read through `resolve`."""
        ...

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        """Its planned wire shape (names) as sent: the ids of uploads and stores by name."""
        ...

    def named(self, tool: Wire, names: Names) -> Wire:
        """A live tool as the plan compares it: names where the wire has ids, nulls dropped."""
        ...

    def references(self, tool: Wire) -> set[str]:
        """The addresses a planned (or named) tool points at: `file.`, `vector_store.`,
        `connection.` and a name (or a bare id, when the live object has no name of ours)."""
        ...

    def held(self, tool: Wire) -> Held:
        """The uploads and stores a live tool holds, by id (so that none is deleted in use)."""
        ...

    def files(self, tool: Wire, drafting: Drafting) -> list[str]:
        """The ids of the uploads an import downloads for it."""
        ...

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        """Its manifest entry, files by the paths they are downloaded to (id -> path)."""
        ...

    def verbatim(self, tool: Wire, drafting: Drafting) -> Wire:
        """What an import writes under a `type: verbatim` entry when its typed entry cannot
        express the live tool: the wire as data, connections by name and secrets by variable
        where the typed entry writes them so."""
        ...

    def loose(self, tool: Wire, resolve: Resolve) -> DesiredTool:
        """The tool object for a `type: verbatim` entry of this type: `tool` as written,
        unchecked, read back as `verbatim` wrote it (connections by name, secrets by variable)."""
        ...

    def migrate(self, v1: V1Tools) -> list[dict[str, Any]]:
        """Its manifest entries for what a v1 assistant had (`reconciler migrate`)."""
        ...


def present(tool: Wire) -> Wire:
    """The tool without the fields set to null (an absent field and a null one are one)."""
    return {k: v for k, v in tool.items() if v is not None}


class ToolBase:
    """Defaults for a tool type that holds and references nothing: the wire is the manifest."""

    single = False
    computed: tuple[str, ...] = ()

    def key(self, tool: Wire) -> str:
        return str(tool.get("name", ""))

    def check(self, doc: Any, checks: Checks, seen: set[str]) -> list[Problem]:
        return []

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        return tool

    def named(self, tool: Wire, names: Names) -> Wire:
        return present(tool)

    def references(self, tool: Wire) -> set[str]:
        return set()

    def held(self, tool: Wire) -> Held:
        return Held()

    def files(self, tool: Wire, drafting: Drafting) -> list[str]:
        return []

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        return dict(tool)

    def verbatim(self, tool: Wire, drafting: Drafting) -> Wire:
        return present(tool)

    def loose(self, tool: Wire, resolve: Resolve) -> DesiredTool:
        return AsWritten(present(tool))

    def migrate(self, v1: V1Tools) -> list[dict[str, Any]]:
        return []


def listed_twice(entries: Sequence[str]) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        if entry in seen:
            problems.append((("files", index), f"file {entry!r} is listed twice"))
        seen.add(entry)
    return problems
