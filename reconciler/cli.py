"""The `reconciler` command line: a thin shell over the pipeline.

Each command parses its options, calls one pipeline function, renders the result and exits
with the code the error tree gives (0 ok, 1 error, 2 changes present, 130 interrupted).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler import __version__, desired
from reconciler.document import json_schemas
from reconciler.emulator.cli import emulator_group
from reconciler.errors import EXIT_INTERRUPTED, ProjectError, ReconcilerError
from reconciler.model import Diagnostic

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


main.add_command(emulator_group)
