"""A YAML document as plain data, with the position of every value and mapping key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reconciler.core.model import KEY, Path
from reconciler.diagnostics import Location

if TYPE_CHECKING:
    from reconciler.config.interpolate import Scope


@dataclass
class Document:
    """One YAML document as plain data, with the position of every value and mapping key.

    `scope`: the one its strings were interpolated with as they were built (source.py), the
    problems of that in `interpolation`, by the path of their value; None: as written."""

    file: str
    data: Any = None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    scope: Scope | None = None
    interpolation: list[tuple[Path, str]] = field(default_factory=list)

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The location of the value (or key) at path, else of its nearest located ancestor."""
        if path and path[-1] == KEY:
            path, key = path[:-1], True
        if key and path in self.keys:
            return Location(self.file, *self.keys[path])
        for depth in range(len(path), -1, -1):
            if path[:depth] in self.values:
                return Location(self.file, *self.values[path[:depth]])
        return Location(self.file)
