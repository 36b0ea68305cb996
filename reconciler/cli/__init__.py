"""The command line: click commands and console output; what `import` and `migrate` do is
adoption's."""

from reconciler.cli.startup import trim

trim()

from reconciler.cli.commands import main  # noqa: E402 - after trim, which must come first

__all__ = ["main"]
