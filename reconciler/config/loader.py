"""What a manifest kind's loader is given and what it does: one interpolated document in, the
desired object of its resource kind out (config/manifest_kinds.py registers the loaders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from reconciler.config.content import FileCatalog
from reconciler.config.interpolate import Scope
from reconciler.config.located import Document
from reconciler.core.model import DesiredFile, Environment, SharedTools, SharedValues
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic


@dataclass
class Request:
    """One interpolated manifest to resolve for one environment, and what the project's
    manifests share: the declared files (by SHA-256) and the function tools seen so far."""

    source: Document
    directory: Path
    environment: Environment
    catalog: FileCatalog
    files: dict[str, DesiredFile]
    tools: SharedTools = field(default_factory=SharedTools)
    values: SharedValues = field(default_factory=SharedValues)  # strings many objects repeat
    scope: Scope | None = None  # what `${...}` resolves to, for a file a kind interpolates


class Loader(Protocol):
    @property
    def kind(self) -> str:
        """The manifest's `kind:`."""

    @property
    def document(self) -> type[BaseModel]:
        """Its document model (pydantic): the manifest's structure and its JSON Schema."""

    def resolve(self, request: Request) -> tuple[Any | None, list[Diagnostic]]:
        """The desired object, its declared files added to `request.files`, or its problems."""

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        """Two manifests of this kind that claim one live object."""

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        """Objects that two environments would both claim (names unique per endpoint)."""

    def wrong_api(self, environment: Environment) -> str:
        """Why an environment whose API family does not serve this kind cannot take it."""
