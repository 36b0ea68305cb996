"""What every resource module shares: the database, the clock, ids and the server's options."""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.emulator.db import Database, Json
from reconciler.emulator.errors import not_found

_ALPHABET = string.ascii_letters + string.digits
DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Options:
    """Behaviour switches of one emulator instance."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # Azure rejects the `retrieval` tool on v1 although the spec defines it; off by default.
    reject_retrieval: bool = False


@dataclass
class State:
    db: Database
    options: Options = field(default_factory=Options)
    clock: Callable[[], float] = time.time

    def now(self) -> int:
        return int(self.clock())

    def require(self, kind: str, parent: str, object_id: str) -> Json:
        """The object, or the service's 404 for it."""
        found = self.db.get(kind, parent, object_id)
        if found is None:
            raise not_found(kind, object_id)
        return found


def new_id(prefix: str) -> str:
    """An Azure-style id: a prefix and 24 random alphanumerics."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(24))
