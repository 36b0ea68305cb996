"""`reconciler test`: run each agent's tests against its live version and report per agent and
criterion. Exit 0 when every threshold holds, 2 when one does not, 1 on error."""

from __future__ import annotations

import os
from pathlib import Path

import click

from reconciler.cli.console import check_writable, handles_errors, settings
from reconciler.core.evidence.report import RENDERERS
from reconciler.engine.testing import run_tests
from reconciler.errors import EXIT_CHANGES, EXIT_ERROR


@click.command("test")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--env", "environment", help="Environment to use (may be left out when there is one)."
)
@click.option("--target", "targets", multiple=True, help="Only this agent (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option(
    "--markdown-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report as Markdown (a job summary, a pull-request comment).",
)
@handles_errors
def test_command(
    directory: Path,
    environment: str | None,
    targets: tuple[str, ...],
    fmt: str,
    markdown_out: Path | None,
) -> None:
    """Run the agent tests (kind: AgentTest) of DIRECTORY against ENV's live agents.

    Each run is tagged with the agent's definition hash: it is the evidence an environment with
    `requires_evidence_from` asks for. A definition and test that already have a completed run
    reuse it."""
    if markdown_out is not None:
        check_writable(markdown_out)
    retry = settings().retry
    progress = lambda line: click.echo(line, err=True)  # noqa: E731 - a one-line sink
    results = run_tests(directory, environment, os.environ, retry, targets, progress)
    click.echo(RENDERERS[fmt](results), nl=False)
    if markdown_out is not None:
        markdown_out.write_text(RENDERERS["markdown"](results), encoding="utf-8")
    if any(r.error for r in results):
        raise SystemExit(EXIT_ERROR)
    if not all(r.passed for r in results):
        raise SystemExit(EXIT_CHANGES)
