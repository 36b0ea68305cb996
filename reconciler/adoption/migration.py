"""`reconciler migrate` without its console: a v1 project (kind: Assistant) -> a Foundry project
(kind: Agent).

Reads the manifests as written, converts them (config/migration.py) and writes a new project
into another folder: the manifests at the same places, the files they name copied beside them,
and a reconciler.yaml whose environments have api: foundry. Nothing is written when a manifest
cannot be read, and the source is never changed.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.adoption.yaml_text import dump_yaml
from reconciler.config.agent import AgentLoader
from reconciler.config.content import FileCatalog, FileProblem
from reconciler.config.document import AssistantDoc, check_document
from reconciler.config.manifest import Manifest
from reconciler.config.migration import Migrated, migrate_assistant, migrate_environment
from reconciler.config.project import PROJECT_FILE, Project
from reconciler.diagnostics import Diagnostic
from reconciler.errors import ProjectError

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


@dataclass
class Output:
    """What the migration writes, relative to the target folder, and what it has to say."""

    texts: dict[Path, str] = field(default_factory=dict)  # relative path -> YAML
    copies: dict[Path, Path] = field(default_factory=dict)  # relative path -> source file
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def migrate_project(project: Project, manifests: list[Manifest], into: Path) -> Output:
    output = Output()
    several = len(project.doc.environments) > 1
    catalog = FileCatalog(project.root)
    by_file: dict[Path, list[str]] = {}
    problems: list[Diagnostic] = []
    taken: set[str] = set()
    for manifest in manifests:
        relative = _relative(project, Path(manifest.source.file))
        if manifest.source.data.get("kind") == AgentLoader.kind:  # already an agent: kept as it is
            by_file.setdefault(relative, []).append(dump_yaml(manifest.source.data))
            continue
        doc, found = check_document(AssistantDoc, manifest.source)
        problems += found
        if doc is None:
            continue
        migrated = migrate_assistant(doc, several, taken)
        _files(project, catalog, manifest, migrated, output, problems)
        by_file.setdefault(relative, []).append(dump_yaml(migrated.agent))
        shown = (
            f"{relative.as_posix()}: assistant {migrated.logical} -> agent {migrated.agent['name']}"
        )
        output.lines.append(shown)
        output.notes += [
            f"{relative.as_posix()}: {migrated.logical}: {note}" for note in migrated.notes
        ]
    if problems:
        raise ProjectError(sorted(set(problems)))
    for relative, documents in by_file.items():
        header = _schema_line(project.root / relative, into / relative, "manifest")
        output.texts[relative] = header + "---\n".join(documents)
    output.texts[Path(PROJECT_FILE)] = _project_text(project, into, output)
    return output


def _relative(project: Project, path: Path) -> Path:
    return path.resolve().relative_to(project.root.resolve())


def _files(
    project: Project,
    catalog: FileCatalog,
    manifest: Manifest,
    migrated: Migrated,
    output: Output,
    problems: list[Diagnostic],
) -> None:
    """Copy what the manifest names to the same place relative to the new manifest."""
    for declared in migrated.files:
        try:
            real = catalog.locate(manifest.directory, declared)
        except FileProblem as problem:
            where = manifest.source.locate(("name",))
            problems.append(Diagnostic(where, f"cannot migrate: {problem}"))
            continue
        output.copies[real.relative_to(project.root.resolve())] = real


def _project_text(project: Project, into: Path, output: Output) -> str:
    environments: dict[str, Any] = {}
    for name, env in project.doc.environments.items():
        environments[name], notes = migrate_environment(name, env)
        output.notes += [f"{PROJECT_FILE}: {note}" for note in notes]
    data = {
        "project": project.doc.project,
        "manifests": list(project.doc.manifests),
        "environments": environments,
    }
    header = _schema_line(project.root / PROJECT_FILE, into / PROJECT_FILE, "project")
    return header + dump_yaml(data)


def _schema_line(source: Path, target: Path, kind: str) -> str:
    """The source's editor schema line, its path made relative to where the copy goes."""
    try:
        match = SCHEMA_LINE.search(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        match = None
    if match is None or "://" in match.group(1):
        return "" if match is None else f"{match.group(0)}\n"
    schema = (source.parent / match.group(1)).resolve()
    if schema.name != f"{kind}.schema.json":
        return ""
    relative = os.path.relpath(schema, target.parent.resolve())
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def write_project(output: Output, into: Path) -> None:
    for relative, source in sorted(output.copies.items()):
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, into / relative)
    for relative, text in sorted(output.texts.items()):
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        (into / relative).write_text(text, encoding="utf-8")
