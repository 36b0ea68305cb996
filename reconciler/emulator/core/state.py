"""What every resource module of every family shares: the database, the clock, ids, options."""

from __future__ import annotations

import os
import random
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.emulator.core.db import Database

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


# Ids need to be unique and unguessable across runs, not secret: one generator seeded from
# os.urandom draws all 24 characters in one call, where secrets.choice made 24 urandom calls.
_RANDOM = random.Random(secrets.randbits(128))
os.register_at_fork(after_in_child=lambda: _RANDOM.seed(secrets.randbits(128)))  # as `random` does


def new_id(prefix: str) -> str:
    """An Azure-style id: a prefix and 24 random alphanumerics."""
    return prefix + "".join(_RANDOM.choices(_ALPHABET, k=24))
