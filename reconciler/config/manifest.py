"""Manifests -> the desired state of one environment, or every problem with its location."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.config.agent import AgentSource, resolve_agent
from reconciler.config.claims import agent_duplicates, assistant_duplicates
from reconciler.config.content import (
    FileCatalog,
    FileProblem,
    inside,
    read_declared_text,
    resolve_path,
    type_problem,
)
from reconciler.config.document import AssistantDoc, check_document
from reconciler.config.interpolate import Scope, interpolate_tree
from reconciler.config.kinds import AGENT, api_problem, kind_problem, served, served_kinds
from reconciler.config.limits import FILES_MAX, check_assistant, retrieval_warnings
from reconciler.config.project import PROJECT_FILE, Project, read_text
from reconciler.config.source import load_documents
from reconciler.core.foundry import DesiredAgent
from reconciler.core.model import (
    DesiredAssistant,
    DesiredFile,
    DesiredState,
    Document,
    Environment,
    SharedTools,
)
from reconciler.diagnostics import Diagnostic

MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Manifest:
    """One manifest (of a kind in kinds.KINDS), as written (before interpolation)."""

    source: Document
    directory: Path


def load_manifests(
    project: Project, allow_empty: bool = False
) -> tuple[list[Manifest], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    return list(read_manifests(project, problems, allow_empty)), problems


def read_manifests(
    project: Project, problems: list[Diagnostic], allow_empty: bool = False
) -> Iterator[Manifest]:
    """Each manifest as soon as its file is read, its problems appended to `problems`.

    A caller can resolve one manifest before the next is parsed: a parsed document keeps the
    position of every value, some 30 KB for a typical manifest.
    """
    found = 0
    for path in _manifest_files(project, problems):
        text, errors = read_text(path, str(path))
        problems += errors
        documents, errors = load_documents(str(path), text or "")
        problems += errors
        for document in documents:
            if document.data is None:
                continue  # an empty document, e.g. after a trailing ---
            if message := kind_problem(document.data, served_kinds(project)):
                problems.append(Diagnostic(document.locate(("kind",)), message))
                continue
            found += 1
            yield Manifest(document, path.parent)
    if not found and not problems and not allow_empty:
        entry = project.source.locate(("manifests",))
        problems.append(
            Diagnostic(
                entry,
                f"no manifests found: declare at least one {served(project)} document",
            )
        )


def _manifest_files(project: Project, problems: list[Diagnostic]) -> Iterator[Path]:
    seen: set[Path] = set()
    real_root = project.root.resolve()  # once: resolving costs a system call per component
    for index, entry in enumerate(project.doc.manifests):
        where = project.source.locate(("manifests", index))
        try:
            target = resolve_path(project.root / entry)
            if not inside(target, real_root):
                raise FileProblem("is outside the project directory")
            if not target.exists():
                raise FileProblem("does not exist")
        except FileProblem as problem:
            problems.append(Diagnostic(where, f"manifest path {entry!r} {problem}"))
            continue
        except OSError as error:  # e.g. a name too long
            message = f"manifest path {entry!r} cannot be read: {error.strerror}"
            problems.append(Diagnostic(where, message))
            continue
        candidates = [target] if target.is_file() else _yaml_files(target)
        for path in candidates:
            shown = project.root / path.relative_to(real_root)
            if not inside(resolve_path(path), real_root):
                # Found in a folder, a link to a file elsewhere: refused, as declared files are.
                message = (
                    f"manifest {str(shown)!r} is a link that leads outside the project directory"
                )
                problems.append(Diagnostic(where, message))
            elif path not in seen and path.name != PROJECT_FILE:
                seen.add(path)
                yield shown


def _yaml_files(folder: Path) -> list[Path]:
    """YAML files under folder, in a stable order, skipping hidden folders like .git."""
    found = []
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.suffix in MANIFEST_SUFFIXES and path.is_file() and not hidden:
            found.append(path)
    return found


@dataclass
class Resolver:
    """Resolves manifests for one environment of a project."""

    project: Project
    environment: Environment
    process: Mapping[str, str]
    catalog: FileCatalog
    tools: SharedTools = field(default_factory=SharedTools)

    def resolve(
        self, manifests: Iterable[Manifest]
    ) -> tuple[DesiredState | None, list[Diagnostic]]:
        assistants: list[DesiredAssistant] = []
        agents: list[DesiredAgent] = []
        files: dict[str, DesiredFile] = {}
        problems: list[Diagnostic] = []
        for manifest in manifests:
            source, found = self._interpolated(manifest)
            if message := api_problem(source.data.get("kind"), self.environment):
                problems.append(Diagnostic(source.locate(("kind",)), message))
                continue
            if source.data.get("kind") == AGENT:
                agent, found = self._agent(manifest, source, found, files)
                agents += [agent] if agent is not None else []
            else:
                assistant, found = self._assistant(manifest, source, found, files)
                assistants += [assistant] if assistant is not None else []
            problems += found
        problems += assistant_duplicates(assistants) + agent_duplicates(agents)
        errors = [p for p in problems if p.severity == "error"]
        warnings = tuple(p for p in problems if p.severity == "warning")
        if errors:
            return None, problems
        state = DesiredState(
            self.project.doc.project,
            self.environment,
            tuple(assistants),
            files,
            warnings,
            tuple(agents),
        )
        return state, problems

    def _interpolated(self, manifest: Manifest) -> tuple[Document, list[Diagnostic]]:
        name = self.environment.name
        scope = Scope(name, self.project.variables(name), self.process)
        data, found = interpolate_tree(manifest.source.data, scope)
        source = Document(manifest.source.file, data, manifest.source.values, manifest.source.keys)
        return source, [Diagnostic(source.locate(path), message) for path, message in found]

    def _agent(
        self,
        manifest: Manifest,
        source: Document,
        problems: list[Diagnostic],
        files: dict[str, DesiredFile],
    ) -> tuple[DesiredAgent | None, list[Diagnostic]]:
        where = AgentSource(source, manifest.directory, self.environment.name)
        agent, later = resolve_agent(where, self.catalog, files)
        # A value whose interpolation failed is empty: say so once, not again as an empty value.
        failed = {problem.location for problem in problems}
        return agent, problems + [p for p in later if p.location not in failed]

    def _assistant(
        self,
        manifest: Manifest,
        source: Document,
        problems: list[Diagnostic],
        files: dict[str, DesiredFile],
    ) -> tuple[DesiredAssistant | None, list[Diagnostic]]:
        name = self.environment.name
        doc, structural = check_document(AssistantDoc, source)
        if doc is None:
            return None, problems + structural
        instructions, later = self._instructions(manifest, doc, source)
        later += [Diagnostic(source.locate(p), m) for p, m in check_assistant(doc, instructions)]
        warnings = retrieval_warnings(doc, self.environment.api_version)
        later += [Diagnostic(source.locate(p), m, "warning") for p, m in warnings]
        declared, found_files = self._files(manifest, doc, source)
        later += found_files
        # A value whose interpolation failed is empty: say so once, not again as an empty value.
        failed = {problem.location for problem in problems}
        problems += [problem for problem in later if problem.location not in failed]
        files.update((f.sha256, f) for f in declared if f.sha256 not in files)
        assistant = DesiredAssistant(
            name=doc.name,
            model=doc.model,
            display_name=doc.display_name,
            description=doc.description,
            instructions=instructions,
            tools=tuple(self.tools.share(t.model_dump(exclude_none=True)) for t in doc.tools),
            files=tuple(dict.fromkeys(f.sha256 for f in declared)),
            metadata=dict(doc.metadata),
            prevent_destroy=doc.lifecycle.prevent_destroy,
            ignore_changes=tuple(doc.lifecycle.ignore_changes),
            import_id=doc.import_id.get(name) if isinstance(doc.import_id, dict) else doc.import_id,
            renamed_from=tuple(doc.renamed_from),
            location=source.locate(("name",)),
        )
        return assistant, problems

    def _instructions(
        self, manifest: Manifest, doc: AssistantDoc, source: Document
    ) -> tuple[str | None, list[Diagnostic]]:
        if doc.instructions_file is None:
            return doc.instructions, []
        where = source.locate(("instructions_file",))
        return read_declared_text(
            self.catalog, manifest.directory, doc.instructions_file, "instructions_file", where
        )

    def _files(
        self, manifest: Manifest, doc: AssistantDoc, source: Document
    ) -> tuple[list[DesiredFile], list[Diagnostic]]:
        declared: list[DesiredFile] = []
        problems: list[Diagnostic] = []
        tool_types: set[str] = {tool.type for tool in doc.tools}
        spelled: dict[str, str] = {}  # the file's path in the project -> how it was first written
        for index, entry in enumerate(doc.files):
            where = source.locate(("files", index))
            try:
                declared.append(self.catalog.describe(manifest.directory, entry))
            except FileProblem as problem:
                problems.append(Diagnostic(where, str(problem)))
                continue
            first = spelled.setdefault(declared[-1].path, entry)
            if first != entry:  # the same spelling twice is limits.py's "listed twice"
                again = f"file {entry!r} is {first!r} again, spelled another way: list it once"
                problems.append(Diagnostic(where, again))
            if message := type_problem(entry, tool_types):
                problems.append(Diagnostic(where, message))
        distinct = len({f.sha256 for f in declared})
        if distinct > FILES_MAX:
            message = f"{distinct} distinct files declared; the API allows at most {FILES_MAX} per assistant"
            problems.append(Diagnostic(source.locate(("files",)), message))
        return declared, problems
