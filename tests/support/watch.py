"""An emulator that says when its request counts reach a point, so a test waits on an event."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.emulator import Emulator


class Watched:
    """Serves `emulator` unchanged; `reached` is set once `condition` holds of its stats after a
    request was answered (as `_emulator/stats` shows them), or once `process` has exited."""

    def __init__(self, emulator: Emulator, condition: Callable[[dict[str, Any]], bool]) -> None:
        self.emulator, self.condition = emulator, condition
        self.reached = threading.Event()

    def app(self) -> ASGIApp:
        inner = self.emulator.app()

        async def watching(scope: Scope, receive: Receive, send: Send) -> None:
            await inner(scope, receive, send)
            if self.condition(self.emulator.stats.snapshot()):
                self.reached.set()

        return watching

    def or_exit_of(self, process: subprocess.Popen[Any]) -> None:
        """Also set `reached` when `process` ends first, so that a wait does not outlive it."""

        def wait() -> None:
            process.wait()
            self.reached.set()

        threading.Thread(target=wait, daemon=True).start()
