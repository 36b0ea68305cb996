"""A faithful, stateful emulator of the Azure OpenAI Assistants v1 API.

It shares no code with the reconciler (an import-linter contract keeps it so): an emulator built
on the reconciler's own models would copy the reconciler's mistakes into its tests.
"""

from reconciler.emulator.app import Emulator
from reconciler.emulator.faults import FaultSettings
from reconciler.emulator.gateway import Access
from reconciler.emulator.state import Options

__all__ = ["Access", "Emulator", "FaultSettings", "Options"]
