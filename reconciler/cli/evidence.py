"""The evidence section of plan and apply for an environment with `requires_evidence_from`,
and apply's refusal (core/evidence/gate.py says what; engine/evidence.py reads it)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from reconciler.cli.console import settings
from reconciler.core.evidence.gate import refusal, render_evidence
from reconciler.core.plan_types import Plan
from reconciler.core.promote import DECLARED, Side
from reconciler.engine.evidence import EvidenceError, gather, required_source
from reconciler.errors import ReconcilerError


def show_evidence(
    directory: Path, made: Plan, refuse: bool = False, markdown: bool = False
) -> None:
    """Print, per agent the plan creates or changes, whether its definition has evidence; with
    `refuse` (apply), stop with exit 1 when one has none. A plan whose evidence cannot be read
    (the job holds no access to the other environment) says so and goes on: apply refuses."""
    source = required_source(directory, made.environment)
    if source is None:
        return
    try:
        found = gather(directory, made, source, os.environ, settings().retry)
    except ReconcilerError as error:
        if refuse:
            raise
        click.echo(f"Evidence from {source} could not be read: {error}")
        return
    shown = render_evidence(made.environment, source, found)
    click.echo(f"\n```text\n{shown}```\n" if markdown and shown else shown, nl=False)
    message = refusal(str(directory), made.environment, source, found) if refuse else None
    if message is not None:
        raise EvidenceError(message)


def diff_evidence(directory: Path, sides: list[Side]) -> None:
    """Beside `diff --against`'s versions: whether each side's agent definitions passed their
    tests in the environment either side requires evidence from."""
    sources = [required_source(directory, side.environment) for side in sides]
    source = next((s for s in sources if s is not None), None)
    if source is None:
        return
    retry, lines = settings().retry, []
    for side in sides:
        try:
            found = gather(directory, side.plan, source, os.environ, retry, DECLARED)
        except ReconcilerError as error:
            lines.append(f"  {side.environment}: could not be read: {error}")
            continue
        shown = render_evidence(side.environment, source, found).splitlines()[1:]
        lines += [f"  {side.environment}: {line.strip()}" for line in shown]
    if lines:
        click.echo("\n".join([f"Evidence from {source}:", *lines]))
