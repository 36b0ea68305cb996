"""The `reconciler` command line: a thin shell over the pipeline.

Each command parses its options, calls one pipeline function, renders the result and exits
with the code the error tree gives (0 ok, 1 error, 2 changes present, 130 interrupted).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reconciler.api.retry import RetryPolicy
from reconciler.cli.console import (
    Settings,
    check_writable,
    colour,
    configure_logging,
    confirm,
    handles_errors,
    report,
    settings,
    show_version,
    summarise,
    width,
    write_plan,
)
from reconciler.cli.lazy import (
    LazyCommand,
    ci_group,
    emulator_group,
    import_command,
    lazy_function,
    migrate_command,
)
from reconciler.core.plan_types import Mode, Plan
from reconciler.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    ProjectError,
    UsageError,
)

# Connecting, reading and planning load with the first command that connects (cli/lazy.py):
# `validate` and `schema` never pay for httpx, the dialects or the planner. Loading manifests
# and rendering load once the first requests are in flight (engine/pipeline.py, session).
if TYPE_CHECKING:
    from reconciler.cli.evidence import diff_evidence, show_evidence
    from reconciler.config.desired import validate as validate_project
    from reconciler.config.schemas import json_schemas
    from reconciler.core.promote import compare
    from reconciler.core.render import render_drift, render_text
    from reconciler.core.rendering.compare import render_comparison
    from reconciler.engine.apply import Outcome
    from reconciler.engine.pipeline import Session, apply_saved, read_side, session
else:
    validate_project = lazy_function("reconciler.config.desired:validate")
    json_schemas = lazy_function("reconciler.config.schemas:json_schemas")
    render_drift = lazy_function("reconciler.core.render:render_drift")
    render_text = lazy_function("reconciler.core.render:render_text")
    compare = lazy_function("reconciler.core.promote:compare")
    show_evidence = lazy_function("reconciler.cli.evidence:show_evidence")
    diff_evidence = lazy_function("reconciler.cli.evidence:diff_evidence")
    render_comparison = lazy_function("reconciler.core.rendering.compare:render_comparison")
    apply_saved = lazy_function("reconciler.engine.pipeline:apply_saved")
    read_side = lazy_function("reconciler.engine.pipeline:read_side")
    session = lazy_function("reconciler.engine.pipeline:session")

# A plan's formats, as core/render.py's RENDERERS names them (tests/cli/test_startup.py).
FORMATS = ("json", "markdown", "text")


def renderer(fmt: str) -> Callable[[Plan], str]:
    """core/render.py's renderer for a format, loaded with it."""
    from reconciler.core.render import RENDERERS  # noqa: PLC0415 - see the lazy imports above

    return RENDERERS[fmt]


class ReconcilerGroup(click.Group):
    """Click, with our exit codes: a usage error is 1 (click says 2, which CI would read as
    "changes present" from `plan --detailed-exitcode`)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as error:
            error.show()
            sys.exit(EXIT_ERROR)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


@click.group(cls=ReconcilerGroup)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the version and the git revision it was built from, and exit.",
)
@click.option("--verbose", is_flag=True, help="Show retries and recoveries as they happen.")
@click.option("--debug", is_flag=True, help="Show everything, tracebacks included (never secrets).")
@click.option(
    "--max-attempts",
    type=click.IntRange(1, 50),
    default=6,
    show_default=True,
    envvar="RECONCILER_MAX_ATTEMPTS",
    help="Attempts per API call.",
)
@click.option(
    "--retry-seconds",
    type=click.FloatRange(0),
    default=120.0,
    show_default=True,
    envvar="RECONCILER_RETRY_SECONDS",
    help="Time one API call may spend retrying.",
)
@click.option(
    "--retry-base-seconds",
    type=click.FloatRange(0),
    default=0.5,
    show_default=True,
    envvar="RECONCILER_RETRY_BASE_SECONDS",
    help="First backoff step (doubles per retry, with full jitter).",
)
@click.pass_context
def main(
    context: click.Context,
    verbose: bool,
    debug: bool,
    max_attempts: int,
    retry_seconds: float,
    retry_base_seconds: float,
) -> None:
    """Declarative plan/apply/destroy for Azure OpenAI assistants (v1) and Microsoft Foundry agents."""
    retry = RetryPolicy(
        attempts=max_attempts, total_seconds=retry_seconds, base_seconds=retry_base_seconds
    )
    context.obj = Settings(verbose=verbose, debug=debug, retry=retry)
    configure_logging(context.obj)


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
    problems = validate_project(directory, environment, os.environ)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProjectError(problems)
    report(problems)
    click.echo("Success! The project is valid.")


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["manifest", "project", "plan"]),
    help="Only this schema (default: all).",
)
def schema(kind: str | None) -> None:
    """Print the JSON Schemas of manifests, reconciler.yaml and saved plans."""
    schemas = json_schemas()
    click.echo(json.dumps(schemas[kind] if kind else schemas, indent=2))


TARGET = click.option(
    "--target", "targets", multiple=True, help="Only this assistant or agent (repeatable)."
)
PARALLELISM = click.option(
    "--parallelism",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="API calls that may run at once.",
)
ALLOW_EMPTY = click.option(
    "--allow-empty", is_flag=True, help="Allow manifests that declare no assistant or agent."
)


@main.command()
@DIRECTORY
@ENV
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the plan as JSON.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the plan has changes.")
@TARGET
@ALLOW_EMPTY
@PARALLELISM
@handles_errors
def plan(  # noqa: PLR0913, PLR0917 - one parameter per documented flag
    directory: Path,
    environment: str | None,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    allow_empty: bool,
    parallelism: int,
) -> None:
    """Show what apply would change in DIRECTORY's environment."""
    if out is not None:
        check_writable(out)  # before any request: a plan that cannot be saved is not made
    retry = settings().retry
    with session(directory, environment, os.environ, allow_empty, retry, parallelism) as connected:
        report(list(connected.desired.warnings))
        made = connected.plan("normal", targets, allow_empty, out is not None or fmt == "json")
    if out is not None:
        write_plan(out, renderer("json")(made))
    click.echo(
        render_text(made, colour(), width()) if fmt == "text" else renderer(fmt)(made),
        nl=fmt != "text",
    )
    if fmt != "json":
        show_evidence(directory, made, markdown=fmt == "markdown")
    if detailed_exitcode and made.actionable:
        raise SystemExit(EXIT_CHANGES)


@main.command()
@click.argument("source", default=".", type=click.Path(path_type=Path), metavar="[DIR | PLANFILE]")
@ENV
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@PARALLELISM
@TARGET
@ALLOW_EMPTY
@handles_errors
def apply(
    source: Path,
    environment: str | None,
    auto_approve: bool,
    parallelism: int,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    """Make the live objects match the manifests in DIR, or apply a saved PLANFILE as it is.

    A saved plan is applied without a prompt (it was reviewed when it was made), and refused,
    with nothing changed, when the manifests or any live object it depends on moved since."""
    if not source.is_file():
        _converge(source, environment, "normal", auto_approve, parallelism, targets, allow_empty)
        return
    if targets or allow_empty:
        raise UsageError(
            "--target and --allow-empty belong to plan: a saved plan is applied as it was made."
        )

    def run(connected: Session, saved: Plan) -> list[Outcome]:
        click.echo(render_text(saved, colour(), width()), nl=False)
        show_evidence(Path(saved.directory), saved, refuse=bool(saved.actionable))
        return connected.apply(saved, parallelism, click.echo) if saved.actionable else []

    retry = settings().retry
    saved, outcomes = apply_saved(source, environment, os.environ, retry, run, parallelism)
    if saved.actionable and not summarise(saved, outcomes):
        raise SystemExit(EXIT_ERROR)


@main.command()
@DIRECTORY
@ENV
@click.option("--auto-approve", is_flag=True, help="Destroy without asking for confirmation.")
@PARALLELISM
@handles_errors
def destroy(directory: Path, environment: str | None, auto_approve: bool, parallelism: int) -> None:
    """Delete every object this project and environment own, and nothing else."""
    _converge(directory, environment, "destroy", auto_approve, parallelism, (), True)


def _converge(  # noqa: PLR0913, PLR0917
    directory: Path,
    environment: str | None,
    mode: Mode,
    auto_approve: bool,
    parallelism: int,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    retry = settings().retry
    with session(directory, environment, os.environ, allow_empty, retry, parallelism) as connected:
        report(list(connected.desired.warnings))
        made = connected.plan(mode, targets, allow_empty, fingerprinted=False)
        click.echo(render_text(made, colour(), width()), nl=False)
        if mode == "normal":
            show_evidence(directory, made, refuse=bool(made.actionable))
        if not made.actionable:
            return
        confirm(auto_approve, "destroy" if mode == "destroy" else "apply")
        outcomes = connected.apply(made, parallelism, click.echo)
    if not summarise(made, outcomes):
        raise SystemExit(1)


@main.command()
@DIRECTORY
@ENV
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@handles_errors
def drift(directory: Path, environment: str | None, fmt: str) -> None:
    """Exit 2 when the live objects differ from the manifests: for a scheduled job.

    Shows the drift as a plan would (Markdown by default). Changes merged but not yet applied
    count as drift too: run it against the branch that was last applied."""
    with session(directory, environment, os.environ, False, settings().retry) as connected:
        made = connected.plan(fingerprinted=fmt == "json")
    shown = {
        "text": lambda: render_text(made, colour(), width()),
        "markdown": lambda: render_drift(made),
    }
    click.echo(shown.get(fmt, lambda: renderer(fmt)(made))(), nl=False)
    if made.has_changes:
        raise SystemExit(EXIT_CHANGES)


@main.command(name="diff")
@DIRECTORY
@click.option("--env", "environment", required=True, help="The environment to compare.")
@click.option("--against", required=True, help="The environment to compare it with, e.g. prod.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the environments differ.")
@handles_errors
def diff_command(directory: Path, environment: str, against: str, detailed_exitcode: bool) -> None:
    """Compare the live assistants or agents of two environments, by the manifest that declares them.

    Ids, ownership marks and per-environment variable values are set aside: a reviewer sees
    what promoting one environment to the other would really change."""
    retry = settings().retry
    left = read_side(directory, environment, os.environ, retry)
    right = read_side(directory, against, os.environ, retry)
    differences = compare(left, right)
    click.echo(render_comparison(left, right, differences, width()), nl=False)
    diff_evidence(directory, [left, right])
    if detailed_exitcode and any(d.status != "same" for d in differences):
        raise SystemExit(EXIT_CHANGES)


main.add_command(emulator_group)
main.add_command(import_command)
main.add_command(migrate_command)
main.add_command(ci_group)
main.add_command(
    LazyCommand(
        "test",
        "reconciler.cli.test_command:test_command",
        "Run the agent tests (kind: AgentTest) of DIRECTORY against ENV's live agents.",
    )
)
