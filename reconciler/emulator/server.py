"""Serve an emulator over real HTTP with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from reconciler.emulator.app import Emulator

LOOPBACK = "127.0.0.1"


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and
    # without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _config(emulator: Emulator, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(emulator.app(), log_level=log_level, access_log=False, lifespan="off")


def serve(
    emulator: Emulator, host: str = LOOPBACK, port: int = 8000, log_level: str = "info"
) -> None:
    """Serve until interrupted."""
    sock = bind(host, port)
    uvicorn.Server(_config(emulator, log_level)).run(sockets=[sock])


class BackgroundServer:
    """An emulator on a free loopback port in a daemon thread, stopped by `stop` or `with`."""

    def __init__(self, emulator: Emulator, host: str = LOOPBACK) -> None:
        self.emulator = emulator
        self._sock = bind(host)
        self._server = uvicorn.Server(_config(emulator, "warning"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        address = self._sock.getsockname()
        self.url = (
            f"http://{host}:{address[1]}" if ":" not in host else f"http://[{host}]:{address[1]}"
        )

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
