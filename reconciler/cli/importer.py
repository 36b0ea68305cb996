"""`reconciler import`: list the assistants or agents no project manages, and write manifests
that adopt them.

Without --select the command lists the endpoint's unmanaged assistants, or the Foundry
project's unmanaged agents (no `reconciler.owner` mark), which costs their list requests and
nothing else. With --select it writes, for each chosen one, `<into>/<logical-name>.yaml` with
`import_id`, its instructions in `<into>/prompts/<logical-name>.md` and the files it reads,
downloaded, in `<into>/files/<logical-name>/`: an assistant's attached files; an agent's code
interpreter files and the files of the vector stores its file_search searches (its knowledge).
The next apply adopts each (an assistant keeps its id and gets our marks; an agent gets a new
version carrying them) instead of creating a new one, and the plan after that shows no changes.

Everything is checked before the first byte is written: the selections, the target paths, and
what `reconciler validate` will ask of the manifests. Files are downloaded (each once, however
many share it) before writing too, so a refusal or a failed download writes nothing.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Protocol

import click

from reconciler.api.connect import open_client, open_foundry_client
from reconciler.cli.console import handles_errors, settings
from reconciler.cli.import_agents import Agents
from reconciler.cli.import_assistants import Assistants
from reconciler.cli.import_draft import Draft, Target, refusal, refuse_if
from reconciler.cli.import_listing import count
from reconciler.cli.import_write import (
    download,
    empty_file_problems,
    target_problems,
    within,
    write,
)
from reconciler.config.content import FileProblem, resolve_path
from reconciler.config.interpolate import Scope, interpolate
from reconciler.config.manifest import MANIFEST_SUFFIXES, load_manifests
from reconciler.config.project import Project, load_project, one_environment, resolve_environment
from reconciler.errors import ProjectError

# When the project's manifests are the project folder itself, by API family.
DEFAULT_INTO = {"assistants": "assistants", "foundry": "agents"}


class Source(Protocol):
    """What import reads from one API family: its objects, listed, drafted and downloaded."""

    noun: str  # "assistant", "agent"
    adoption: str  # what the next apply does to each, in words

    def show(self, directory: Path) -> None: ...

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]: ...

    def download_file(self, file_id: str) -> bytes: ...


@click.command("import")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--env", "environment", help="Environment to use (may be left out when there is one)."
)
@click.option(
    "--select",
    "selections",
    multiple=True,
    metavar="NAME_OR_ID",
    help="Write a manifest for this unmanaged assistant (by API name or id) or agent (by name); "
    "repeatable.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    help="Folder for the manifests, relative to DIRECTORY (default: the first folder of "
    "`manifests`, or assistants/ (agents/ for api: foundry) when that is the project folder "
    "itself).",
)
@handles_errors
def import_command(
    directory: Path, environment: str | None, selections: tuple[str, ...], into: Path | None
) -> None:
    """List the assistants or agents no project manages; with --select, write manifests that
    adopt them."""
    target = load_target(directory, environment, os.environ)
    folder = into_folder(target, into) if selections else None
    with open_source(directory, target) as source:
        if folder is None:
            source.show(directory)
            return
        drafts = source.drafts(selections)
        refuse_if(target_problems(directory / folder, drafts))
        contents, problems = download(source.download_file, drafts)
    refuse_if(problems + empty_file_problems(drafts, contents))
    write(directory / folder, drafts, contents)
    report(directory, folder, drafts, target, source)


@contextmanager
def open_source(directory: Path, target: Target) -> Iterator[Source]:
    """The environment's API family, connected: agents for `api: foundry`, else assistants."""
    environment, retry = target.environment, settings().retry
    if environment.api == "foundry":
        project = target.project.doc.project
        with open_foundry_client(directory, project, environment, os.environ, retry) as client:
            yield Agents(client, target)
        return
    with open_client(directory, environment, os.environ, retry) as client:
        yield Assistants(client, target)


def load_target(directory: Path, chosen: str | None, process: Mapping[str, str]) -> Target:
    """The project and its environment, as plan loads them; the manifests need not be valid."""
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    name, problems = one_environment(project, chosen)
    if name is None:
        raise ProjectError(problems)
    environment, problems = resolve_environment(project, name, process)
    if environment is None:
        raise ProjectError(problems)
    scope = Scope(environment.name, project.variables(environment.name), process)
    declared: dict[str, str] = {}
    imported: dict[str, str] = {}
    for manifest in load_manifests(project, allow_empty=True)[0]:
        data = manifest.source.data
        if isinstance(data.get("name"), str):
            declared.setdefault(interpolate(data["name"], scope)[0], manifest.source.file)
        claimed = data.get("import_id")
        if isinstance(claimed, dict):
            claimed = claimed.get(environment.name)
        if isinstance(claimed, str):
            imported[interpolate(claimed, scope)[0]] = manifest.source.file
    return Target(project, environment, declared, imported)


def into_folder(target: Target, chosen: Path | None) -> PurePosixPath:
    """Where the manifests go, relative to the project: a folder the project reads manifests from."""
    project = target.project
    if chosen is None:
        folders = [e for e in project.doc.manifests if not _names_a_file(project.root, e)]
        if not folders:
            raise refusal(
                "every entry of manifests in reconciler.yaml is a file: pass --into with a folder "
                "and add that folder to manifests"
            )
        relative = _normal(folders[0])
        if relative == PurePosixPath("."):
            relative = PurePosixPath(DEFAULT_INTO[target.environment.api])
    else:
        relative = _normal(str(chosen))
        if chosen.is_absolute() or relative.parts[:1] == ("..",):
            raise refusal(f"--into {chosen} must be a folder inside the project, relative to it")
    path = project.root / relative
    if path.exists() and not path.is_dir():
        raise refusal(f"{path} is not a folder: choose another with --into")
    if not _read_as_manifests(project, path):
        entries = ", ".join(project.doc.manifests)
        raise refusal(
            f"{relative}/ is not among the project's manifests ({entries}), so manifests written "
            "there would not be read: add it to manifests in reconciler.yaml, or choose a folder "
            "inside one of them with --into"
        )
    return relative


def _normal(text: str) -> PurePosixPath:
    return PurePosixPath(os.path.normpath(text.replace("\\", "/")))


def _names_a_file(root: Path, entry: str) -> bool:
    path = root / entry
    if path.exists():
        return not path.is_dir()
    return PurePosixPath(entry).suffix in MANIFEST_SUFFIXES


def _read_as_manifests(project: Project, path: Path) -> bool:
    """Whether manifest.load_manifests reads YAML files in `path`, which must be in the project."""
    try:
        root, target = resolve_path(project.root), resolve_path(path)
        if not within(target, root):
            return False
        for entry in project.doc.manifests:
            base = resolve_path(project.root / entry)
            if _names_a_file(project.root, entry) or not within(target, base):
                continue
            if not any(part.startswith(".") for part in target.relative_to(base).parts):
                return True  # the loader skips hidden folders
    except FileProblem as problem:
        raise refusal(f"{path} {problem}") from None
    return False


def report(
    directory: Path, folder: PurePosixPath, drafts: list[Draft], target: Target, source: Source
) -> None:
    written = sum(len(draft.targets()) for draft in drafts)
    click.echo(
        f"Imported {count(len(drafts), source.noun)} into {directory / folder} "
        f"({count(written, 'file')} written):"
    )
    for draft in drafts:
        click.echo(f"  {draft.source} -> {directory / folder / f'{draft.name}.yaml'}")
        for relative in draft.targets()[:-1]:
            click.echo(f"      {directory / folder / relative}")
    for draft in drafts:
        for note in draft.notes:
            click.echo(f"Note: {note}")
    command = f"reconciler plan {shlex.quote(str(directory))} --env {target.environment.name}"
    click.echo(
        f"Next: run `{command}`: it will show the adoption of each imported {source.noun} "
        f"({source.adoption}). Then `reconciler apply` makes them managed."
    )
