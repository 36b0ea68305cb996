"""The command line: click commands, console output, and the `ci` and `import` commands."""

from reconciler.cli.commands import main

__all__ = ["main"]
