"""A Foundry hosted agent (image-based) as a manifest declares it and as the API serves it, and
an image tag as the registry resolves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.diagnostics import Location

NOWHERE = Location("")


@dataclass(frozen=True)
class DesiredHosted:
    """One hosted agent as its latest version should be, resolved for one environment.

    `environment` maps each variable to its plain value or, for a secret, the marker the plan
    holds (core/tools/secret.py: `${env:NAME} sha256:<16 hex>`), never the secret itself."""

    name: str
    image: str  # as declared: `registry/repository:tag` or `registry/repository@sha256:...`
    cpu: str
    memory: str
    environment: tuple[tuple[str, str], ...] = ()
    protocols: tuple[tuple[str, str], ...] = ()  # (protocol, version)
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    prevent_destroy: bool = False
    import_id: str | None = None
    location: Location = NOWHERE

    @property
    def address(self) -> str:
        return f"hosted_agent.{self.name}"


@dataclass(frozen=True)
class LiveHosted:
    """A hosted agent's latest version, with its provisioning status and, when it failed, the
    service's reason."""

    name: str
    version: str
    created_at: int
    description: str | None
    definition: dict[str, Any]
    metadata: dict[str, str]
    status: str = "active"
    error: str | None = None


@dataclass(frozen=True)
class LiveImage:
    """An image tag as its registry answered: the digest it names now, or None (no such tag)."""

    image: str
    digest: str | None
