"""The `emulator serve` options of the Foundry surface, kept here so cli.py only adds one line."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reconciler.emulator.foundry.files import PURPOSES
from reconciler.emulator.foundry.seed import Seed, SeedError, load_seed
from reconciler.emulator.foundry.state import MAX_FILE_TOKENS, FoundryOptions

Command = Callable[..., Any]


def foundry_options(command: Command) -> Command:
    """Add the Foundry flags; the command receives one `foundry: FoundryOptions`. (`--token`
    is the gateway's, shared with v1.)"""

    @click.option(
        "--ingestion-delay-ms",
        default=0,
        type=click.IntRange(0),
        help="How long a file attached to a vector store stays in_progress.",
    )
    @click.option(
        "--max-file-tokens",
        default=MAX_FILE_TOKENS,
        type=click.IntRange(1),
        show_default=True,
        help="Ingestion fails (invalid_file) above this many tokens (bytes / 4).",
    )
    @click.option(
        "--no-reference-checks", is_flag=True, help="Let agent tools name missing stores and files."
    )
    @click.option(
        "--agent-create-conflicts", is_flag=True, help="POST /agents with a taken name: 409."
    )
    @click.option(
        "--undownloadable",
        multiple=True,
        type=click.Choice(PURPOSES),
        metavar="PURPOSE",
        help="Refuse to give out the content of files of this purpose (repeatable).",
    )
    @click.option(
        "--resources",
        type=click.Path(exists=True, dir_okay=False),
        help="JSON file of each project's connections and deployments (default: a demo set).",
    )
    @functools.wraps(command)
    def wrapped(
        *args: Any,
        ingestion_delay_ms: int,
        max_file_tokens: int,
        no_reference_checks: bool,
        agent_create_conflicts: bool,
        undownloadable: tuple[str, ...],
        resources: str | None,
        **kwargs: Any,
    ) -> Any:
        foundry = FoundryOptions(
            ingestion_delay_ms=ingestion_delay_ms,
            max_file_tokens=max_file_tokens,
            check_references=not no_reference_checks,
            create_conflicts=agent_create_conflicts,
            undownloadable=frozenset(undownloadable),
            resources=_resources(resources),
        )
        return command(*args, foundry=foundry, **kwargs)

    return wrapped


def _resources(path: str | None) -> Seed:
    if path is None:
        return Seed()
    try:
        return load_seed(Path(path))
    except SeedError as error:
        raise click.BadParameter(str(error), param_hint="--resources") from None
