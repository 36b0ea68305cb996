"""A `kind: Assistant` document (interpolated) -> a DesiredAssistant, or every problem with its
location: the loader of the Assistants v1 manifest kind."""

from __future__ import annotations

import functools
from typing import Any

from reconciler.config.claims import assistant_duplicates
from reconciler.config.content import FileProblem, read_declared_text, type_problem
from reconciler.config.document import AssistantDoc, check_document, partial_document
from reconciler.config.limits import FILES_MAX, check_assistant, retrieval_warnings
from reconciler.config.loader import Request
from reconciler.core.kinds.assistant.types import DesiredAssistant
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic


class AssistantLoader:
    kind = "Assistant"
    document = AssistantDoc

    def resolve(self, request: Request) -> tuple[DesiredAssistant | None, list[Diagnostic]]:
        doc, problems = check_document(AssistantDoc, request.source)
        if doc is None:  # what else is wrong, said in the same run
            partial = partial_document(AssistantDoc, request.source)
            later = [] if partial is None else self._resolved(request, partial)[1]
            return None, sorted(set(problems + later))
        return self._resolved(request, doc, request.source.data.get("tools", []))

    def _resolved(
        self, request: Request, doc: AssistantDoc, written: list[Any] | None = None
    ) -> tuple[DesiredAssistant | None, list[Diagnostic]]:
        """`written`: the tools as the manifest wrote them, when `doc` holds all of them."""
        source, name = request.source, request.environment.name
        instructions, problems = _instructions(request, doc)
        problems += [Diagnostic(source.locate(p), m) for p, m in check_assistant(doc, instructions)]
        warnings = retrieval_warnings(doc, request.environment.api_version)
        problems += [Diagnostic(source.locate(p), m, "warning") for p, m in warnings]
        declared, found_files = _files(request, doc)
        problems += found_files
        request.files.update((f.sha256, f) for f in declared if f.sha256 not in request.files)
        assistant = DesiredAssistant(
            name=doc.name,
            model=request.values.share(doc.model),
            display_name=doc.display_name,
            description=request.values.share(doc.description),
            instructions=instructions,
            tools=_tools(request, doc, written),
            files=tuple(dict.fromkeys(f.sha256 for f in declared)),
            metadata={key: request.values.share(value) for key, value in doc.metadata.items()},
            prevent_destroy=doc.lifecycle.prevent_destroy,
            ignore_changes=tuple(doc.lifecycle.ignore_changes),
            import_id=doc.import_id.get(name) if isinstance(doc.import_id, dict) else doc.import_id,
            renamed_from=tuple(doc.renamed_from),
            location=source.locate(("name",)),
        )
        return assistant, problems

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return assistant_duplicates(objects)

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        return []  # marks name the environment: two environments never claim one assistant

    def wrong_api(self, environment: Environment) -> str:
        return (
            f"kind: {self.kind} is an Assistants v1 manifest, and environment "
            f"{environment.name!r} has api: {environment.api}, which serves kind: Agent: "
            "`reconciler migrate` converts it"
        )


def _tools(
    request: Request, doc: AssistantDoc, written: list[Any] | None
) -> tuple[dict[str, Any], ...]:
    """Each tool's plain data, shared between the assistants that declare it alike."""
    if written is None:  # a partial document: what is left of it is no longer what was written
        return tuple(request.tools.share(t.model_dump(exclude_none=True)) for t in doc.tools)
    return tuple(
        request.tools.share_written(w, functools.partial(t.model_dump, exclude_none=True))
        for w, t in zip(written, doc.tools, strict=True)
    )


def _instructions(request: Request, doc: AssistantDoc) -> tuple[str | None, list[Diagnostic]]:
    if doc.instructions_file is None:
        return doc.instructions, []
    where = request.source.locate(("instructions_file",))
    return read_declared_text(
        request.catalog, request.directory, doc.instructions_file, "instructions_file", where
    )


def _files(request: Request, doc: AssistantDoc) -> tuple[list[DesiredFile], list[Diagnostic]]:
    declared: list[DesiredFile] = []
    problems: list[Diagnostic] = []
    tool_types: set[str] = {tool.type for tool in doc.tools}
    spelled: dict[str, str] = {}  # the file's path in the project -> how it was first written
    for index, entry in enumerate(doc.files):
        if found := _file_problems(request, entry, declared, (spelled, tool_types)):
            where = request.source.locate(("files", index))  # only then: most files have none
            problems += [Diagnostic(where, message) for message in found]
    distinct = len({f.sha256 for f in declared})
    if distinct > FILES_MAX:
        message = (
            f"{distinct} distinct files declared; the API allows at most {FILES_MAX} per assistant"
        )
        problems.append(Diagnostic(request.source.locate(("files",)), message))
    return declared, problems


def _file_problems(
    request: Request,
    entry: str,
    declared: list[DesiredFile],
    seen: tuple[dict[str, str], set[str]],
) -> list[str]:
    """What is wrong with one declared file; once described, it is added to `declared`."""
    try:
        file = request.catalog.describe(request.directory, entry)
    except FileProblem as problem:
        return [str(problem)]
    declared.append(file)
    spelled, tool_types = seen
    found = []
    first = spelled.setdefault(file.path, entry)
    if first != entry:  # the same spelling twice is limits.py's "listed twice"
        found.append(f"file {entry!r} is {first!r} again, spelled another way: list it once")
    if message := type_problem(entry, tool_types):
        found.append(message)
    return found
