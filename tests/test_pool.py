"""ConnectionStack lends each call a transport of its own and takes it back when the response
is closed: calls in turn share one, calls at once get one each, and close() closes them all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from reconciler.api.pool import ConnectionStack


class Counted(httpx.MockTransport):
    def __init__(self, made: list[Counted], handler: httpx.MockTransport) -> None:
        super().__init__(handler.handler)
        self.closed = False
        made.append(self)

    def close(self) -> None:
        self.closed = True


def stack(handler: httpx.MockTransport) -> tuple[httpx.Client, list[Counted]]:
    made: list[Counted] = []
    client = httpx.Client(transport=ConnectionStack(lambda: Counted(made, handler)))
    return client, made


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"path": request.url.path})


def test_calls_in_turn_share_one_transport() -> None:
    client, made = stack(httpx.MockTransport(answer))
    with client:
        assert [client.get(f"http://test/{i}").json()["path"] for i in range(3)] == [
            "/0",
            "/1",
            "/2",
        ]
    assert len(made) == 1


def test_calls_at_once_get_one_each_and_later_calls_reuse_them() -> None:
    both_in = threading.Barrier(2, timeout=10)

    def meet(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/again":
            both_in.wait()  # each waits for the other: neither has finished when both are in
        return answer(request)

    client, made = stack(httpx.MockTransport(meet))
    with client, ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda i: client.get(f"http://test/{i}").status_code, range(2)))
        client.get("http://test/again")
    assert statuses == [200, 200]
    assert len(made) == 2


class Body(httpx.SyncByteStream):
    """A body read as it arrives, as a network's is, not one answered whole."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"streamed"


def test_an_open_response_keeps_its_transport() -> None:
    def streamed(request: httpx.Request) -> httpx.Response:
        return (
            httpx.Response(200, stream=Body())
            if "streamed" in request.url.path
            else answer(request)
        )

    client, made = stack(httpx.MockTransport(streamed))
    with client:
        with client.stream("GET", "http://test/streamed") as response:
            client.get("http://test/beside")
            assert response.read() == b"streamed"
        client.get("http://test/after")
    assert len(made) == 2


def test_a_failed_call_gives_its_transport_back() -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return answer(request)

    client, made = stack(httpx.MockTransport(flaky))
    with client:
        with pytest.raises(httpx.ConnectError):
            client.get("http://test/first")
        assert client.get("http://test/second").status_code == 200
    assert len(made) == 1


def test_close_closes_every_transport() -> None:
    client, made = stack(httpx.MockTransport(answer))
    client.get("http://test/")
    client.close()
    assert made
    assert all(transport.closed for transport in made)
