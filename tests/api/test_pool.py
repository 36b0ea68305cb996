"""ConnectionStack (HTTP/1.1 on http.client's connections, parsed by httptools) lends each call
a connection of its own and takes it back when the response is closed: calls in turn share one,
calls at once get one each, and close() closes them all; a failure closes its connection, and
comes out as httpx's error. Every framing an answer may have is read whole (a length, chunks,
the connection's close, interim 1xx answers first); bodies go with a length or in chunks. Over
real loopback HTTP/1.1 with keep-alive: the server sees which connection each call came on.
The proxy variables still work: with one set, the client is httpx's own, which honours them."""

from __future__ import annotations

import http.client
import select
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from reconciler.api.connect import _http
from reconciler.api.pool import ConnectionStack, Origin
from tests.support.broken import serving


@dataclass
class Seen:
    """Per request: its path and the client port of the connection it came on."""

    calls: list[tuple[str, int]] = field(default_factory=list)
    cookies: list[str | None] = field(default_factory=list)  # the Cookie header of each GET
    both_in: threading.Barrier = field(default_factory=lambda: threading.Barrier(2, timeout=10))

    @property
    def connections(self) -> set[int]:
        return {port for _, port in self.calls}


RAW = {
    "/chunked": b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
    b"6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
    "/interim": b"HTTP/1.1 100 Continue\r\nx-interim: yes\r\n\r\n"
    b"HTTP/1.1 201 Created\r\ncontent-length: 5\r\n\r\nfinal",
    "/until-close": b"HTTP/1.1 200 OK\r\n\r\nread to the close",
    "/http10": b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\n10",
    "/says-close": b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 3\r\n\r\nbye",
    "/not-http": b"SMTP ready\r\n\r\n",
    "/cookie": b"HTTP/1.1 200 OK\r\nset-cookie: affinity=1; Path=/\r\ncontent-length: 0\r\n\r\n",
    "/huge-head": b"HTTP/1.1 200 OK\r\nx-pad: " + b"a" * 1_100_000 + b"\r\n\r\n",
    "/short": b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\ncut short",
}
CLOSING = {"/until-close", "/http10", "/says-close", "/not-http", "/short", "/huge-head"}


@contextmanager
def keep_alive_server() -> Iterator[tuple[str, Seen]]:
    seen = Seen()

    class Serve(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a connection serves call after call

        def do_GET(self) -> None:
            seen.calls.append((self.path, self.client_address[1]))
            seen.cookies.append(self.headers.get("cookie"))
            if self.path == "/drop":
                self.close_connection = True
                return  # no answer at all: the client's call fails
            if self.path == "/slow":
                time.sleep(1)  # past the client's read timeout
            if self.path == "/quiet-close":
                self.close_connection = True  # closed after the answer, without saying so
            if self.path in RAW:  # written out by hand: framings BaseHTTPRequestHandler lacks
                self.wfile.write(RAW[self.path])
                self.close_connection = self.path in CLOSING
                return
            if self.path.startswith("/meet"):
                seen.both_in.wait()  # each waits for the other: neither is done when both are in
            body = self.path.encode()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # echoes the body, sent with a length or in chunks
            seen.calls.append((self.path, self.client_address[1]))
            body = _posted(self)
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Serve) as url:
        yield url, seen


def _posted(request: BaseHTTPRequestHandler) -> bytes:
    """A request's body, read by its length or decoded from its chunks."""
    if request.headers.get("transfer-encoding") != "chunked":
        return request.rfile.read(int(request.headers["content-length"]))
    body = b""
    while size := int(request.rfile.readline(), 16):
        body += request.rfile.read(size + 2)[:-2]
    request.rfile.readline()
    return body


class Counted(http.client.HTTPConnection):
    """A plain connection, remembered so that close() can be checked."""

    def __init__(self, origin: Origin, timeout: float | None, made: list[Counted]) -> None:
        _, host, port = origin
        super().__init__(host, port, timeout=timeout)
        self.closed = False
        made.append(self)

    def close(self) -> None:
        self.closed = True
        super().close()


def stacked() -> tuple[httpx.Client, list[Counted]]:
    made: list[Counted] = []
    stack = ConnectionStack(lambda origin, timeout: Counted(origin, timeout, made))
    return httpx.Client(transport=stack), made


def test_calls_in_turn_share_one_connection() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, seen), client:
        assert [client.get(f"{url}/{i}").text for i in range(3)] == ["/0", "/1", "/2"]
    assert len(seen.connections) == 1
    assert len(made) == 1


def test_calls_at_once_get_one_each_and_later_calls_reuse_them() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, seen), client, ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda i: client.get(f"{url}/meet{i}").status_code, range(2)))
        client.get(f"{url}/again")
    assert statuses == [200, 200]
    assert len(seen.connections) == 2
    assert len(made) == 2


def test_an_open_response_keeps_its_connection() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, seen), client:
        with client.stream("GET", f"{url}/streamed") as response:
            assert client.get(f"{url}/beside").text == "/beside"
            assert response.read() == b"/streamed"
        client.get(f"{url}/after")
    ports = dict(seen.calls)
    assert ports["/streamed"] != ports["/beside"]
    assert ports["/after"] in {ports["/streamed"], ports["/beside"]}
    assert len(made) == 2


def test_a_failed_call_closes_its_connection_and_the_next_opens_another() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(f"{url}/drop")
        assert client.get(f"{url}/second").text == "/second"
        assert [connection.closed for connection in made] == [True, False]


def test_close_closes_every_connection() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, _):
        client.get(f"{url}/")
        client.close()
    assert made
    assert all(connection.closed for connection in made)


def test_a_proxy_variable_sends_calls_through_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours HTTP(S)_PROXY and NO_PROXY only with its own transport: the proxy (here
    the loopback server) receives the call, addressed to the endpoint in full."""
    with keep_alive_server() as (proxy, seen):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with _http() as client:
            assert client.get("http://endpoint.invalid/openai/assistants").status_code == 200
    assert [path for path, _ in seen.calls] == ["http://endpoint.invalid/openai/assistants"]


def test_an_idle_connection_the_server_closed_is_replaced_before_it_is_used() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, seen), client:
        assert client.get(f"{url}/quiet-close").text == "/quiet-close"
        sock = made[0].sock
        assert sock is not None
        assert select.select([sock], [], [], 5)[0]  # the server's close has reached the client
        assert client.get(f"{url}/next").text == "/next"
        assert len(made) == 2
    assert len(seen.connections) == 2


def test_a_read_past_its_timeout_is_httpx_read_timeout() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(f"{url}/slow", timeout=httpx.Timeout(10.0, read=0.2))
        assert made[0].closed


def test_a_refused_connection_is_httpx_connect_error() -> None:
    with keep_alive_server() as (url, _):
        pass  # the server has gone: its port refuses
    client, _ = stacked()
    with client, pytest.raises(httpx.ConnectError):
        client.get(f"{url}/")


def test_a_header_that_cannot_be_sent_is_httpx_local_protocol_error() -> None:
    """A line break in a header value (a key pasted with its newline) is refused before anything
    is sent, as httpx's own transport refuses it, and the connection is not reused."""
    client, made = stacked()
    with keep_alive_server() as (url, seen), client:
        with pytest.raises(httpx.LocalProtocolError):
            client.get(f"{url}/refused", headers={"api-key": "key\nmore"})
        assert client.get(f"{url}/after").text == "/after"
        assert [connection.closed for connection in made] == [True, False]
    assert [path for path, _ in seen.calls] == ["/after"]


def test_a_body_cut_short_is_httpx_remote_protocol_error() -> None:
    """The server closes before the length it announced: a partial body is never taken for a
    whole one, and the connection is not reused."""
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        with pytest.raises(httpx.RemoteProtocolError, match="whole body"):
            client.get(f"{url}/short")
        assert client.get(f"{url}/after").text == "/after"
        assert [connection.closed for connection in made] == [True, False]


def test_chunked_and_interim_answers_are_read_whole_and_keep_their_connection() -> None:
    client, made = stacked()
    with keep_alive_server() as (url, seen), client:
        assert client.get(f"{url}/chunked").text == "hello world"
        interim = client.get(f"{url}/interim")
        assert (interim.status_code, interim.text) == (201, "final")
        assert "x-interim" not in interim.headers  # the 100's headers are not the answer's
        assert client.get(f"{url}/after").text == "/after"
    assert len(made) == 1
    assert len(seen.connections) == 1


@pytest.mark.parametrize("path", ["/until-close", "/http10", "/says-close"])
def test_an_answer_that_ends_its_connection_is_read_and_its_connection_not_reused(
    path: str,
) -> None:
    """A body without a length ends where the connection does; HTTP/1.0 and `Connection:
    close` end it after the body: the next call opens another connection."""
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        expected = {"/until-close": "read to the close", "/http10": "10", "/says-close": "bye"}
        assert client.get(f"{url}{path}").text == expected[path]
        assert [connection.closed for connection in made] == [True]  # closed once read
        assert client.get(f"{url}/after").text == "/after"
        assert [connection.closed for connection in made] == [True, False]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/not-http", "not valid HTTP"), ("/huge-head", "more than 1048576 bytes of headers")],
)
def test_an_answer_that_is_not_http_is_httpx_remote_protocol_error(path: str, message: str) -> None:
    """Bytes that are not an HTTP answer, or headers without end (which would fill memory)."""
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        with pytest.raises(httpx.RemoteProtocolError, match=message):
            client.get(f"{url}{path}")
        assert made[0].closed


def test_bodies_are_sent_whole_with_a_length_or_streamed_in_chunks() -> None:
    """A body whose length is known goes with Content-Length; a stream of unknown length in
    chunked framing, which the server decodes back to the same bytes."""
    client, made = stacked()
    with keep_alive_server() as (url, _), client:
        assert client.post(f"{url}/echo", content=b"whole body").content == b"whole body"
        parts = [b"first ", b"", b"second ", b"x" * 70_000]
        streamed = client.post(f"{url}/echo", content=iter(parts))
        assert streamed.content == b"".join(parts)
        assert streamed.request.headers["transfer-encoding"] == "chunked"
    assert len(made) == 1


@pytest.mark.parametrize(("keeps", "sent"), [(False, None), (True, "affinity=1")])
def test_the_client_keeps_no_cookie_a_server_sets(keeps: bool, sent: str | None) -> None:
    """The data planes are stateless: a cookie they set is not sent back (httpx's own client,
    beside, would send it)."""
    with keep_alive_server() as (url, seen), httpx.Client() if keeps else _http() as client:
        client.get(f"{url}/cookie").raise_for_status()
        client.get(f"{url}/after").raise_for_status()
    assert seen.cookies == [None, sent]
