"""The live state read while the manifests load.

The environment is known from reconciler.yaml alone, so the first read need not wait for the
slowest local step (parsing and validating every manifest). Manifest errors still win: the read
is then abandoned at its next request, and its own failure, if any, is never shown.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

from reconciler.api.dialects import Dialect
from reconciler.core.model import LiveState


class EarlyRead:
    """`dialect.read_live()` on its own thread, started at once; `stop` is the connection's
    switch (see `open_dialect`), so that abandoning refuses every later request."""

    def __init__(self, dialect: Dialect, stop: threading.Event) -> None:
        self._stop = stop
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-read")
        self._pending: Future[LiveState] | None = self._pool.submit(dialect.read_live)

    def take(self) -> LiveState | None:
        """The state read, once (a second plan reads again); its error, if it failed."""
        pending, self._pending = self._pending, None
        return None if pending is None else pending.result()

    def abandon(self) -> None:
        """Stop asking for pages and wait for the one in flight: the connection closes next.
        The read's answer, or its error, is no longer wanted."""
        self._stop.set()
        self._pool.shutdown(wait=True)
        self._pending = None
