"""The read scheduler: the lists a plan reads, sent at once, at most `width` requests in flight.

Every dialect's read goes through it: each kind's list starts at once, and a list that leads to
more reads (a store's files, an agent's versions) hands them to the same scheduler as it goes,
so that they fill the width while its own pages are still coming. The requests are exactly those
of a read that sends them one after another; only their order in time changes.

The width is the connection pool's (api/connect.py, `read_width`): no request ever waits for a
connection, which httpcore 1.0.9 may close under a waiting call (encode/httpcore#1110). Only
the scheduler's threads send; the caller waits for their answers.

When reads fail, the error of the first one started wins, as when they ran one after another;
once one has failed, reads not yet started are never sent (with a width of 1 that is the
sequential read exactly).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


class SkippedError(Exception):
    """A read not sent, because one started before it had failed."""


class Reads:
    """One read of the live state: submit each list, then gather the answers in order."""

    def __init__(self, width: int) -> None:
        self._pool = ThreadPoolExecutor(max(1, width), thread_name_prefix="reconciler-read")
        self._failed = threading.Event()

    def __enter__(self) -> Reads:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._failed.set()  # nothing further is sent once the read is over, whatever its end
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, read: Callable[[], T]) -> Future[T]:
        """Start a read as soon as the width allows (callable from a read in flight)."""
        return self._pool.submit(self._run, read)

    def each(self, items: Iterable[U], read: Callable[[U], T]) -> list[Future[T]]:
        """One read per item, all started."""
        return [self.submit(functools.partial(read, item)) for item in items]

    def _run(self, read: Callable[[], T]) -> T:
        if self._failed.is_set():
            raise SkippedError
        try:
            return read()
        except BaseException:
            self._failed.set()
            raise


def gather(futures: Sequence[Future[T]]) -> list[T]:
    """Every answer, in the order the reads were started; else the first real error in that
    order (a read skipped after another failed is passed over for the error that skipped it)."""
    wait(futures)
    errors = [f.exception() for f in futures]
    first = next((e for e in errors if e is not None and not isinstance(e, SkippedError)), None)
    if first is not None:
        raise first
    return [f.result() for f in futures]
