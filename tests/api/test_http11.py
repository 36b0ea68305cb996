"""http11: whatever the framing of an answer (a length, chunks, the connection's close, an
interim 100 first) and wherever the network splits its bytes, Answer reads the same status,
headers and body, and says rightly whether the connection may serve another request; a request
written by write_request parses back, with llhttp's request parser, to what was given. Over a
real socket pair: a writer thread sends the answer in the drawn pieces, a millisecond apart."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator

import httptools
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.api.http11 import Answer, write_request

TOKEN = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).map(lambda t: "x" + t)
VALUE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30)
HEADERS = st.lists(st.tuples(TOKEN, VALUE), max_size=5)
FRAMINGS = st.sampled_from(["length", "chunked", "close"])
CHECKS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def raw_answer(framing: str, headers: list[tuple[str, str]], body: bytes, cuts: list[int]) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    if framing == "length":
        return f"HTTP/1.1 200 OK\r\n{head}content-length: {len(body)}\r\n\r\n".encode() + body
    if framing == "close":
        return f"HTTP/1.1 200 OK\r\n{head}connection: close\r\n\r\n".encode() + body
    edges = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    chunks = [body[a:b] for a, b in itertools.pairwise(edges) if b > a]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    return f"HTTP/1.1 200 OK\r\n{head}transfer-encoding: chunked\r\n\r\n".encode() + framed


def send_in_pieces(sock: socket.socket, raw: bytes, splits: list[int], close: bool) -> None:
    edges = sorted({0, len(raw), *(split % (len(raw) + 1) for split in splits)})
    for start, end in itertools.pairwise(edges):
        sock.sendall(raw[start:end])
        time.sleep(0.001)  # let the reader see this piece alone
    if close:
        sock.close()


def read_answer(raw: bytes, splits: list[int], close: bool) -> tuple[Answer, bytes]:
    ours, theirs = socket.socketpair()
    writer = threading.Thread(target=send_in_pieces, args=(theirs, raw, splits, close))
    writer.start()
    try:
        answer = Answer(ours, "GET")
        answer.begin()
        body = b""
        while part := answer.read():
            body += part
        return answer, body
    finally:
        writer.join()
        ours.close()
        theirs.close()


@CHECKS
@given(
    framing=FRAMINGS,
    headers=HEADERS,
    body=st.binary(max_size=3000),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
    splits=st.lists(st.integers(0, 10_000), max_size=8),
    interim=st.booleans(),
)
def test_an_answer_reads_the_same_however_it_is_framed_and_split(
    framing: str,
    headers: list[tuple[str, str]],
    body: bytes,
    cuts: list[int],
    splits: list[int],
    interim: bool,
) -> None:
    raw = raw_answer(framing, headers, body, cuts)
    if interim:
        raw = b"HTTP/1.1 100 Continue\r\nx-interim: 1\r\n\r\n" + raw
    answer, read = read_answer(raw, splits, close=framing == "close")
    assert (answer.status, answer.reason) == (200, b"OK")
    framing_headers = {b"content-length", b"transfer-encoding", b"connection"}
    given_back = [(n.decode(), v.decode()) for n, v in answer.headers if n not in framing_headers]
    assert given_back == headers
    assert read == body
    assert answer.done
    assert answer.reusable == (framing != "close")


class Parsed:
    """What llhttp's request parser saw."""

    def __init__(self) -> None:
        self.url, self.body, self.complete = b"", b"", False
        self.headers: list[tuple[bytes, bytes]] = []

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


@CHECKS
@given(
    headers=HEADERS,
    body=st.binary(max_size=3000),
    streamed=st.booleans(),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
def test_a_written_request_parses_back_to_what_was_given(
    headers: list[tuple[str, str]], body: bytes, streamed: bool, cuts: list[int]
) -> None:
    encoded = [(name.encode(), value.encode()) for name, value in headers]
    framing = (
        (b"transfer-encoding", b"chunked") if streamed else (b"content-length", b"%d" % len(body))
    )
    edges = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    parts: Iterator[bytes] = iter([body[a:b] for a, b in itertools.pairwise(edges)])
    ours, theirs = socket.socketpair()
    with ours, theirs:
        write_request(
            ours, "POST", b"/x?y=1", [*encoded, framing], parts if streamed else body, streamed
        )
        ours.shutdown(socket.SHUT_WR)
        parsed = Parsed()
        parser = httptools.HttpRequestParser(parsed)
        while data := theirs.recv(65_536):
            parser.feed_data(data)
    assert parsed.complete
    assert (parser.get_method(), parsed.url) == (b"POST", b"/x?y=1")
    assert parsed.headers == [*encoded, framing]
    assert parsed.body == body
