"""The Foundry client's connection and deployment lists: what the emulator serves (one page), and,
through httpx.MockTransport, what it never does: a next page, a link off the endpoint, a list
the credential may not read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from reconciler.api.credentials import Credential
from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.retry import RetryPolicy
from reconciler.core.kinds.connection import LIVE as CONNECTIONS
from reconciler.core.kinds.connection import LiveConnection
from reconciler.core.kinds.deployment import LIVE as DEPLOYMENTS
from reconciler.emulator.foundry.seed import ID_FORMAT
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError, ResponseError
from tests.support.foundry_desired import client_of

ENDPOINT = "https://acct.services.ai.azure.com/api/projects/shop"
Handler = Callable[[httpx.Request], httpx.Response]


def mocked(handler: Handler) -> FoundryClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return FoundryClient(http, ENDPOINT, Credential("t", bearer=True), RetryPolicy(attempts=1))


def connection(name: str) -> dict[str, object]:
    return {"name": name, "id": f"/c/{name}", "type": "ApiKey", "target": "https://x/"}


def test_the_emulator_s_lists_are_read_with_the_api_version(
    module_server: BackgroundServer,
) -> None:
    with httpx.Client(timeout=30) as http:
        client = client_of(http, module_server)
        bing = ID_FORMAT.format(project="p1", name="bing")
        assert client.list_connections()[0] == LiveConnection(
            "bing", bing, "ApiKey", "https://api.bing.microsoft.com/"
        )
        assert "gpt-4.1-mini" in {d.name for d in client.list_deployments()}


def test_next_links_are_followed_under_the_endpoint_only() -> None:
    seen: list[str] = []

    def pages(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if "skip" not in request.url.params:
            link = f"{ENDPOINT}/connections?skip=1"
            return httpx.Response(200, json={"value": [connection("a")], "nextLink": link})
        return httpx.Response(200, json={"value": [connection("b")]})

    assert [c.name for c in mocked(pages).list_connections()] == ["a", "b"]
    assert seen == [
        f"{ENDPOINT}/connections?api-version=v1",
        f"{ENDPOINT}/connections?skip=1&api-version=v1",
    ]

    def elsewhere(request: httpx.Request) -> httpx.Response:
        link = "https://evil.example/api/projects/shop/connections?skip=1"
        return httpx.Response(200, json={"value": [], "nextLink": link})

    with pytest.raises(ResponseError, match="off the project's endpoint"):
        mocked(elsewhere).list_connections()


def test_a_list_that_is_not_one_is_refused() -> None:
    with pytest.raises(ResponseError, match="without a 'value' array"):
        mocked(lambda _: httpx.Response(200, json={"data": []})).list_deployments()
    nameless = {"value": [{"id": "/c/x"}]}
    with pytest.raises(ResponseError, match="connection that does not match the API"):
        mocked(lambda _: httpx.Response(200, json=nameless)).list_connections()


@pytest.mark.parametrize("status", [403, 404])
def test_a_list_the_endpoint_will_not_give_is_left_unread(status: int, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/deployments"):
            return httpx.Response(status, json={"error": {"code": "x", "message": "no"}})
        if request.url.path.endswith("/connections"):
            return httpx.Response(200, json={"value": [connection("bing")]})
        return httpx.Response(200, json={"data": [], "has_more": False, "last_id": None})

    live = FoundryAgents(mocked(handler), tmp_path).read_live()
    assert [c.name for c in live.of(CONNECTIONS)] == ["bing"]
    assert DEPLOYMENTS.kind not in live.objects


def test_other_errors_of_the_lists_fail_the_read(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connections"):
            return httpx.Response(400, json={"error": {"code": "bad", "message": "no"}})
        return httpx.Response(200, json={"data": [], "has_more": False, "last_id": None})

    with pytest.raises(ApiError, match="list connections failed: HTTP 400"):
        FoundryAgents(mocked(handler), tmp_path).read_live()
