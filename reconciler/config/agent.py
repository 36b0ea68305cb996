"""A `kind: Agent` document (interpolated) -> a DesiredAgent, or every problem with its location.

Declared files go through the project's FileCatalog, as for assistants: the same bytes are one
file wherever they are declared; code_interpreter files become the agent's code_files and
file_search files its knowledge, both by SHA-256.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconciler.config.agent_doc import (
    AgentCodeInterpreterDoc,
    AgentDoc,
    AgentFileSearchDoc,
    AgentFunctionDoc,
    JsonSchemaFormatDoc,
)
from reconciler.config.agent_limits import check_agent
from reconciler.config.claims import agent_duplicates, shared_agent_names
from reconciler.config.content import FileCatalog, FileProblem, read_declared_text, type_problem
from reconciler.config.document import check_document
from reconciler.config.limits import FILES_MAX, schema_error
from reconciler.config.located import Document
from reconciler.core.foundry import DesiredAgent
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic

if TYPE_CHECKING:
    from reconciler.config.manifest_kinds import Request

EMPTY_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}
KNOWLEDGE_MAX = 10_000  # files per vector store (FOUNDRY-FACTS 4)


class AgentLoader:
    """The loader of the Foundry prompt agent manifest kind."""

    kind = "Agent"
    document = AgentDoc

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
    doc, problems = check_document(AgentDoc, agent.source)
    if doc is None:
        return None, problems
    reader = _Reader(agent, catalog)
    instructions = reader.instructions(doc)
    text = reader.text(doc)
    where = agent.source.locate
    problems = [Diagnostic(where(p), m) for p, m in check_agent(doc, instructions)]
    code, knowledge = reader.tool_files(doc)
    problems += reader.problems
    files.update((f.sha256, f) for f in code + knowledge if f.sha256 not in files)
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
        tools=tuple(_function(t) for t in doc.tools if isinstance(t, AgentFunctionDoc)),
        code_interpreter=any(isinstance(t, AgentCodeInterpreterDoc) for t in doc.tools),
        code_files=tuple(dict.fromkeys(f.sha256 for f in code)),
        file_search=any(isinstance(t, AgentFileSearchDoc) for t in doc.tools),
        knowledge=tuple(dict.fromkeys(f.sha256 for f in knowledge)),
        max_num_results=getattr(_search(doc), "max_num_results", None),
        chunking=_chunking(doc),
        metadata=dict(doc.metadata),
        prevent_destroy=doc.lifecycle.prevent_destroy,
        ignore_changes=tuple(doc.lifecycle.ignore_changes),
        import_id=adopted,
        location=where(("name",)),
    )
    return desired, problems


def _renaming(adopted: str, name: str) -> str:
    return (
        f"import_id names agent {adopted!r}, but this manifest is agent {name!r}: a Foundry agent "
        f"cannot be renamed, so it is adopted under its own name. Set name: {adopted}."
    )


def _function(tool: AgentFunctionDoc) -> dict[str, Any]:
    """The wire form: Foundry requires parameters, so a function without any takes none."""
    wire: dict[str, Any] = {"type": "function", "name": tool.name}
    if tool.description is not None:
        wire["description"] = tool.description
    wire["parameters"] = tool.parameters if tool.parameters is not None else EMPTY_PARAMETERS
    if tool.strict is not None:
        wire["strict"] = tool.strict
    return wire


def _search(doc: AgentDoc) -> AgentFileSearchDoc | None:
    return next((t for t in doc.tools if isinstance(t, AgentFileSearchDoc)), None)


def _chunking(doc: AgentDoc) -> dict[str, Any] | None:
    search = _search(doc)
    if search is None or search.chunking is None:
        return None
    return search.chunking.model_dump()


class _Reader:
    """Reads what an agent's manifest names on disk, gathering the problems."""

    def __init__(self, agent: AgentSource, catalog: FileCatalog) -> None:
        self.agent, self.catalog = agent, catalog
        self.problems: list[Diagnostic] = []

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

    def tool_files(self, doc: AgentDoc) -> tuple[list[DesiredFile], list[DesiredFile]]:
        code: list[DesiredFile] = []
        knowledge: list[DesiredFile] = []
        for index, tool in enumerate(doc.tools):
            if isinstance(tool, AgentCodeInterpreterDoc):
                code += self._files(tool.files, index, tool.type, FILES_MAX)
            elif isinstance(tool, AgentFileSearchDoc):
                knowledge += self._files(tool.files, index, tool.type, KNOWLEDGE_MAX)
        return code, knowledge

    def _files(self, entries: list[str], index: int, tool: str, limit: int) -> list[DesiredFile]:
        declared: list[DesiredFile] = []
        spelled: dict[str, str] = {}  # the file's path in the project -> how it was first written
        for position, entry in enumerate(entries):
            where = self.agent.source.locate(("tools", index, "files", position))
            try:
                declared.append(self.catalog.describe(self.agent.directory, entry))
            except FileProblem as problem:
                self.problems.append(Diagnostic(where, str(problem)))
                continue
            first = spelled.setdefault(declared[-1].path, entry)
            if first != entry:  # the same spelling twice is agent_limits.py's "listed twice"
                again = f"file {entry!r} is {first!r} again, spelled another way: list it once"
                self.problems.append(Diagnostic(where, again))
            if message := type_problem(entry, {tool}):
                self.problems.append(Diagnostic(where, message))
        if (distinct := len({f.sha256 for f in declared})) > limit:
            message = f"{distinct} distinct files declared; {tool} takes at most {limit}"
            where = self.agent.source.locate(("tools", index, "files"))
            self.problems.append(Diagnostic(where, message))
        return declared
