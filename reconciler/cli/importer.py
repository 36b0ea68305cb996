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
from pathlib import Path, PurePosixPath

import click

from reconciler.adoption.draft import Draft, Target
from reconciler.adoption.importer import import_selected, open_source
from reconciler.adoption.listing import count
from reconciler.adoption.sources import Source
from reconciler.adoption.target import into_folder, load_target
from reconciler.cli.console import handles_errors, settings


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
    with open_source(directory, target, settings().retry) as source:
        if folder is None:
            for line in source.listing(directory):
                click.echo(line)
            return
        drafts = import_selected(source, selections, directory / folder)
    report(directory, folder, drafts, target, source)


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
