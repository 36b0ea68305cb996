"""Commands, groups and functions whose modules load only when one of them runs.

Start-up imports only what the command that runs needs: `reconciler validate` reads manifests
and never loads httpx, the connection and planning machinery, the adoption code or the emulator
(tests/cli/test_startup.py). `reconciler emulator ...` needs the whole emulator (a quarter of a
second of imports); `import`, `migrate` and `ci` their own modules. Each stands in for its
`module:attribute` and shows its help line without loading; the real one is loaded on first
use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import click


def _load(target: str) -> Any:
    module, attribute = target.split(":")
    return getattr(importlib.import_module(module), attribute)


class LazyGroup(click.Group):
    """A click group standing in for `module:attribute`, loaded on first lookup."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self._target = target
        self._loaded: click.Group | None = None

    def real(self) -> click.Group:
        """The group itself, loaded now if it was not yet."""
        if self._loaded is None:
            loaded = _load(self._target)
            assert isinstance(loaded, click.Group)
            self._loaded = loaded
        return self._loaded

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.real().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real().list_commands(ctx)


class LazyCommand(click.Command):
    """A click command standing in for `module:attribute`: the real one parses the arguments
    (its --help included) and runs, so the context a group invokes is the real command's."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self._target = target

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        real = _load(self._target)
        assert isinstance(real, click.Command)
        return real.make_context(info_name, args, parent, **extra)


def lazy_function(target: str) -> Callable[..., Any]:
    """A function of `module:attribute`, its module imported on the first call. Callers declare
    the real signature under TYPE_CHECKING, so that types are checked as if imported."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return _load(target)(*args, **kwargs)

    return call


emulator_group = LazyGroup(
    "emulator",
    "reconciler.emulator.cli:emulator_group",
    "The bundled emulator: Azure OpenAI Assistants v1 and the Microsoft Foundry agents data plane.",
)
ci_group = LazyGroup(
    "ci",
    "reconciler.cli.ci:ci_group",
    "What the GitHub Action runs: pull-request comments and step outputs.",
)
import_command = LazyCommand(
    "import",
    "reconciler.cli.importer:import_command",
    "List the assistants or agents no project manages; with --select, write manifests that "
    "adopt them.",
)
migrate_command = LazyCommand(
    "migrate",
    "reconciler.cli.migrate:migrate_command",
    "Write DIRECTORY's kind: Assistant manifests as kind: Agent manifests into --into.",
)
