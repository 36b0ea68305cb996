"""`reconciler emulator serve` as a user starts it: a real process, stopped like Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, list[str]]]:
    """The server's URL and the lines it printed before serving.

    The URL is printed once the socket listens, so a client may connect at once: reading that
    line is the wait for the server, with no polling.
    """
    command = [sys.executable, "-m", "reconciler.emulator", "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Emulator on "), first
        url = first.split()[2].removesuffix("/openai")
        lines = [first]
        if url.startswith("https") and "--tls-cert" not in args:
            lines.append(process.stdout.readline())
        yield url, lines
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)  # reads and closes its stdout
