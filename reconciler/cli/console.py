"""What the command line shares: settings, logging, error reporting, prompts, summaries."""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from reconciler.api.retry import RetryPolicy
from reconciler.cli import secrets
from reconciler.core.plan_types import Plan
from reconciler.core.rendering.width import DEFAULT_WIDTH, fit
from reconciler.diagnostics import Diagnostic
from reconciler.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    ApiError,
    ApplyInterruptedError,
    ProjectError,
    ReconcilerError,
    UsageError,
)

if TYPE_CHECKING:  # a type only: commands that apply nothing never load the engine
    from reconciler.engine.apply import Outcome

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """Global options: output detail and how hard to retry."""

    verbose: bool = False
    debug: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def settings() -> Settings:
    context = click.get_current_context(silent=True)
    found = context.find_object(Settings) if context else None
    return found or Settings()


def configure_logging(chosen: Settings) -> None:
    """--verbose shows retries and recoveries; --debug shows everything, tracebacks included."""
    level = logging.DEBUG if chosen.debug else logging.INFO if chosen.verbose else logging.WARNING
    logger = logging.getLogger("reconciler")
    logger.setLevel(level)
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        logger.addHandler(_EchoHandler())


class _EchoHandler(logging.Handler):
    """Log lines go to whatever stderr is current (click's, under test), not the one at start."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def handles_errors(command: F) -> F:
    """Report errors as messages with their exit code; a traceback only with --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            secrets.install()
            secrets.protect(kwargs.get("directory") or kwargs.get("source"))
            return command(*args, **kwargs)
        except ProjectError as error:
            report(error.diagnostics)
            raise SystemExit(error.exit_code) from None
        except ApplyInterruptedError as error:
            # engine/apply.py raises it with its Plan and Outcomes; errors.py cannot name them.
            interrupted: ApplyInterruptedError[Plan, Outcome] = error
            summarise(interrupted.plan, interrupted.outcomes)
            click.echo("Interrupted: calls in flight were let finish.", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None
        except ReconcilerError as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(error.exit_code) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None
        except OSError as error:  # this machine's: a path, its permissions, a full disk
            if settings().debug:
                traceback.print_exc()
            click.echo(f"Error: {_os_error(error)}", err=True)
            raise SystemExit(EXIT_ERROR) from None
        except Exception as error:  # a bug: say so plainly, the traceback only on request
            if settings().debug:
                traceback.print_exc()
            else:
                click.echo(
                    f"Internal error: {type(error).__name__}: {error}. Run with --debug for the traceback.",
                    err=True,
                )
            raise SystemExit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _os_error(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    what = error.strerror or str(error) or type(error).__name__
    return f"{what}{where}. Check that path, its permissions and the free space on its disk."


def show_version(context: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version: asked for lazily, so that no other command pays for git."""
    if not value or context.resilient_parsing:
        return
    # Imported here: importlib.metadata and subprocess are 10 ms no other command needs.
    from reconciler.cli.version import version_line  # noqa: PLC0415

    click.echo(version_line())
    context.exit()


def report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if diagnostics:
        click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}.", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def colour() -> bool:
    # no-color.org: only a NO_COLOR set to a non-empty value turns colour off.
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def width() -> int:
    """The columns a plan may use: COLUMNS when set (as shells and CI runners set it), else the
    terminal's, else DEFAULT_WIDTH (a pipe, a file, a CI log); never below MINIMUM_WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return fit(int(columns))
    if sys.stdout.isatty():
        try:
            return fit(os.get_terminal_size(sys.stdout.fileno()).columns)
        except (OSError, ValueError):  # a terminal that will not say
            pass
    return DEFAULT_WIDTH


def check_writable(out: Path) -> None:
    """A plan file can be written at `out`: its folder exists."""
    if not out.parent.is_dir():
        raise UsageError(
            f"cannot write the plan to {out}: the folder {out.parent} does not exist. "
            "Create it, or choose another --out."
        )


def write_plan(out: Path, text: str) -> None:
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"cannot write the plan to {out}: {error.strerror}. Choose another --out."
        ) from None


def interactive() -> bool:
    """Whether someone at a terminal can answer a confirmation prompt."""
    return sys.stdin.isatty()


def confirm(auto_approve: bool, verb: str) -> None:
    if auto_approve:
        return
    if not interactive():
        raise UsageError(
            f"{verb} needs confirmation and there is no terminal to ask: "
            f"pass --auto-approve to {verb} without asking."
        )
    question = f"\nDo you want to {verb} these changes? Only 'yes' will be accepted"
    if click.prompt(question, default="", show_default=False) != "yes":
        raise UsageError(f"{verb.capitalize()} cancelled: nothing was changed.")


def summarise(made: Plan, outcomes: list[Outcome]) -> bool:
    """Print what was done; True when everything in the plan was."""
    done = [o for o in outcomes if o.status == "done"]
    counts = {"create": 0, "update": 0, "delete": 0}
    for outcome in done:
        counts[outcome.change.action] += 1
    resources = (
        f"{counts['create']} added, {counts['update']} changed, {counts['delete']} destroyed"
    )
    verb = "Apply"
    if made.mode == "destroy":  # as Terraform: a destroy only destroys, and says so
        verb, resources = "Destroy", f"{counts['delete']} destroyed"
    if len(done) == len(made.actionable):
        click.echo(f"{verb} complete! Resources: {resources}.")
        return True
    click.echo(f"{verb} incomplete. Done: {resources}. Not done:", err=True)
    finished = {id(o.change) for o in outcomes}
    for outcome in outcomes:
        if outcome.status != "done":
            click.echo(f"  {outcome.change.address}: {outcome.status}: {outcome.detail}", err=True)
    for change in made.actionable:
        if id(change) not in finished:
            click.echo(f"  {change.address}: not started", err=True)
    click.echo(_next_step(outcomes), err=True)
    return False


def _next_step(outcomes: list[Outcome]) -> str:
    """What to do next: running apply again helps only when nothing failed for good."""
    lasting = [o.error for o in outcomes if isinstance(o.error, ReconcilerError)]
    if any(isinstance(e, ApiError) and e.permanent for e in lasting):
        return (
            "The API refused a request, so running apply again as it is fails the same way: "
            "fix what it refused (above), then run apply again."
        )
    if any(e.permanent for e in lasting):
        return (
            "Running apply again as it is fails the same way: fix what is named above (a file "
            "the service cannot ingest: change or remove it), then run apply again."
        )
    return "Run apply again to finish: it picks up where this one stopped."
