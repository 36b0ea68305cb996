"""Ownership marks: the two reserved metadata keys a managed object carries on the live API.

`reconciler.owner` is `<project>/<environment>`; `reconciler.name` is the manifest's logical
name, followed by `;prevent_destroy` while the manifest protects it. Protection is written on
the live object, so that removing or renaming the manifest cannot delete it (as Argo CD's
`Delete=false`): releasing it takes an apply with `prevent_destroy: false` first. Logical,
project and environment names cannot hold `;` (config/limits.py), so the flag cannot be forged
by a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MARK_PREFIX = "reconciler."
OWNER_MARK = "reconciler.owner"
NAME_MARK = "reconciler.name"
MARK_COUNT = 2
PROTECTED = ";prevent_destroy"


@dataclass(frozen=True)
class Marks:
    owner: str
    name: str
    protected: bool = False

    def metadata(self) -> dict[str, str]:
        return {
            OWNER_MARK: self.owner,
            NAME_MARK: self.name + (PROTECTED if self.protected else ""),
        }


def read_marks(metadata: dict[str, Any]) -> Marks | None:
    """The marks of a live object, or None when it carries no complete, well-formed pair."""
    owner, name = metadata.get(OWNER_MARK), metadata.get(NAME_MARK)
    if not isinstance(owner, str) or not isinstance(name, str) or not owner or not name:
        return None
    protected = name.endswith(PROTECTED)
    name = name.removesuffix(PROTECTED)
    return Marks(owner, name, protected) if name and ";" not in name else None


def unmarked(metadata: dict[str, Any]) -> bool:
    """No owner mark: nobody manages it (a lone name mark, say from a copy, claims nothing)."""
    return OWNER_MARK not in metadata


def user_metadata(metadata: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in metadata.items() if k not in (OWNER_MARK, NAME_MARK)}
