"""The Microsoft Foundry project data plane: agents and their versions under
``/api/projects/{project}``, files and vector stores under ``.../openai/v1``.

Each project name is its own namespace. The surface shares the v1 emulator's store, gateway,
faults and listing machinery, and like it imports nothing from the rest of the reconciler.
"""

from reconciler.emulator.foundry.state import FoundryOptions

__all__ = ["FoundryOptions"]
