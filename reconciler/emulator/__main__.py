"""`python -m reconciler.emulator serve ...`."""

from reconciler.emulator.cli import emulator_group

emulator_group()
