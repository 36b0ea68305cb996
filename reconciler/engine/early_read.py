"""The live state read while the manifests load.

The environment is known from reconciler.yaml alone, so the first read need not wait for the
slowest local step (parsing and validating every manifest). Manifest errors still win: the read
is then abandoned at its next request, and its own failure, if any, is never shown.
"""

from __future__ import annotations

import threading

from reconciler.api.dialects import Dialect
from reconciler.core.state import LiveState

# How long an abandoned read may finish its request in flight before the connection closes
# under it: a retry's back-off sleep (up to a minute) is not worth waiting for.
ABANDON_WAIT_SECONDS = 5.0


class EarlyRead:
    """`dialect.read_live()` on its own thread, started at once; `stop` is the connection's
    switch (see `open_dialect`), so that abandoning refuses every later request."""

    def __init__(self, dialect: Dialect, stop: threading.Event) -> None:
        self._dialect, self._stop = dialect, stop
        self._live: LiveState | None = None
        self._error: BaseException | None = None
        self._taken = False
        # A daemon: an abandoned read asleep in a back-off never holds the process open.
        self._thread = threading.Thread(target=self._read, name="live-read", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._live = self._dialect.read_live()
        except BaseException as error:  # handed to the thread that takes it
            self._error = error

    def take(self) -> LiveState | None:
        """The state read, the first time (None after: a second plan reads again); its error,
        raised here, if it failed."""
        if self._taken:
            return None
        self._taken = True
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._live

    def abandon(self) -> None:
        """Stop asking for pages and give the one in flight a moment: the connection closes next.
        The read's answer, or its error, is no longer wanted."""
        self._taken = True
        self._stop.set()
        self._thread.join(ABANDON_WAIT_SECONDS)
