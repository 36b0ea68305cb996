"""When and how long to wait before trying a call again.

429: the server's `retry-after-ms`, else `Retry-After`, else backoff. 5xx and network failures:
exponential backoff with full jitter (or, with `jitter=False`, the backoff's ceiling itself: for a
lone caller such as the GitHub client, which has no herd to spread). Each call has a cap on
attempts and on total time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # responses are only read here: `reconciler validate` never loads httpx
    import httpx

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    attempts: int = 6  # per call, the first one included
    total_seconds: float = 120.0  # give up once this much time has gone into one call
    base_seconds: float = 0.5
    cap_seconds: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    random: random.Random = field(default_factory=random.Random)
    jitter: bool = True

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before attempt number `attempt + 1` (attempt counts from 1)."""
        advised = _advised(response) if response is not None else None
        if advised is not None:
            return min(advised, self.cap_seconds)
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1))
        return self.random.uniform(0, ceiling) if self.jitter else ceiling

    def allows(self, attempt: int, spent: float, delay: float) -> bool:
        """Whether another attempt fits, after `spent` seconds on this call and `delay` to wait."""
        return attempt < self.attempts and spent + delay <= self.total_seconds


def _advised(response: httpx.Response) -> float | None:
    for header, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = response.headers.get(header)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            continue
        if seconds >= 0:
            return seconds
    return None


def retryable(response: httpx.Response) -> bool:
    return response.status_code in RETRIED_STATUSES


def unapplied(response: httpx.Response) -> bool:
    """A 429 is refused before anything happens; other failures may have been applied."""
    return response.status_code == 429
