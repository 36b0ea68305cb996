"""ConnectionStack: the HTTP client's transport, HTTP/1.1 on connections that http.client opens
(plain or TLS), each exchange written and parsed by http11.py, one connection per call in flight.

httpx's own transport (httpcore and h11) spends its CPU in parsing, state machines and a pool
that rescans every connection it holds on each request, and http.client's responses parse their
headers with the email package. Under apply's 16 threads that work is done under the interpreter
lock that every thread waits for, so it sets how close an apply comes to the network's bound
(benchmarks/transport.py measures a call's CPU with each transport).

A call takes an idle connection to its origin off a stack (or opens one) and puts it back once
its response has been read to the end, so a call costs one pop and one push whatever the number
of connections. The connections are as many as the calls in flight, and the last used is reused
first, so an idle one is the first to be let go by the server. A connection the server has
closed while idle is seen before it is used, and replaced.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from reconciler.api.http11 import Answer, Body, HeaderError, ProtocolError, write_request

Origin = tuple[str, str, int]
Opener = Callable[[Origin, float | None], http.client.HTTPConnection]
DEFAULT_PORTS = {"http": 80, "https": 443}


class ConnectionStack(httpx.BaseTransport):
    """http.client connections per origin, each lent to one call at a time."""

    def __init__(self, open_connection: Opener | None = None) -> None:
        self._open = open_connection or _opener()
        self._lock = threading.Lock()
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._every: set[http.client.HTTPConnection] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        origin = _origin(request.url)
        connection = self._take(origin, request, timeouts.get("connect"))
        try:
            answer = _exchange(connection, request, timeouts)
        except BaseException:
            self._discard(connection)
            raise
        return httpx.Response(
            answer.status,
            headers=answer.headers,
            stream=_Body(answer, request, lambda done: self._give_back(origin, connection, done)),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": answer.reason},
        )

    def close(self) -> None:
        with self._lock:
            every, self._every, self._idle = self._every, set(), {}
        for connection in every:
            connection.close()

    def _take(
        self, origin: Origin, request: httpx.Request, connect_timeout: float | None
    ) -> http.client.HTTPConnection:
        with self._lock:
            idle = self._idle.get(origin)
            connection = idle.pop() if idle else None
        if connection is not None and _usable(connection):
            return connection
        if connection is not None:
            self._discard(connection)
        connection = self._open(origin, connect_timeout)
        with self._lock:
            self._every.add(connection)
        try:
            with _translated(request, httpx.ConnectTimeout, httpx.ConnectError):
                connection.connect()
        except BaseException:
            self._discard(connection)
            raise
        return connection

    def _give_back(
        self, origin: Origin, connection: http.client.HTTPConnection, done: bool
    ) -> None:
        """A response read to its end leaves its connection ready for the next call, unless the
        server closes it (`Connection: close`, HTTP/1.0); any other is closed, since the rest of
        its body is still on the wire. One that close() let go meanwhile is not taken back."""
        if not done:
            self._discard(connection)
            return
        with self._lock:
            if connection in self._every:
                self._idle.setdefault(origin, []).append(connection)

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._every.discard(connection)


def _opener() -> Opener:
    """Plain or TLS connections; one TLS context serves them all, made on first use, since
    making one reads the CA bundle (tens of milliseconds)."""
    contexts: list[ssl.SSLContext] = []

    def open_connection(origin: Origin, timeout: float | None) -> http.client.HTTPConnection:
        scheme, host, port = origin
        if scheme == "http":
            return http.client.HTTPConnection(host, port, timeout=timeout)
        if not contexts:
            contexts.append(httpx.create_ssl_context())
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=contexts[0])

    return open_connection


def _origin(url: httpx.URL) -> Origin:
    if url.scheme not in DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(
            f"Request URL has an unsupported protocol '{url.scheme}://'."
        )
    return url.scheme, url.host, url.port or DEFAULT_PORTS[url.scheme]


def _usable(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle connection is still open: a socket readable while no call is in flight
    has been closed (or written to) by the server, and is of no further use."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        if hasattr(select, "poll"):  # select() takes no descriptor above 1023
            poll = select.poll()
            poll.register(sock, select.POLLIN)
            return not poll.poll(0)
        return not select.select([sock], [], [], 0)[0]
    except (OSError, ValueError):
        return False


def _exchange(
    connection: http.client.HTTPConnection, request: httpx.Request, timeouts: dict[str, Any]
) -> Answer:
    """Send the request (the body in the same write as the head when it is whole) and read the
    response's status and headers."""
    sock = connection.sock
    assert isinstance(sock, socket.socket)  # connected when taken
    _limit(sock, timeouts.get("write"))
    chunked = request.headers.get("transfer-encoding", "").lower() == "chunked"
    target, headers = request.url.raw_path, request.headers.raw
    try:
        with _translated(request, httpx.WriteTimeout, httpx.WriteError):
            write_request(sock, request.method, target, headers, _body(request), chunked)
    except HeaderError as error:  # a line break in a header (a pasted key), say: never sent
        raise httpx.LocalProtocolError(str(error), request=request) from error
    _limit(sock, timeouts.get("read"))
    answer = Answer(sock, request.method)
    with _translated(request, httpx.ReadTimeout, httpx.ReadError):
        answer.begin()
    return answer


def _limit(sock: socket.socket, seconds: float | None) -> None:
    """The socket's timeout, set only when it changes: setting one is a system call."""
    if sock.gettimeout() != seconds:
        sock.settimeout(seconds)


def _body(request: httpx.Request) -> Body:
    """A body in memory as bytes; a streamed one (a file's upload) as its chunks."""
    if isinstance(request.stream, httpx.ByteStream):
        whole = b"".join(request.stream)
        return whole or None
    assert isinstance(request.stream, httpx.SyncByteStream)
    return iter(request.stream)


@contextmanager
def _translated(
    request: httpx.Request,
    timeout: type[httpx.TimeoutException],
    failure: type[httpx.NetworkError],
) -> Iterator[None]:
    """The socket's and the parser's errors as httpx's, which the callers handle: a timeout as
    `timeout`, an answer that is not HTTP or stops part way as RemoteProtocolError, any other
    network error as `failure`."""
    try:
        yield
    except TimeoutError as error:
        raise timeout(str(error) or "timed out", request=request) from error
    except ProtocolError as error:
        raise httpx.RemoteProtocolError(str(error), request=request) from error
    except OSError as error:
        raise failure(str(error), request=request) from error


class _Body(httpx.SyncByteStream):
    """A response's body; closing it hands its connection to the next call, when the body was
    read to its end and the server keeps the connection open."""

    def __init__(
        self, answer: Answer, request: httpx.Request, release: Callable[[bool], None]
    ) -> None:
        self._answer, self._request, self._release = answer, request, release
        self._released = False

    def __iter__(self) -> Iterator[bytes]:
        with _translated(self._request, httpx.ReadTimeout, httpx.ReadError):
            while chunk := self._answer.read():
                yield chunk

    def close(self) -> None:
        if self._released:  # httpx may close a response more than once
            return
        self._released = True
        self._release(self._answer.done and self._answer.reusable)
