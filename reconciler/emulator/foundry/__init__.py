"""The Microsoft Foundry project data plane: agents and their versions under
``/api/projects/{project}``, files and vector stores under ``.../openai/v1``, and the
applications that run on them: conversations and responses (``.../openai/v1`` and each agent's
own endpoint), answered by a deterministic model (model.py) whose hosted tools run here
(hosted.py: file search, code interpreter, MCP, OpenAPI).

Each project name is its own namespace. The family stands on core/ (store, gateway, faults,
listing, validation, files) as the Assistants family does, and imports nothing from that family.
"""

from reconciler.emulator.foundry.state import FoundryOptions

__all__ = ["FoundryOptions"]
