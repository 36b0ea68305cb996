"""Manifests -> the desired state of one environment, or every problem with its location."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.config.agent_test_doc import is_test
from reconciler.config.content import FileCatalog, FileProblem, inside, resolve_path
from reconciler.config.interpolate import Scope, interpolate_tree
from reconciler.config.loader import Request
from reconciler.config.located import Document
from reconciler.config.manifest_kinds import (
    LOADERS,
    api_problem,
    empty_objects,
    kind_problem,
    named_file,
    resource_kind,
    served,
    served_kinds,
)
from reconciler.config.project import PROJECT_FILE, Project, read_text
from reconciler.config.source import load_documents
from reconciler.core.kinds.registry import manifest_kinds
from reconciler.core.model import DesiredFile, Environment, SharedTools, SharedValues
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic

MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Manifest:
    """One manifest (of a kind in manifest_kinds.LOADERS), as written (before interpolation)."""

    source: Document
    directory: Path


def environment_scope(project: Project, environment: str, process: Mapping[str, str]) -> Scope:
    """What `${...}` resolves to in one environment of the project (the vars' own problems are
    resolve_environment's to report)."""
    return Scope(environment, project.variables(environment, process)[0], process)


def load_manifests(
    project: Project, allow_empty: bool = False
) -> tuple[list[Manifest], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    return list(read_manifests(project, problems, allow_empty)), problems


def read_manifests(
    project: Project,
    problems: list[Diagnostic],
    allow_empty: bool = False,
    scope: Scope | None = None,
) -> Iterator[Manifest]:
    """Each manifest as soon as its file is read, its problems appended to `problems`; with
    the scope of the one environment it is for, interpolated as it is built (one pass).

    A caller can resolve one manifest before the next is parsed: a parsed document keeps the
    position of every value, some 30 KB for a typical manifest.
    """
    found = 0
    kinds = served_kinds(project)  # once: the registry is read again at each call
    for path in _manifest_files(project, problems):
        text, errors = read_text(path, str(path))
        problems += errors
        documents, errors = load_documents(str(path), text or "", scope)
        problems += errors
        for document in documents:
            if document.data is None or named_file(document.data):
                continue  # an empty document (after a trailing ---), or a workflow's YAML
            if is_test(document.data):
                continue  # an AgentTest declares no live object: `test` reads it
            if message := kind_problem(document.data, kinds):
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
    real = project.root == real_root  # then each file is shown as found, no path rebuilt
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
        candidates = [(target, False)] if target.is_file() else _yaml_files(target)
        for path, link in candidates:
            shown = path if real else project.root / path.relative_to(real_root)
            # Only a link can lead elsewhere: the folders walked are real and inside the root.
            if link and not inside(resolve_path(path), real_root):
                # Found in a folder, a link to a file elsewhere: refused, as declared files are.
                message = (
                    f"manifest {str(shown)!r} is a link that leads outside the project directory"
                )
                problems.append(Diagnostic(where, message))
            elif path not in seen and path.name != PROJECT_FILE:
                seen.add(path)
                yield shown


manifest_files = _manifest_files  # the manifest files of a project: agent_test.py reads them too


def _yaml_files(folder: Path) -> list[tuple[Path, bool]]:
    """YAML files under a real folder, each with whether it is a symbolic link, in a stable
    order, skipping hidden files and folders like .git. Linked folders are not walked into
    (as `Path.rglob` does not), so that a file that is no link is where it is found: one
    directory read per folder, no system call per file (the kind of entry comes with it)."""
    found: list[tuple[Path, bool]] = []
    try:
        listing = os.scandir(folder)
    except OSError:  # a folder that cannot be read is passed over, as rglob passes it
        return found
    with listing as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                found += _yaml_files(Path(entry.path))
            elif entry.name.endswith(MANIFEST_SUFFIXES) and entry.is_file():
                found.append((Path(entry.path), entry.is_symlink()))
    return sorted(found)


@dataclass
class Resolver:
    """Resolves manifests for one environment of a project, each through its kind's loader."""

    project: Project
    environment: Environment
    process: Mapping[str, str]
    catalog: FileCatalog
    tools: SharedTools = field(default_factory=SharedTools)
    values: SharedValues = field(default_factory=SharedValues)

    def resolve(
        self, manifests: Iterable[Manifest]
    ) -> tuple[DesiredState | None, list[Diagnostic]]:
        objects = empty_objects(self.environment)
        files: dict[str, DesiredFile] = {}
        problems: list[Diagnostic] = []
        declares: dict[str, str] = {}  # manifest kind -> its resource kind, once checked
        for manifest in manifests:
            source, found = self._interpolated(manifest)
            kind = str(source.data.get("kind"))
            if kind not in declares:  # once each: the registry is read again at each call
                if message := api_problem(kind, self.environment):
                    problems.append(Diagnostic(source.locate(("kind",)), message))
                    continue
                declares[kind] = resource_kind(kind)
            request = Request(
                source, manifest.directory, self.environment, self.catalog, files, self.tools
            )
            request.scope = self.scope  # for the files a kind interpolates (workflows)
            request.values = self.values
            resolved, later = LOADERS[kind].resolve(request)
            objects[declares[kind]] += [resolved] if resolved is not None else []
            # A value whose interpolation failed is empty: say so once, not again as empty.
            failed = {problem.location for problem in found}
            problems += found + [p for p in later if p.location not in failed]
        for loader in LOADERS.values():
            if loader.kind in manifest_kinds(self.environment.api):
                problems += loader.duplicates(objects[resource_kind(loader.kind)])
        errors = [p for p in problems if p.severity == "error"]
        warnings = tuple(p for p in problems if p.severity == "warning")
        if errors:
            return None, problems
        state = DesiredState(
            self.project.doc.project,
            self.environment,
            {kind: tuple(declared) for kind, declared in objects.items()},
            files,
            warnings,
        )
        return state, problems

    @functools.cached_property
    def scope(self) -> Scope:
        return environment_scope(self.project, self.environment.name, self.process)

    def _interpolated(self, manifest: Manifest) -> tuple[Document, list[Diagnostic]]:
        source = manifest.source
        if source.scope != self.scope:  # read as written, for every environment
            data, found = interpolate_tree(source.data, self.scope)
            source = Document(source.file, data, source.values, source.keys)
        else:  # interpolated as it was read
            found = source.interpolation
        return source, [Diagnostic(source.locate(path), message) for path, message in found]
