"""The `emulator serve` options of the Foundry surface, kept here so cli.py only adds one line."""

from __future__ import annotations

import functools
import re
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
        "--hosted-start-ms",
        default=0,
        type=click.IntRange(0),
        help="How long a new hosted agent version stays creating.",
    )
    @click.option(
        "--hosted-fail-image",
        multiple=True,
        metavar="IMAGE",
        help="Hosted versions running this image fail to start (repeatable).",
    )
    @click.option(
        "--registry-tag",
        multiple=True,
        metavar="IMAGE=DIGEST",
        callback=_tags,
        help="The registry stand-in: REGISTRY/REPO:TAG=sha256:... (repeatable).",
    )
    @click.option(
        "--resources",
        type=click.Path(exists=True, dir_okay=False),
        help="JSON file of each project's connections and deployments (default: a demo set).",
    )
    @functools.wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return command(*args, foundry=_options(kwargs), **kwargs)

    return wrapped


def _options(given: dict[str, Any]) -> FoundryOptions:
    """The Foundry flags, taken out of the command's arguments."""
    take = given.pop
    return FoundryOptions(
        ingestion_delay_ms=take("ingestion_delay_ms"),
        max_file_tokens=take("max_file_tokens"),
        check_references=not take("no_reference_checks"),
        create_conflicts=take("agent_create_conflicts"),
        undownloadable=frozenset(take("undownloadable")),
        resources=_resources(take("resources")),
        hosted_start_ms=take("hosted_start_ms"),
        hosted_fail_images=frozenset(take("hosted_fail_image")),
        registry=take("registry_tag"),
    )


def _tags(
    _: click.Context, __: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        image, _sep, digest = value.partition("=")
        if ":" not in image or not re.match(r"^sha256:[0-9a-f]{64}$", digest):
            raise click.BadParameter(f"{value!r}: expected REGISTRY/REPO:TAG=sha256:<64 hex>")
        pairs.append((image, digest))
    return tuple(pairs)


def _resources(path: str | None) -> Seed:
    if path is None:
        return Seed()
    try:
        return load_seed(Path(path))
    except SeedError as error:
        raise click.BadParameter(str(error), param_hint="--resources") from None
