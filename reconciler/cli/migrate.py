"""`reconciler migrate`: a v1 project (kind: Assistant) -> a Foundry project (kind: Agent),
written into another folder by adoption/migration.py; this is its command and its report."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.adoption.migration import Output, migrate_project, write_project
from reconciler.cli.console import handles_errors
from reconciler.config.manifest import load_manifests
from reconciler.config.project import load_project
from reconciler.errors import ProjectError, UsageError


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
    output = migrate_project(project, manifests, into)
    write_project(output, into)
    report(output, directory, into)


def report(output: Output, directory: Path, into: Path) -> None:
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
