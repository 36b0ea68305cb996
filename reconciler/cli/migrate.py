"""`reconciler migrate`: a v1 project (kind: Assistant) -> a Foundry project (kind: Agent).

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

import click

from reconciler.cli.console import handles_errors
from reconciler.cli.yaml_text import dump_yaml
from reconciler.config.agent import AgentLoader
from reconciler.config.content import FileCatalog, FileProblem
from reconciler.config.document import AssistantDoc, check_document
from reconciler.config.manifest import Manifest, load_manifests
from reconciler.config.migration import Migrated, migrate_assistant, migrate_environment
from reconciler.config.project import PROJECT_FILE, Project, load_project
from reconciler.core.model import Diagnostic
from reconciler.errors import ProjectError, UsageError

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


@dataclass
class _Output:
    """What the migration writes, relative to the target folder, and what it has to say."""

    texts: dict[Path, str] = field(default_factory=dict)  # relative path -> YAML
    copies: dict[Path, Path] = field(default_factory=dict)  # relative path -> source file
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@click.command(name="migrate")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="An empty (or new) folder for the migrated project.",
)
@handles_errors
def migrate_command(directory: Path, into: Path) -> None:
    """Write DIRECTORY's kind: Assistant manifests as kind: Agent manifests into --into."""
    if into.exists() and any(into.iterdir()):
        raise UsageError(f"{into} is not empty: migrate writes into a new or empty folder")
    if into.resolve().is_relative_to(directory.resolve()):
        raise UsageError(
            f"{into} is inside {directory}: the source project would read the migrated manifests "
            "as its own; write them outside it"
        )
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    manifests, problems = load_manifests(project)
    if problems:
        raise ProjectError(sorted(set(problems)))
    output = _migrate(project, manifests, into)
    _write(output, into)
    _report(output, directory, into)


def _migrate(project: Project, manifests: list[Manifest], into: Path) -> _Output:
    output = _Output()
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
    output: _Output,
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


def _project_text(project: Project, into: Path, output: _Output) -> str:
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


def _write(output: _Output, into: Path) -> None:
    for relative, source in sorted(output.copies.items()):
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, into / relative)
    for relative, text in sorted(output.texts.items()):
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        (into / relative).write_text(text, encoding="utf-8")


def _report(output: _Output, directory: Path, into: Path) -> None:
    count = len(output.lines)
    click.echo(
        f"Migrated {count} assistant{'s' if count != 1 else ''} from {directory} into {into}:"
    )
    for line in output.lines:
        click.echo(f"  {line}")
    if output.notes:
        click.echo("Notes:")
        for note in output.notes:
            click.echo(f"  {note}")
    click.echo(f"Next: reconciler validate {into}, then reconciler plan {into}")
