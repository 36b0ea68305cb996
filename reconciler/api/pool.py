"""ConnectionStack: the connection pool of the HTTP client, one connection per call in flight.

httpcore's pool rescans every connection it holds on each request and again on each response
closed: an expiry check (a `poll()` for each idle one) and a count of the idle ones for each
idle one. With apply's 16 threads that was about a fifth of the client's work per request,
under the interpreter lock that every thread waits for. Here each connection lives in a
transport of its own; a call takes one off a stack (or opens one), and puts it back when its
response is closed, so a call costs one pop and one push whatever the number of connections.
The connections are as many as the calls in flight, as before, and the last used is reused
first, so an idle one is the first to be let go by the server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import httpx

ONE = httpx.Limits(max_connections=1, max_keepalive_connections=1)


class ConnectionStack(httpx.BaseTransport):
    """Transports of one connection each, lent to one call at a time."""

    def __init__(self, make: Callable[[], httpx.BaseTransport] | None = None) -> None:
        self._make = make or _one_connection()
        self._lock = threading.Lock()
        self._idle: list[httpx.BaseTransport] = []
        self._every: list[httpx.BaseTransport] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._take()
        try:
            response = transport.handle_request(request)
        except BaseException:
            self._give_back(transport)  # httpcore has closed or kept the connection already
            raise
        assert isinstance(response.stream, httpx.SyncByteStream)  # a sync transport's body
        response.stream = _Returned(response.stream, lambda: self._give_back(transport))
        return response

    def close(self) -> None:
        with self._lock:
            every, self._every, self._idle = self._every, [], []
        for transport in every:
            transport.close()

    def _take(self) -> httpx.BaseTransport:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        transport = self._make()
        with self._lock:
            self._every.append(transport)
        return transport

    def _give_back(self, transport: httpx.BaseTransport) -> None:
        with self._lock:
            self._idle.append(transport)


def _one_connection() -> Callable[[], httpx.BaseTransport]:
    """httpx's own transport, limited to one connection; one TLS context serves them all,
    since making one reads the CA bundle (tens of milliseconds)."""
    context = httpx.create_ssl_context()
    return lambda: httpx.HTTPTransport(verify=context, limits=ONE)


class _Returned(httpx.SyncByteStream):
    """A response's body; closing it hands its connection to the next call."""

    def __init__(self, stream: httpx.SyncByteStream, release: Callable[[], None]) -> None:
        self._stream, self._release = stream, release
        self._released = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            if not self._released:  # httpx may close a response more than once
                self._released = True
                self._release()
