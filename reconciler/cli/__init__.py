"""The command line: click commands and console output; what `import` and `migrate` do is
adoption's."""

from reconciler.cli.commands import main

__all__ = ["main"]
