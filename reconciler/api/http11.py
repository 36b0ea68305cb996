"""One HTTP/1.1 exchange on a connected socket: the request written out whole, the response read
with httptools (llhttp, the parser of Node.js, and uvicorn's).

http.client parsed every response's headers with the email package, a fifth of the client's
work per call under apply (by profile); here parsing is a few callbacks from C, and a call
through httpx.Client costs 0.28 ms of CPU where it cost 0.40 (benchmarks/transport.py). The
framing is llhttp's: Content-Length, chunked, or (neither) until the server closes; interim 1xx
answers are skipped. A server that closes before the length it announced has cut the body short,
which is an error, never a shorter body.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable

import httptools

CHUNK = 65_536
# Far above any real answer's status line and headers: a server that sends more never gets to
# fill the client's memory with them.
MAX_HEAD = 1 << 20
# A header name is a token (RFC 9110 5.1); a value never holds a line break or NUL, which would
# end the header early and let what follows be read as another header or request.
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_UNSAFE = re.compile(rb"[\r\n\0]")
Body = bytes | Iterable[bytes] | None


class HeaderError(ValueError):
    """A header that cannot be sent: nothing of the request has been written."""


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 as it should be, or stopped part way."""


def write_request(
    sock: socket.socket,
    method: str,
    target: bytes,
    headers: Iterable[tuple[bytes, bytes]],
    body: Body,
    chunked: bool,
) -> None:
    """The head and a whole body in one write; a streamed body after it, chunk by chunk (in
    chunked framing when its length was not known)."""
    lines = [b"%s %s HTTP/1.1\r\n" % (method.encode("ascii"), target)]
    for name, value in headers:
        if not _TOKEN.match(name) or _UNSAFE.search(value):
            raise HeaderError(f"Invalid header {name!r}: a name is a token, a value one line")
        lines.append(b"%s: %s\r\n" % (name, value))
    lines.append(b"\r\n")
    if body is None or isinstance(body, bytes):
        sock.sendall(b"".join(lines) + (body or b""))
        return
    sock.sendall(b"".join(lines))
    for chunk in body:
        if chunk:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
    if chunked:
        sock.sendall(b"0\r\n\r\n")


class Answer:
    """A response as it is read: `status`, `reason` and `headers` once `begin` returns, then the
    body through `read`. `reusable` says, once the body is read, whether the connection may serve
    the next request (the server keeps it alive and nothing else was sent on it)."""

    def __init__(self, sock: socket.socket, method: str) -> None:
        self._sock, self._head_only = sock, method == "HEAD"
        self._parser = httptools.HttpResponseParser(self)
        self.status, self.reason = 0, b""
        self.headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []
        self._interim = self._headed = self._framed = False
        self.done = self.reusable = False
        self._before_head = 0  # bytes received before the headers ended

    def begin(self) -> None:
        """Read up to the end of the final answer's headers."""
        while not self._headed:
            self._feed()
        if self._head_only:  # llhttp cannot be told a HEAD's length is not followed by a body
            self.done = True

    def read(self) -> bytes:
        """The next part of the body; b"" once it has all been read."""
        while not self._chunks and not self.done:
            self._feed()
        if not self._chunks:
            return b""
        chunks, self._chunks = self._chunks, []
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _feed(self) -> None:
        data = self._sock.recv(CHUNK)
        if not data:
            self._closed()
            return
        if not self._headed:
            self._before_head += len(data)
            if self._before_head > MAX_HEAD:
                raise ProtocolError(
                    f"The server's answer has more than {MAX_HEAD} bytes of headers."
                )
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            raise ProtocolError("The server switched protocols, which was not asked for.") from None
        except httptools.HttpParserError as error:
            raise ProtocolError(f"The server's answer is not valid HTTP/1.1: {error}") from None

    def _closed(self) -> None:
        if not self._headed:
            raise ProtocolError("Server disconnected without sending a response.")
        if self._framed:
            raise ProtocolError("Server closed the connection before the whole body was received.")
        self.done, self.reusable = True, False  # a body that ends where the connection does

    # httptools' callbacks, in the order llhttp makes them.

    def on_message_begin(self) -> None:
        if self.done:  # a second answer to one request: the connection is out of step
            self.reusable = False

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # 100 Continue and the like: the answer is still to come
            self._interim = True
            return
        self.status, self._headed = status, True
        self._framed = any(
            name.lower() in (b"content-length", b"transfer-encoding") for name, _ in self.headers
        )

    def on_body(self, chunk: bytes) -> None:
        if chunk:
            self._chunks.append(chunk)

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim, self.reason, self.headers = False, b"", []
            return
        self.done, self.reusable = True, self._parser.should_keep_alive()
