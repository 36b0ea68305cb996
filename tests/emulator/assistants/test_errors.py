"""Every error path: the gateway's (route, version, auth) and the service's (body, objects, state)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.core.errors import ACCESS_DENIED
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import API_VERSION, azure_client


def gateway(response: httpx.Response, status: int, message: str, code: str | None = None) -> None:
    assert response.status_code == status
    assert response.json() == {"error": {"code": code or str(status), "message": message}}


def service(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert "detail" not in response.json()
    return error


def test_missing_api_version_is_404_resource_not_found(server: BackgroundServer) -> None:
    response = httpx.get(f"{server.url}/openai/assistants", headers={"api-key": "k"})
    gateway(response, 404, "Resource not found")


def test_unknown_api_version_is_400(api: httpx.Client) -> None:
    response = api.get("/assistants", params={"api-version": "2023-01-01"})
    gateway(response, 400, "API version not supported", "BadRequest")


@pytest.mark.parametrize(
    "version", ["2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview"]
)
def test_every_v1_api_version_is_served(api: httpx.Client, version: str) -> None:
    assert api.get("/assistants", params={"api-version": version}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/openai/nothing", "/openai", "/assistants", "/openai/assistants/a/b/c/d"]
)
def test_unknown_routes_are_404(server: BackgroundServer, path: str) -> None:
    response = httpx.get(
        f"{server.url}{path}", params={"api-version": API_VERSION}, headers={"api-key": "k"}
    )
    gateway(response, 404, "Resource not found")


def test_a_known_route_with_the_wrong_method_is_405(api: httpx.Client) -> None:
    gateway(api.put("/assistants"), 405, "Method not allowed")


@pytest.mark.parametrize(
    "headers",
    [{}, {"api-key": ""}, {"authorization": "Bearer"}, {"authorization": "Basic abc"}],
)
def test_missing_credentials_are_401(server: BackgroundServer, headers: dict[str, str]) -> None:
    response = httpx.get(
        f"{server.url}/openai/assistants", params={"api-version": API_VERSION}, headers=headers
    )
    gateway(response, 401, ACCESS_DENIED)


def test_any_non_empty_key_or_bearer_token_is_accepted_without_a_configured_key(
    server: BackgroundServer,
) -> None:
    url, params = f"{server.url}/openai/assistants", {"api-version": API_VERSION}
    assert httpx.get(url, params=params, headers={"api-key": "anything"}).status_code == 200
    assert (
        httpx.get(url, params=params, headers={"authorization": "Bearer eyJ0"}).status_code == 200
    )


@pytest.fixture
def keyed() -> Iterator[BackgroundServer]:
    with BackgroundServer(Emulator.create(api_key="right")) as running:
        yield running


def test_a_configured_key_rejects_others_and_wins_over_a_bearer(keyed: BackgroundServer) -> None:
    with azure_client(keyed.url, "wrong") as client:
        gateway(client.get("/assistants"), 401, ACCESS_DENIED)
        both = client.get("/assistants", headers={"authorization": "Bearer right"})
        gateway(both, 401, ACCESS_DENIED)
    with azure_client(keyed.url, "right") as client:
        assert (
            client.get("/assistants", headers={"authorization": "Bearer wrong"}).status_code == 200
        )


def test_openai_beta_v1_is_tolerated_and_v2_rejected(api: httpx.Client) -> None:
    assert api.get("/assistants", headers={"OpenAI-Beta": "assistants=v1"}).status_code == 200
    error = service(api.get("/assistants", headers={"OpenAI-Beta": "assistants=v2"}), 400)
    assert error["param"] == "OpenAI-Beta"


@pytest.mark.parametrize("raw", [b"{", b"not json", b"\xff\xfe", b'{"model": "m",}'])
def test_an_unparseable_body_is_400(api: httpx.Client, raw: bytes) -> None:
    error = service(
        api.post("/assistants", content=raw, headers={"content-type": "application/json"}), 400
    )
    assert error["message"].startswith("We could not parse the JSON body of your request.")


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"3", b"null"])
def test_a_body_that_is_not_an_object_is_400(api: httpx.Client, raw: bytes) -> None:
    error = service(
        api.post("/assistants", content=raw, headers={"content-type": "application/json"}), 400
    )
    assert error["message"].startswith("Invalid type for body: expected an object")


@pytest.mark.parametrize(
    ("body", "message", "param", "code"),
    [
        ({}, "Missing required parameter: 'model'.", "model", "missing_required_parameter"),
        (
            {"model": "m", "tool_resources": {}},
            "Unknown parameter: 'tool_resources'.",
            "tool_resources",
            "unknown_parameter",
        ),
        (
            {"model": 4},
            "Invalid type for 'model': expected a string, but got an integer instead.",
            "model",
            "invalid_type",
        ),
        (
            {"model": "m", "tools": [{"type": "browser"}]},
            "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'retrieval', 'function'.",
            "tools[0].type",
            "invalid_value",
        ),
        (
            {"model": "m", "tools": [{"type": "function", "function": {"name": "f", "x": 1}}]},
            "Unknown parameter: 'tools[0].function.x'.",
            "tools[0].function.x",
            "unknown_parameter",
        ),
        (
            {"model": "m", "tools": [{}]},
            "Missing required parameter: 'tools[0].type'.",
            "tools[0].type",
            "missing_required_parameter",
        ),
        (
            {"model": "m", "metadata": {"k": 1}},
            "Invalid type for 'metadata.k': expected a string, but got an integer instead.",
            "metadata.k",
            "invalid_type",
        ),
        (
            {"model": "m", "file_ids": ["assistant-nope"]},
            "Invalid 'file_ids': no file found with id 'assistant-nope'.",
            "file_ids",
            "invalid_value",
        ),
    ],
)
def test_bad_assistant_bodies_name_the_field(
    api: httpx.Client, body: dict[str, Any], message: str, param: str, code: str
) -> None:
    error = service(api.post("/assistants", json=body), 400)
    assert error == {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("GET", "/assistants/asst_x", "No assistant found with id 'asst_x'."),
        ("POST", "/assistants/asst_x", "No assistant found with id 'asst_x'."),
        ("DELETE", "/assistants/asst_x", "No assistant found with id 'asst_x'."),
        ("GET", "/assistants/asst_x/files", "No assistant found with id 'asst_x'."),
        ("GET", "/files/assistant-x", "No such File object: assistant-x"),
        ("DELETE", "/files/assistant-x", "No such File object: assistant-x"),
        ("GET", "/files/assistant-x/content", "No such File object: assistant-x"),
        ("GET", "/threads/thread_x", "No thread found with id 'thread_x'."),
        ("DELETE", "/threads/thread_x", "No thread found with id 'thread_x'."),
        ("GET", "/threads/thread_x/messages", "No thread found with id 'thread_x'."),
        ("GET", "/threads/thread_x/runs/run_x", "No thread found with id 'thread_x'."),
    ],
)
def test_missing_objects_are_404(api: httpx.Client, method: str, path: str, message: str) -> None:
    body: dict[str, Any] | None = {} if method == "POST" else None
    error = service(api.request(method, path, json=body), 404)
    assert error == {
        "message": message,
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_missing_children_of_existing_parents_are_404(api: httpx.Client) -> None:
    aid = api.post("/assistants", json={"model": "m"}).json()["id"]
    tid = api.post("/threads", json={"messages": [{"role": "user", "content": "hi"}]}).json()["id"]
    mid = api.get(f"/threads/{tid}/messages").json()["first_id"]
    missing = {
        f"/assistants/{aid}/files/assistant-x": "No file found with id 'assistant-x' attached to assistant",
        f"/threads/{tid}/messages/msg_x": "No message found with id 'msg_x'.",
        f"/threads/{tid}/messages/{mid}/files/assistant-x": "No file found with id 'assistant-x' on message",
        f"/threads/{tid}/runs/run_x": "No run found with id 'run_x'.",
        f"/threads/{tid}/runs/run_x/steps": "No run found with id 'run_x'.",
    }
    for path, message in missing.items():
        assert service(api.get(path), 404)["message"].startswith(message)
    assert service(api.delete(f"/assistants/{aid}/files/assistant-x"), 404)["param"] is None


def test_attach_rejects_unknown_and_duplicate_files(api: httpx.Client) -> None:
    aid = api.post("/assistants", json={"model": "m"}).json()["id"]
    error = service(api.post(f"/assistants/{aid}/files", json={"file_id": "assistant-x"}), 400)
    assert error["param"] == "file_id"
    fid = api.post(
        "/files", files={"file": ("a.txt", b"a")}, data={"purpose": "assistants"}
    ).json()["id"]
    assert api.post(f"/assistants/{aid}/files", json={"file_id": fid}).status_code == 200
    error = service(api.post(f"/assistants/{aid}/files", json={"file_id": fid}), 400)
    assert error["message"] == f"File '{fid}' is already attached to assistant '{aid}'."
    error = service(api.post("/assistants", json={"model": "m", "file_ids": [fid, fid]}), 400)
    assert error["message"] == "Invalid 'file_ids': duplicate file ids."


def test_duplicate_function_names_are_rejected(api: httpx.Client) -> None:
    tool = {"type": "function", "function": {"name": "f"}}
    error = service(api.post("/assistants", json={"model": "m", "tools": [tool, tool]}), 400)
    assert error["param"] == "tools[1].function.name"


FILE = ("a.txt", b"a", "text/plain")


@pytest.mark.parametrize(
    ("parts", "param", "code"),
    [
        ({"purpose": (None, "assistants")}, "file", "missing_required_parameter"),
        ({"file": FILE}, "purpose", "missing_required_parameter"),
        ({"file": FILE, "purpose": (None, "batch")}, "purpose", "invalid_value"),
        ({"file": ("a.txt", b""), "purpose": (None, "assistants")}, "file", "empty_file"),
        (
            {"file": FILE, "purpose": (None, "assistants"), "colour": (None, "red")},
            "colour",
            "unknown_parameter",
        ),
        ({"file": (None, "not a file"), "purpose": (None, "assistants")}, "file", "invalid_type"),
    ],
)
def test_bad_uploads_are_400_naming_the_part(
    api: httpx.Client, parts: dict[str, Any], param: str, code: str
) -> None:
    error = service(api.post("/files", files=parts), 400)
    assert (error["param"], error["code"]) == (param, code)


def test_an_upload_that_is_not_multipart_is_400(api: httpx.Client) -> None:
    error = service(api.post("/files", json={"purpose": "assistants"}), 400)
    assert error["param"] == "Content-Type"


def test_the_filename_part_overrides_the_disposition_name(api: httpx.Client) -> None:
    data = {"purpose": "assistants", "filename": "renamed.md"}
    body = api.post("/files", data=data, files={"file": ("a.txt", b"a")}).json()
    assert body["filename"] == "renamed.md"


def test_an_unknown_purpose_filter_is_400(api: httpx.Client) -> None:
    assert service(api.get("/files", params={"purpose": "nope"}), 400)["param"] == "purpose"
