"""A YAML document as plain data, with the position of every value and mapping key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.core.model import KEY, Path
from reconciler.diagnostics import Location


@dataclass
class Document:
    """One YAML document as plain data, with the position of every value and mapping key."""

    file: str
    data: Any = None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

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
