"""A `kind: Agent` document (interpolated) -> a DesiredAgent, or every problem with its location.

Declared files go through the project's FileCatalog, as for assistants: the same bytes are one
file wherever they are declared; each tool's type (core/tools/) turns its declaration into its
tool object, asking for its files, which it holds by SHA-256.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.config.agent_doc import (
    AgentDoc,
    JsonSchemaFormatDoc,
    agent_doc,
    definition_settings,
)
from reconciler.config.agent_limits import check_agent
from reconciler.config.claims import agent_duplicates, shared_agent_names
from reconciler.config.content import FileCatalog, FileProblem, read_declared_text, unreadable
from reconciler.config.document import check_document, partial_document
from reconciler.config.limits import schema_error
from reconciler.config.loader import Request
from reconciler.config.located import Document
from reconciler.config.tool_reads import ToolReads
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.model import Path as At
from reconciler.core.state import DesiredState
from reconciler.core.tools.base import DesiredTool, Resolve
from reconciler.core.tools.registry import TOOL_TYPES
from reconciler.diagnostics import Diagnostic


class AgentLoader:
    """The loader of the Foundry prompt agent manifest kind."""

    kind = "Agent"

    @property
    def document(self) -> type[AgentDoc]:
        return agent_doc()  # with the tool types registered now

    def resolve(self, request: Request) -> tuple[DesiredAgent | None, list[Diagnostic]]:
        where = AgentSource(request.source, request.directory, request.environment.name)
        return resolve_agent(where, request.catalog, request.files)

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return agent_duplicates(objects)

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        return shared_agent_names(states)

    def wrong_api(self, environment: Environment) -> str:
        return (
            f"kind: {self.kind} is a Foundry agent, and environment {environment.name!r} has api: "
            f"{environment.api}: set api: foundry on it (and a Foundry project endpoint)"
        )


@dataclass(frozen=True)
class AgentSource:
    """One interpolated `kind: Agent` document, where it lives and the environment it is for."""

    source: Document
    directory: Path
    environment: str


def resolve_agent(
    agent: AgentSource, catalog: FileCatalog, files: dict[str, DesiredFile]
) -> tuple[DesiredAgent | None, list[Diagnostic]]:
    """The agent, its declared files added to `files` (by SHA-256), or its problems."""
    doc, problems = check_document(agent_doc(), agent.source)
    if doc is None:  # what else is wrong, said in the same run
        partial = partial_document(agent_doc(), agent.source)
        later = [] if partial is None else _resolved(agent, catalog, {}, partial)[1]
        return None, sorted(set(problems + later))
    return _resolved(agent, catalog, files, doc)


def _resolved(
    agent: AgentSource, catalog: FileCatalog, files: dict[str, DesiredFile], doc: AgentDoc
) -> tuple[DesiredAgent | None, list[Diagnostic]]:
    reader = _Reader(agent, catalog)
    instructions = reader.instructions(doc)
    text = reader.text(doc)
    where = agent.source.locate
    problems = [Diagnostic(where(p), m) for p, m in check_agent(doc, instructions)]
    tools = reader.tools(doc)
    problems += reader.problems
    files.update((f.sha256, f) for f in reader.declared if f.sha256 not in files)
    import_id = doc.import_id
    adopted = import_id.get(agent.environment) if isinstance(import_id, dict) else import_id
    if adopted is not None and adopted != doc.name:
        at = ("import_id", agent.environment) if isinstance(import_id, dict) else ("import_id",)
        problems.append(Diagnostic(where(at), _renaming(adopted, doc.name)))
    desired = DesiredAgent(
        name=doc.name,
        model=doc.model,
        description=doc.description,
        instructions=instructions,
        temperature=doc.temperature,
        top_p=doc.top_p,
        text=text,
        **definition_settings(doc),
        tools=tools,
        metadata=dict(doc.metadata),
        prevent_destroy=doc.lifecycle.prevent_destroy,
        ignore_changes=tuple(doc.lifecycle.ignore_changes),
        retention=doc.lifecycle.retention,
        import_id=adopted,
        location=where(("name",)),
    )
    return desired, problems


def _renaming(adopted: str, name: str) -> str:
    return (
        f"import_id names agent {adopted!r}, but this manifest is agent {name!r}: a Foundry agent "
        f"cannot be renamed, so it is adopted under its own name. Set name: {adopted}."
    )


class _Reader:
    """Reads what an agent's manifest names on disk, gathering the problems."""

    def __init__(self, agent: AgentSource, catalog: FileCatalog) -> None:
        self.agent, self.catalog = agent, catalog
        self.problems: list[Diagnostic] = []
        self.declared: list[DesiredFile] = []  # the files the tools read, as declared

    def instructions(self, doc: AgentDoc) -> str | None:
        if doc.instructions_file is None:
            return doc.instructions
        where = self.agent.source.locate(("instructions_file",))
        text, found = read_declared_text(
            self.catalog, self.agent.directory, doc.instructions_file, "instructions_file", where
        )
        self.problems += found
        return text

    def text(self, doc: AgentDoc) -> dict[str, Any] | None:
        if doc.text is None:
            return None
        form = doc.text.format
        if not isinstance(form, JsonSchemaFormatDoc):
            return {"format": {"type": form.type}}
        wire: dict[str, Any] = {"type": "json_schema", "name": form.name}
        if form.description is not None:
            wire["description"] = form.description
        schema = form.schema_ if form.schema_file is None else self._schema_file(form.schema_file)
        wire["schema"] = schema
        if form.strict is not None:
            wire["strict"] = form.strict
        return {"format": wire}

    def _schema_file(self, declared: str) -> dict[str, Any] | None:
        where = self.agent.source.locate(("text", "format", "schema_file"))
        text, found = read_declared_text(
            self.catalog, self.agent.directory, declared, "schema_file", where
        )
        self.problems += found
        if text is None:
            return None
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as error:
            at = f"line {error.lineno} column {error.colno}"
            self.problems.append(
                Diagnostic(where, f"schema_file {declared!r} is not JSON ({at}: {error.msg})")
            )
            return None
        if not isinstance(schema, dict):
            message = f"schema_file {declared!r} must hold a JSON object (a JSON Schema)"
            self.problems.append(Diagnostic(where, message))
            return None
        if found_error := schema_error(schema, f"schema_file {declared!r}"):
            self.problems.append(Diagnostic(where, found_error[1]))
        return schema

    def tools(self, doc: AgentDoc) -> tuple[DesiredTool, ...]:
        """Each tool's object, its files read (by SHA-256) where its type asks for them."""
        return tuple(
            TOOL_TYPES[tool.type].desired(tool, self._resolver(index, tool.type))
            for index, tool in enumerate(doc.tools)
        )

    def _resolver(self, index: int, tool: str) -> Resolve:
        def resolve(
            entries: Sequence[str], at: At, limit: int, reads: frozenset[str]
        ) -> tuple[str, ...]:
            found = self._files(entries, ("tools", index, *at), (tool, reads), limit)
            self.declared += found
            return tuple(dict.fromkeys(f.sha256 for f in found))

        where = (self.agent.directory, self.catalog)
        reads = ToolReads(resolve, self.agent.source, where, ("tools", index))
        reads.problems = self.problems  # one list: the agent's problems, in order
        return reads

    def _files(
        self, entries: Sequence[str], at: At, reader: tuple[str, frozenset[str]], limit: int
    ) -> list[DesiredFile]:
        tool, reads = reader
        declared: list[DesiredFile] = []
        spelled: dict[str, str] = {}  # the file's path in the project -> how it was first written
        for position, entry in enumerate(entries):
            where = self.agent.source.locate((*at, position))
            try:
                declared.append(self.catalog.describe(self.agent.directory, entry))
            except FileProblem as problem:
                self.problems.append(Diagnostic(where, str(problem)))
                continue
            first = spelled.setdefault(declared[-1].path, entry)
            if first != entry:  # the same spelling twice is agent_limits.py's "listed twice"
                again = f"file {entry!r} is {first!r} again, spelled another way: list it once"
                self.problems.append(Diagnostic(where, again))
            if message := unreadable(entry, {tool: reads}):
                self.problems.append(Diagnostic(where, message))
        if (distinct := len({f.sha256 for f in declared})) > limit:
            message = f"{distinct} distinct files declared; {tool} takes at most {limit}"
            where = self.agent.source.locate(at)
            self.problems.append(Diagnostic(where, message))
        return declared
