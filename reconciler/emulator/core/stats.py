"""What the emulator has been asked: request counts per route, and the requests in flight."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any


class Stats:
    """Request counts per method and route template, e.g. ``GET /openai/assistants``, and the
    requests in flight (arrived, not yet answered). A test waits on them (`reached`) instead
    of polling: a waiter is woken whenever a request arrives or ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._in_flight = 0
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1
            self._in_flight += 1
        self._wake()

    def done(self) -> None:
        with self._lock:
            self._in_flight -= 1
        self._wake()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(sorted(self._counts.items())),
                "total": sum(self._counts.values()),
                "in_flight": self._in_flight,
            }

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    async def reached(self, route: str | None, idle: bool, timeout: float, count: int = 1) -> bool:
        """Whether `route` was requested at least `count` times (when given) and no request is
        in flight (when `idle`), waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        while not self._holds(route, idle, count):
            event = asyncio.Event()
            entry = (asyncio.get_running_loop(), event)
            with self._lock:
                self._waiters.append(entry)
            try:
                if self._holds(route, idle, count):  # changed before the waiter was in place
                    return True
                await asyncio.wait_for(event.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                return self._holds(route, idle, count)
            finally:
                with self._lock:
                    self._waiters.remove(entry)
        return True

    def _holds(self, route: str | None, idle: bool, count: int) -> bool:
        with self._lock:
            arrived = route is None or self._counts[route] >= count
            return arrived and not (idle and self._in_flight > 0)

    def _wake(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)
