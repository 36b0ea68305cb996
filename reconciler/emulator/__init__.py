"""A faithful, stateful emulator of the Azure OpenAI Assistants v1 API and the Foundry data plane.

    core/         what every family shares: store, gateway, faults, listing, validation, files, TLS
    assistants/   the Assistants v1 family under /openai (store modules, routes, errors, bodies)
    foundry/      the Foundry family under /api/projects/{project} (the same shape)
    app.py        the assembly: both families' routes behind the one gateway, control endpoints
    server.py     serving it over HTTP(S) (in a thread for tests and `endpoint: local`)
    cli.py        `reconciler emulator serve | demo`

Families import core and never each other; core imports no family (import-linter contracts).

It shares no code with the reconciler (an import-linter contract keeps it so): an emulator built
on the reconciler's own models would copy the reconciler's mistakes into its tests.

Its names load on first use: importing one module of the package (the server, say) must not
import the whole emulator, which costs a quarter of a second that only `endpoint: local` needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.emulator.app import Emulator
    from reconciler.emulator.core.faults import FaultSettings
    from reconciler.emulator.core.gateway import Access
    from reconciler.emulator.core.state import Options

_HOMES = {
    "Access": "core.gateway",
    "Emulator": "app",
    "FaultSettings": "core.faults",
    "Options": "core.state",
}
__all__ = ["Access", "Emulator", "FaultSettings", "Options"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
