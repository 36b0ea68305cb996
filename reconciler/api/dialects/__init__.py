"""API dialects: one adapter per API family, behind one planner and one applier."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reconciler.api.retry import RetryPolicy
from reconciler.core.kinds.base import Kind
from reconciler.core.model import Environment
from reconciler.core.plan_types import ResourceChange
from reconciler.core.state import LiveState


class Dialect(Protocol):
    """The wire side of one API family: its kinds, how to read them and how to write them."""

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds this family serves, dependencies first (core/kinds/registry.py)."""

    def read_live(self) -> LiveState:
        """Every object planning needs, from list endpoints."""

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        """The live state with the SHA-256 of these uploads' content added."""

    def listed(self, live: LiveState, stores: list[str]) -> LiveState:
        """The live state with the files of these vector stores listed."""

    def watch(self, progress: Callable[[str], None]) -> None:
        """Where to say how long work (such as ingestion) is getting on, during an apply."""

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        """Carry out one change; returns the id of the object acted on or made."""


@dataclass(frozen=True)
class Connection:
    """What opening one environment's dialect takes: the project, the environment, the process
    environment (credentials), the retry policy, the stop switch and the pool's size."""

    directory: Path
    project: str
    environment: Environment
    process: Mapping[str, str]
    retry: RetryPolicy | None
    stop: threading.Event | None
    parallelism: int
