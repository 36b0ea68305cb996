"""`reconciler import`: list the assistants no project manages, and write manifests that adopt them.

Without --select the command lists the endpoint's unmanaged assistants (no `reconciler.owner`
mark), which costs the assistant-list requests and nothing else. With --select it writes, for each
chosen assistant, `<into>/<logical-name>.yaml` with `import_id`, its instructions in
`<into>/prompts/<logical-name>.md` and its attached files, downloaded, in
`<into>/files/<logical-name>/`. The next apply adopts the assistant (same id, marks added) instead
of creating a new one, and the plan after that shows no changes.

Everything is checked before the first byte is written: the selections, the target paths, and
what `reconciler validate` will ask of the manifests. Files are downloaded (each once, however
many assistants share it) before writing too, so a refusal or a failed download writes nothing.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import click

from reconciler.api.client import AssistantsClient
from reconciler.api.connect import open_client
from reconciler.cli.console import handles_errors, settings
from reconciler.cli.import_draft import Draft, Target, draft_imports, refusal, refuse_if
from reconciler.config.content import FileProblem, resolve_path
from reconciler.config.interpolate import Scope, interpolate
from reconciler.config.manifest import MANIFEST_SUFFIXES, load_manifests
from reconciler.config.project import Project, load_project, one_environment, resolve_environment
from reconciler.core.marks import OWNER_MARK
from reconciler.core.model import LiveAssistant
from reconciler.errors import ProjectError, ReconcilerError

DEFAULT_INTO = "assistants"  # when the project's manifests are the project folder itself
SHOWN_LENGTH = 48  # longer API names are shortened in the listing
DOWNLOADS = 4  # downloads in flight at once


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
    help="Write a manifest for this unmanaged assistant, by API name or id (repeatable).",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    help="Folder for the manifests, relative to DIRECTORY (default: the first folder of "
    "`manifests`, or assistants/ when that is the project folder itself).",
)
@handles_errors
def import_command(
    directory: Path, environment: str | None, selections: tuple[str, ...], into: Path | None
) -> None:
    """List the assistants no project manages; with --select, write manifests that adopt them."""
    target = load_target(directory, environment, os.environ)
    folder = into_folder(target.project, into) if selections else None
    with open_client(directory, target.environment, os.environ, settings().retry) as client:
        live = client.list_assistants()
        if folder is None:
            show_unmanaged(live, target, directory)
            return
        drafts = draft_imports(select(live, selections, target), live, target, client.list_files())
        refuse_if(target_problems(directory / folder, drafts))
        contents = download(client, drafts)
    refuse_if(empty_file_problems(drafts, contents))
    write(directory / folder, drafts, contents)
    report(directory, folder, drafts, target)


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
    names_found: set[str] = set()
    imported: dict[str, str] = {}
    for manifest in load_manifests(project, allow_empty=True)[0]:
        data = manifest.source.data
        if isinstance(data.get("name"), str):
            names_found.add(interpolate(data["name"], scope)[0])
        claimed = data.get("import_id")
        if isinstance(claimed, dict):
            claimed = claimed.get(environment.name)
        if isinstance(claimed, str):
            imported[interpolate(claimed, scope)[0]] = manifest.source.file
    return Target(project, environment, frozenset(names_found), imported)


def into_folder(project: Project, chosen: Path | None) -> PurePosixPath:
    """Where the manifests go, relative to the project: a folder the project reads manifests from."""
    if chosen is None:
        folders = [e for e in project.doc.manifests if not _names_a_file(project.root, e)]
        if not folders:
            raise refusal(
                "every entry of manifests in reconciler.yaml is a file: pass --into with a folder "
                "and add that folder to manifests"
            )
        relative = _normal(folders[0])
        relative = PurePosixPath(DEFAULT_INTO) if relative == PurePosixPath(".") else relative
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
        if not _within(target, root):
            return False
        for entry in project.doc.manifests:
            base = resolve_path(project.root / entry)
            if _names_a_file(project.root, entry) or not _within(target, base):
                continue
            if not any(part.startswith(".") for part in target.relative_to(base).parts):
                return True  # the loader skips hidden folders
    except FileProblem as problem:
        raise refusal(f"{path} {problem}") from None
    return False


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def show_unmanaged(live: list[LiveAssistant], target: Target, directory: Path) -> None:
    unmanaged = [a for a in live if OWNER_MARK not in a.metadata]
    managed = len(live) - len(unmanaged)
    where = target.environment.endpoint
    if not unmanaged:
        click.echo(f"No unmanaged assistants at {where} ({managed} managed by projects).")
        return
    rows = [("ID", "NAME", "MODEL", "FILES", "CREATED (UTC)")]
    rows += [
        (_shown(a.id), _shown(a.name), _shown(a.model), str(len(a.file_ids)), _when(a.created_at))
        for a in unmanaged
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    click.echo(
        f"\n{_count(len(unmanaged), 'unmanaged assistant')} at {where}; "
        f"{managed} managed by projects, not shown."
    )
    for assistant in unmanaged:
        if assistant.id in target.imported:
            manifest = target.imported[assistant.id]
            click.echo(f"{assistant.id} is already imported by {manifest}: apply adopts it.")
    command = f"reconciler import {shlex.quote(str(directory))} --env {target.environment.name}"
    click.echo(f"Write manifests for some of them: {command} --select NAME_OR_ID")


def _shown(text: str | None) -> str:
    if text is None:
        return "-"
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def _when(timestamp: int) -> str:
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def select(
    live: list[LiveAssistant], selections: tuple[str, ...], target: Target
) -> list[LiveAssistant]:
    """The unmanaged assistants selected, each once, in the order asked; else every problem."""
    chosen: dict[str, LiveAssistant] = {}
    problems: list[str] = []
    for selection in selections:
        by_id = [a for a in live if a.id == selection]
        matches = by_id or [a for a in live if a.name == selection]
        free = [a for a in matches if OWNER_MARK not in a.metadata]
        if not matches:
            where = target.environment.endpoint
            problems.append(f"--select {selection!r} matches no assistant at {where}")
        elif not free:
            owners = ", ".join(sorted({a.metadata[OWNER_MARK] for a in matches}))
            problems.append(
                f"--select {selection!r} names an assistant managed by {owners}: "
                "only unmanaged assistants can be imported"
            )
        elif len(free) > 1:
            ids = ", ".join(a.id for a in free)
            problems.append(
                f"--select {selection!r} matches {len(free)} unmanaged assistants ({ids}): "
                "select one by its id"
            )
        elif free[0].id in target.imported:
            manifest = target.imported[free[0].id]
            problems.append(
                f"--select {selection!r}: {free[0].id} is already imported by {manifest}; "
                "apply adopts it"
            )
        else:
            chosen.setdefault(free[0].id, free[0])
    refuse_if(problems)
    return list(chosen.values())


def target_problems(folder: Path, drafts: Iterable[Draft]) -> list[str]:
    """Every path the import would write that exists already or would land outside the project."""
    problems: list[str] = []
    for draft in drafts:
        for relative in draft.targets():
            path = folder / relative
            try:
                if path.exists() or path.is_symlink():
                    problems.append(
                        f"{path} already exists: move it, or import with another --into"
                    )
                elif not _within(resolve_path(path), resolve_path(folder)):
                    problems.append(f"{path} would be written outside {folder}, through a link")
            except (OSError, FileProblem) as error:
                problems.append(f"{path} cannot be written: {error}")
    return problems


def download(client: AssistantsClient, drafts: list[Draft]) -> dict[str, bytes]:
    """The content of every file to write, each downloaded once, a few at a time."""
    file_ids = list(dict.fromkeys(file_id for draft in drafts for file_id, _ in draft.files))
    with ThreadPoolExecutor(max_workers=DOWNLOADS) as pool:
        return dict(zip(file_ids, pool.map(client.download_file, file_ids), strict=True))


def empty_file_problems(drafts: list[Draft], contents: Mapping[str, bytes]) -> list[str]:
    return [
        f"{draft.assistant.id} ({draft.name}): its file {file_id} is empty, and a manifest "
        "cannot declare an empty file (the API refuses to upload one)"
        for draft in drafts
        for file_id, _ in draft.files
        if not contents[file_id]
    ]


def write(folder: Path, drafts: list[Draft], contents: Mapping[str, bytes]) -> None:
    """Files, prompts, then manifests; on any failure, what was written is removed again."""
    files: list[Path] = []
    folders: list[Path] = []
    outputs = [(path, contents[file_id]) for draft in drafts for file_id, path in draft.files]
    outputs += [
        (str(d.manifest["instructions_file"]), d.prompt.encode("utf-8"))
        for d in drafts
        if d.prompt is not None
    ]
    outputs += [(f"{d.name}.yaml", d.text.encode("utf-8")) for d in drafts]
    try:
        for relative, data in outputs:
            _create(folder / relative, data, files, folders)
    except OSError as error:
        for path in reversed(files):
            path.unlink(missing_ok=True)
        for path in reversed(folders):
            with suppress(OSError):
                path.rmdir()
        raise ReconcilerError(
            f"writing {error.filename} failed ({error.strerror}); nothing was written"
        ) from None


def _create(path: Path, data: bytes, files: list[Path], folders: list[Path]) -> None:
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir()
        folders.append(folder)
    with path.open("xb") as stream:  # never over a file that appeared meanwhile
        files.append(path)
        stream.write(data)


def report(directory: Path, folder: PurePosixPath, drafts: list[Draft], target: Target) -> None:
    written = sum(len(draft.targets()) for draft in drafts)
    click.echo(
        f"Imported {_count(len(drafts), 'assistant')} into {directory / folder} "
        f"({_count(written, 'file')} written):"
    )
    for draft in drafts:
        click.echo(f"  {draft.assistant.id} -> {directory / folder / f'{draft.name}.yaml'}")
        for relative in draft.targets()[:-1]:
            click.echo(f"      {directory / folder / relative}")
    for draft in drafts:
        for note in draft.notes:
            click.echo(f"Note: {note}")
    command = f"reconciler plan {shlex.quote(str(directory))} --env {target.environment.name}"
    click.echo(
        f"Next: run `{command}`: it will show the adoption of each imported assistant "
        "(same id, ownership marks added). Then `reconciler apply` makes them managed."
    )
