"""The `reconciler` command line: a thin shell over the pipeline."""

from __future__ import annotations

import click

from reconciler import __version__
from reconciler.emulator.cli import emulator_group


@click.group()
@click.version_option(__version__, prog_name="reconciler")
def main() -> None:
    """Declarative plan/apply/destroy for Azure OpenAI Assistants."""


main.add_command(emulator_group)
