"""An assistant as a manifest declares it (resolved for one environment) and as the API serves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.diagnostics import Location


@dataclass(frozen=True)
class DesiredAssistant:
    """One assistant as the API should hold it, fully resolved for one environment."""

    name: str  # the logical name: the stable key
    model: str
    display_name: str | None = None
    description: str | None = None
    instructions: str | None = None
    tools: tuple[dict[str, Any], ...] = ()
    files: tuple[str, ...] = ()  # sha256 of each declared file, in declaration order
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    ignore_changes: tuple[str, ...] = ()
    import_id: str | None = None  # an existing, unmanaged assistant to adopt (see `import`)
    renamed_from: tuple[str, ...] = ()  # earlier logical names: a rename keeps the live object
    location: Location = Location("")

    @property
    def address(self) -> str:
        return f"assistant.{self.name}"

    @property
    def api_name(self) -> str:
        return self.display_name if self.display_name is not None else self.name


@dataclass(frozen=True, slots=True)  # slots: a fleet holds tens of thousands
class LiveAssistant:
    """An assistant as the API returns it."""

    id: str
    created_at: int
    name: str | None
    description: str | None
    model: str
    instructions: str | None
    tools: tuple[dict[str, Any], ...]
    file_ids: tuple[str, ...]
    metadata: dict[str, str]
