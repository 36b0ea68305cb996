"""The desired and the live state of one environment, each holding its objects by kind.

Pure data. Neither knows which kinds exist: a kind module names its objects with a `Key`
(its kind's name, typed with the class of its objects), and reads and writes them through it,
so a new kind adds objects without a new field here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from reconciler.core.model import DesiredFile, Environment
from reconciler.diagnostics import Diagnostic

T = TypeVar("T")


@dataclass(frozen=True)
class Key(Generic[T]):
    """The name under which a kind's objects are held, typed with their class."""

    kind: str


@dataclass(frozen=True)
class DesiredState:
    """What the manifests declare for one environment, resolved: objects by kind, and the
    declared files (content-addressed, shared by every kind that uploads)."""

    project: str
    environment: Environment
    objects: Mapping[str, tuple[Any, ...]]
    files: dict[str, DesiredFile]  # by sha256
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def owner(self) -> str:
        return f"{self.project}/{self.environment.name}"

    def of(self, key: Key[T]) -> tuple[T, ...]:
        return cast(tuple[T, ...], self.objects.get(key.kind, ()))

    @cached_property
    def declared(self) -> int:
        """How many objects the manifests declare, of every kind."""
        return sum(len(objects) for objects in self.objects.values())


@dataclass(frozen=True)
class LiveState:
    """Everything the endpoint holds that planning needs (every owner's objects), by kind."""

    objects: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    # SHA-256 of the content of files the planner asked to verify (by id): an upload is ours only
    # when its name follows our scheme and, unless we attached it ourselves, its content agrees.
    content: dict[str, str] = field(default_factory=dict)

    def of(self, key: Key[T]) -> tuple[T, ...]:
        return cast(tuple[T, ...], self.objects.get(key.kind, ()))

    def having(self, key: Key[T], objects: tuple[T, ...]) -> LiveState:
        """This state with the objects of one kind replaced."""
        return dataclasses.replace(self, objects={**self.objects, key.kind: objects})
