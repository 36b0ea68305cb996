"""Command groups whose modules load only when one of their commands runs.

`reconciler emulator ...` needs the whole emulator (a quarter of a second of imports); `plan`,
`apply` and the rest must not pay for it. The group shows its help line without loading.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """A click group standing in for `module:attribute`, loaded on first lookup."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self._target = target
        self._loaded: click.Group | None = None

    def _real(self) -> click.Group:
        if self._loaded is None:
            module, attribute = self._target.split(":")
            loaded = getattr(importlib.import_module(module), attribute)
            assert isinstance(loaded, click.Group)
            self._loaded = loaded
        return self._loaded

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)


emulator_group = LazyGroup(
    "emulator",
    "reconciler.emulator.cli:emulator_group",
    "The bundled emulator: Azure OpenAI Assistants v1 and the Microsoft Foundry agents data plane.",
)
