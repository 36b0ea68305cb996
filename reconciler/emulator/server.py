"""Serve an emulator over real HTTP(S) with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Protocol

import uvicorn
from starlette.types import ASGIApp

from reconciler.emulator.core.tls import TlsFiles

LOOPBACK = "127.0.0.1"


class Servable(Protocol):
    """Anything that builds an ASGI app: this emulator, or another surface's."""

    def app(self) -> ASGIApp: ...


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and
    # without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _config(emulator: Servable, log_level: str, tls: TlsFiles | None) -> uvicorn.Config:
    return uvicorn.Config(
        emulator.app(),
        log_level=log_level,
        access_log=False,
        lifespan="off",
        ssl_certfile=str(tls.cert) if tls else None,
        ssl_keyfile=str(tls.key) if tls else None,
    )


def url_of(sock: socket.socket, tls: TlsFiles | None = None) -> str:
    host, port = sock.getsockname()[:2]
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def serve(
    emulator: Servable,
    sock: socket.socket,
    tls: TlsFiles | None = None,
    log_level: str = "info",
) -> None:
    """Serve on a bound socket until interrupted."""
    uvicorn.Server(_config(emulator, log_level, tls)).run(sockets=[sock])


class BackgroundServer:
    """An emulator on a free loopback port in a daemon thread, stopped by `stop` or `with`.

    With `tls`, it serves https with those files; clients trust `tls.ca`.
    """

    def __init__(
        self, emulator: Servable, host: str = LOOPBACK, *, tls: TlsFiles | None = None
    ) -> None:
        self.emulator, self.tls = emulator, tls
        self._sock = bind(host)
        self._server = uvicorn.Server(_config(emulator, "warning", tls))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self.url = url_of(self._sock, tls)

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
