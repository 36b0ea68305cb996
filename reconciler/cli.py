"""The `reconciler` command line: a thin shell over the pipeline.

Each command parses its options, calls one pipeline function, renders the result and exits
with the code the error tree gives (0 ok, 1 error, 2 changes present, 130 interrupted).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler import __version__, desired
from reconciler.apply import Outcome
from reconciler.document import json_schemas
from reconciler.emulator.cli import emulator_group
from reconciler.errors import (
    EXIT_CHANGES,
    EXIT_INTERRUPTED,
    ProjectError,
    ReconcilerError,
    UsageError,
)
from reconciler.model import Diagnostic
from reconciler.pipeline import session
from reconciler.plan_types import Mode, Plan
from reconciler.render import RENDERERS, render_text

F = TypeVar("F", bound=Callable[..., Any])


def handles_errors(command: F) -> F:
    """Report reconciler errors as messages with their exit code, never as tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ProjectError as error:
            report(error.diagnostics)
            raise SystemExit(error.exit_code) from None
        except ReconcilerError as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(error.exit_code) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if diagnostics:
        click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}.", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@click.group()
@click.version_option(__version__, prog_name="reconciler")
def main() -> None:
    """Declarative plan/apply/destroy for Azure OpenAI Assistants."""


DIRECTORY = click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path)
)
ENV = click.option(
    "--env", "environment", help="Environment to use (may be left out when there is one)."
)


@main.command()
@DIRECTORY
@click.option("--env", "environment", help="Environment to check (default: every environment).")
@handles_errors
def validate(directory: Path, environment: str | None) -> None:
    """Check the project in DIRECTORY without any network call."""
    problems = desired.validate(directory, environment, os.environ)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProjectError(problems)
    report(problems)
    click.echo("Success! The project is valid.")


@main.command()
@click.option(
    "--kind", type=click.Choice(["manifest", "project"]), help="Only this schema (default: both)."
)
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the manifest format and of reconciler.yaml."""
    schemas = json_schemas()
    click.echo(json.dumps(schemas[kind] if kind else schemas, indent=2))


TARGET = click.option(
    "--target", "targets", multiple=True, help="Only this assistant (repeatable)."
)
ALLOW_EMPTY = click.option(
    "--allow-empty", is_flag=True, help="Allow manifests that declare no assistant."
)


def colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def interactive() -> bool:
    """Whether someone at a terminal can answer a confirmation prompt."""
    return sys.stdin.isatty()


@main.command()
@DIRECTORY
@ENV
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the plan as JSON.",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the plan has changes.")
@TARGET
@ALLOW_EMPTY
@handles_errors
def plan(  # noqa: PLR0913, PLR0917 - one parameter per documented flag
    directory: Path,
    environment: str | None,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    """Show what apply would change in DIRECTORY's environment."""
    with session(directory, environment, os.environ, allow_empty) as connected:
        made = connected.plan("normal", targets, allow_empty)
    if out is not None:
        out.write_text(RENDERERS["json"](made), encoding="utf-8")
    click.echo(
        render_text(made, colour()) if fmt == "text" else RENDERERS[fmt](made), nl=fmt != "text"
    )
    if detailed_exitcode and made.actionable:
        raise SystemExit(EXIT_CHANGES)


@main.command()
@DIRECTORY
@ENV
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option("--parallelism", default=4, show_default=True, type=click.IntRange(1, 64))
@TARGET
@ALLOW_EMPTY
@handles_errors
def apply(
    directory: Path,
    environment: str | None,
    auto_approve: bool,
    parallelism: int,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    """Make the live objects match the manifests in DIRECTORY."""
    _converge(directory, environment, "normal", auto_approve, parallelism, targets, allow_empty)


@main.command()
@DIRECTORY
@ENV
@click.option("--auto-approve", is_flag=True, help="Destroy without asking for confirmation.")
@handles_errors
def destroy(directory: Path, environment: str | None, auto_approve: bool) -> None:
    """Delete every object this project and environment own, and nothing else."""
    _converge(directory, environment, "destroy", auto_approve, 4, (), True)


def _converge(  # noqa: PLR0913, PLR0917
    directory: Path,
    environment: str | None,
    mode: Mode,
    auto_approve: bool,
    parallelism: int,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    with session(directory, environment, os.environ, allow_empty) as connected:
        made = connected.plan(mode, targets, allow_empty)
        click.echo(render_text(made, colour()), nl=False)
        if not made.actionable:
            return
        _confirm(auto_approve, "destroy" if mode == "destroy" else "apply")
        outcomes = connected.apply(made, parallelism, click.echo)
    _finish(made, outcomes)


def _confirm(auto_approve: bool, verb: str) -> None:
    if auto_approve:
        return
    if not interactive():
        raise UsageError(
            f"{verb} needs confirmation and there is no terminal to ask: pass --auto-approve to {verb} without asking."
        )
    answer = click.prompt(
        f"\nDo you want to {verb} these changes? Only 'yes' will be accepted",
        default="",
        show_default=False,
    )
    if answer != "yes":
        raise UsageError(f"{verb.capitalize()} cancelled: nothing was changed.")


def _finish(made: Plan, outcomes: list[Outcome]) -> None:
    done = [o for o in outcomes if o.status == "done"]
    counts = {"create": 0, "update": 0, "delete": 0}
    for outcome in done:
        counts[outcome.change.action] += 1
    resources = (
        f"{counts['create']} added, {counts['update']} changed, {counts['delete']} destroyed"
    )
    if len(done) == len(made.actionable):
        click.echo(f"Apply complete! Resources: {resources}.")
        return
    failed = [o for o in outcomes if o.status != "done"]
    click.echo(f"Apply incomplete. Done: {resources}. Not done:", err=True)
    for outcome in failed:
        click.echo(f"  {outcome.change.address}: {outcome.status}: {outcome.detail}", err=True)
    click.echo("Run apply again to finish: it picks up where this one stopped.", err=True)
    raise SystemExit(1)


main.add_command(emulator_group)
