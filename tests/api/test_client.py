"""AssistantsClient: auth, api-version, pagination and typed errors, over mock and real transports."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.retry import RetryPolicy
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError, ConnectionFailedError, ResponseError

SECRET = "sk-very-secret-key"


def client(
    handler: Callable[[httpx.Request], httpx.Response], bearer: bool = False
) -> AssistantsClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    retry = RetryPolicy(attempts=1)  # retries have tests of their own
    endpoint = "https://contoso.openai.azure.com/"
    return AssistantsClient(http, endpoint, "2024-02-15-preview", Credential(SECRET, bearer), retry)


def assistant(i: int) -> dict[str, object]:
    return {"id": f"asst_{i}", "object": "assistant", "created_at": i, "name": None, "description": None,
            "model": "m", "instructions": None, "tools": [], "file_ids": [], "metadata": {}}  # fmt: skip


def test_every_call_carries_api_version_and_the_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": []})

    client(handler).list_files()
    request = seen[0]
    assert (
        str(request.url)
        == "https://contoso.openai.azure.com/openai/files?api-version=2024-02-15-preview&purpose=assistants"
    )
    assert request.headers["api-key"] == SECRET
    assert "authorization" not in request.headers


def test_an_entra_token_is_sent_as_a_bearer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": []})

    client(handler, bearer=True).list_files()
    assert seen[0].headers["authorization"] == f"Bearer {SECRET}"
    assert "api-key" not in seen[0].headers


def test_pages_of_100_from_both_ends_once_the_first_says_has_more() -> None:
    pages = {
        ("asc", None): (range(100), True),
        ("asc", "asst_99"): (range(100, 150), False),
        ("desc", None): (range(149, 49, -1), True),  # newest first
    }
    asked: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        asked.append(params)
        ids, more = pages[params["order"], params.get("after")]
        data = [assistant(i) for i in ids]
        body = {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"],
            "last_id": data[-1]["id"],
            "has_more": more,
        }
        return httpx.Response(200, json=body)

    found = client(handler).list_assistants()
    assert [a.id for a in found] == [f"asst_{i}" for i in range(150)]
    sent = [(p["limit"], p["order"], p.get("after"), p.get("before")) for p in asked]
    assert sent[0] == ("100", "asc", None, None)  # alone: a list that fits costs one request
    assert sorted(sent[1:]) == [("100", "asc", "asst_99", None), ("100", "desc", None, None)]


def service(message: str, code: str | None) -> dict[str, object]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    }


NOT_FOUND = "No assistant found with id 'asst_x'."
DENIED = "Access denied due to invalid subscription key."


@pytest.mark.parametrize(
    ("status", "body", "code", "message"),
    [
        (404, service(NOT_FOUND, None), None, NOT_FOUND),
        (401, {"error": {"code": "401", "message": DENIED}}, "401", DENIED),
        (
            400,
            service("Unknown parameter: 'x'.", "unknown_parameter"),
            "unknown_parameter",
            "Unknown parameter: 'x'.",
        ),
        (500, "<html>oops</html>", None, "Internal Server Error"),
        (502, {"error": "a string, not an object"}, None, "Bad Gateway"),
    ],
)
def test_error_bodies_become_typed_errors_without_the_key(
    status: int, body: object, code: str | None, message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        content = body if isinstance(body, str) else json.dumps(body)
        return httpx.Response(status, content=content.encode())

    with pytest.raises(ApiError) as raised:
        client(handler).delete_assistant("asst_x")
    error = raised.value
    assert (error.status, error.code, error.api_message) == (status, code, message)
    assert str(error).startswith(f"delete assistant asst_x failed: HTTP {status}")
    assert SECRET not in str(error) + repr(error.args)


def test_a_connection_failure_is_a_clear_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ConnectionFailedError, match="list files failed: nothing accepts"):
        client(handler).list_files()


def test_the_credential_never_shows_in_its_repr() -> None:
    assert SECRET not in repr(Credential(SECRET))


def test_against_the_emulator_upload_create_modify_delete(server: BackgroundServer) -> None:
    with httpx.Client() as http:
        api = AssistantsClient(http, server.url, "2024-02-15-preview", Credential("k"))
        uploaded = api.upload_file("faq.0123456789ab.md", b"# faq")
        created = api.create_assistant(
            {"model": "m", "file_ids": [uploaded.id], "metadata": {"a": "b"}}
        )
        assert created.file_ids == (uploaded.id,)
        modified = api.modify_assistant(created.id, {"file_ids": []})
        assert modified.file_ids == ()
        assert [f.filename for f in api.list_files()] == ["faq.0123456789ab.md"]
        api.delete_assistant(created.id)
        api.delete_file(uploaded.id)
        assert api.list_assistants() == []
        with pytest.raises(ApiError) as raised:
            api.delete_file(uploaded.id)
        assert raised.value.status == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"<html>not json</html>",
            "list files: the endpoint answered 200 with a body that is not JSON",
        ),
        (b"[1, 2]", "list files: the endpoint answered with JSON that is not an object"),
        (
            b'{"object": "list"}',
            "list files: the endpoint sent a list without a 'data' array of objects",
        ),
        (
            b'{"data": [{"id": "f", "filename": "x"}]}',
            "the endpoint sent a file that does not match the API",
        ),
    ],
)
def test_responses_that_break_the_api_are_reported_not_trusted(body: bytes, message: str) -> None:
    with pytest.raises(ResponseError) as raised:
        client(lambda request: httpx.Response(200, content=body)).list_files()
    assert str(raised.value).startswith(message)


def test_an_assistant_without_its_required_fields_is_reported() -> None:
    page = {"object": "list", "data": [{"id": "asst_1", "created_at": 1}], "has_more": False}
    with pytest.raises(
        ResponseError, match="the endpoint sent an assistant that does not match the API"
    ):
        client(lambda request: httpx.Response(200, json=page)).list_assistants()
