"""The client's connection pool is httpx's own (httpcore), configured in api/connect.py: as many
connections as --parallelism calls at once (never fewer than a read has in flight), idle ones
reused until their keep-alive expiry, one the server closed replaced; cookies and the proxy
variables behave as httpx documents. Over real loopback HTTP/1.1 with keep-alive: the server
sees which connection each call came on."""

from __future__ import annotations

import os
import select
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import pytest

from reconciler.api import connect
from reconciler.api.connect import READS_AT_ONCE, http_client
from tests.support.broken import serving


@dataclass
class Seen:
    """Per request: its path and the client port of the connection it came on; the calls held
    at the gate until `gate_at` of them are in at once."""

    calls: list[tuple[str, int]] = field(default_factory=list)
    cookies: list[str | None] = field(default_factory=list)  # the Cookie header of each GET
    gate_at: int = 0
    gate: threading.Condition = field(default_factory=threading.Condition)
    in_gate: int = 0

    @property
    def connections(self) -> set[int]:
        return {port for _, port in self.calls}

    def meet(self) -> None:
        """Wait until `gate_at` calls are in at once (or have been)."""
        with self.gate:
            self.in_gate += 1
            self.gate.notify_all()
            assert self.gate.wait_for(lambda: self.in_gate >= self.gate_at, timeout=10)


@contextmanager
def keep_alive_server() -> Iterator[tuple[str, Seen]]:
    seen = Seen()

    class Serve(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a connection serves call after call

        def do_GET(self) -> None:
            seen.calls.append((self.path, self.client_address[1]))
            seen.cookies.append(self.headers.get("cookie"))
            if self.path.startswith("/gate"):
                seen.meet()
            self.send_response(200)
            if self.path == "/cookie":
                self.send_header("set-cookie", "affinity=1; Path=/")
            if self.path == "/quiet-close":
                self.close_connection = True  # closed after the answer, without saying so
            body = self.path.encode()
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Serve) as url:
        yield url, seen


def test_calls_in_turn_share_one_connection() -> None:
    with keep_alive_server() as (url, seen), http_client() as client:
        assert [client.get(f"{url}/{i}").text for i in range(3)] == ["/0", "/1", "/2"]
    assert len(seen.connections) == 1


@pytest.mark.parametrize("parallelism", [2, 8])
def test_the_pool_keeps_a_connection_for_each_call_at_once(parallelism: int) -> None:
    """As many calls as --parallelism allows (never fewer than a read makes) are in at once,
    each on its own connection; a second round reuses every one of them, none let go."""
    most = max(parallelism, READS_AT_ONCE)
    with keep_alive_server() as (url, seen), http_client(parallelism=parallelism) as client:
        seen.gate_at = most
        with ThreadPoolExecutor(most) as pool:
            first = list(pool.map(lambda i: client.get(f"{url}/gate{i}").text, range(most)))
            assert len(seen.connections) == most
            seen.gate_at = 2 * most
            again = list(pool.map(lambda i: client.get(f"{url}/gate{i}").text, range(most)))
    assert first == again == [f"/gate{i}" for i in range(most)]
    assert len(seen.connections) == most


def test_an_idle_connection_the_server_closed_is_replaced_before_it_is_used() -> None:
    """Whether httpcore sees the close as the answer is put back or as the next call takes it."""
    with keep_alive_server() as (url, seen), http_client() as client:
        with client.stream("GET", f"{url}/quiet-close") as closing:
            stream = closing.extensions["network_stream"]
            # A descriptor of our own: the pool may close its own as soon as it sees the close.
            watched = socket.socket(fileno=os.dup(stream.get_extra_info("socket").fileno()))
            closing.read()
        with watched:
            assert select.select([watched], [], [], 5)[0]  # the close has reached the client
        assert client.get(f"{url}/next").text == "/next"
    assert len(seen.connections) == 2


def test_an_idle_connection_past_its_keep_alive_expiry_is_let_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no keep-alive at all, each call opens a connection: the expiry is the pool's."""
    monkeypatch.setattr(connect, "KEEPALIVE_EXPIRY", 0.0)
    with keep_alive_server() as (url, seen), http_client() as client:
        assert [client.get(f"{url}/{i}").text for i in range(3)] == ["/0", "/1", "/2"]
    assert len(seen.connections) == 3


def test_a_proxy_variable_sends_calls_through_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy (here the loopback server) receives the call, addressed to the endpoint in full."""
    with keep_alive_server() as (proxy, seen):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with http_client() as client:
            assert client.get("http://endpoint.invalid/openai/assistants").status_code == 200
    assert [path for path, _ in seen.calls] == ["http://endpoint.invalid/openai/assistants"]


def test_a_cookie_the_server_sets_is_sent_back_as_httpx_does() -> None:
    with keep_alive_server() as (url, seen), http_client() as client:
        client.get(f"{url}/cookie").raise_for_status()
        client.get(f"{url}/after").raise_for_status()
    assert seen.cookies == [None, "affinity=1"]
