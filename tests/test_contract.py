"""Every operation of the spec, driven over HTTP; every response checked against the spec.

The tour calls each of the spec's operations (the last test asserts none was missed) through a
client whose response hook validates each body: a 200 against the operation's schema from the
vendored spec, an error against the two error shapes Azure sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.conftest import API_VERSION, KEY
from tests.spec import ERROR, check, find_operation, operations


class Recorder:
    def __init__(self) -> None:
        self.called: set[str] = set()
        self.violations: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        operation = find_operation(request.method, request.url.path)
        if response.status_code == 200 and operation is None:
            return  # GET /files/{id}/content: bytes, outside the spec
        schema = operation.response if operation and response.status_code == 200 else ERROR
        if operation and response.status_code == 200:
            self.called.add(operation.operation_id)
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        self.violations += [f"{where}: {line}" for line in check(schema, response.json())]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(server: BackgroundServer, recorder: Recorder) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{server.url}/openai",
        params={"api-version": API_VERSION},
        headers={"api-key": KEY},
        event_hooks={"response": [recorder.hook]},
    ) as recording:
        yield recording


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def upload(client: httpx.Client, name: str, data: bytes) -> str:
    files = {"file": (name, data, "text/plain")}
    return str(ok(client.post("/files", files=files, data={"purpose": "assistants"}))["id"])


def tour_assistants(client: httpx.Client) -> None:
    file_id = upload(client, "faq.md", b"# FAQ\n")
    other = upload(client, "notes.txt", b"notes")
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    body = {"model": "gpt-4", "name": "a", "tools": [{"type": "code_interpreter"}, tool]}
    assistant = ok(client.post("/assistants", json={**body, "file_ids": [file_id]}))
    aid = assistant["id"]
    ok(client.get(f"/assistants/{aid}"))
    ok(client.get("/assistants", params={"limit": 1}))
    ok(client.post(f"/assistants/{aid}", json={"description": "d", "metadata": {"k": "v"}}))
    ok(client.post(f"/assistants/{aid}/files", json={"file_id": other}))
    ok(client.get(f"/assistants/{aid}/files"))
    ok(client.get(f"/assistants/{aid}/files/{other}"))
    ok(client.delete(f"/assistants/{aid}/files/{other}"))
    ok(client.get("/files", params={"purpose": "assistants"}))
    ok(client.get(f"/files/{file_id}"))
    assert client.get(f"/files/{file_id}/content").content == b"# FAQ\n"
    ok(client.delete(f"/files/{other}"))
    ok(client.delete(f"/assistants/{aid}"))


def tour_threads(client: httpx.Client) -> None:
    file_id = upload(client, "data.csv", b"a,b\n1,2\n")
    tool = {"type": "function", "function": {"name": "lookup"}}
    aid = ok(client.post("/assistants", json={"model": "gpt-4", "tools": [tool]}))["id"]
    tid = ok(client.post("/threads", json={"metadata": {"a": "b"}}))["id"]
    ok(client.get(f"/threads/{tid}"))
    ok(client.post(f"/threads/{tid}", json={"metadata": {"c": "d"}}))
    message = {"role": "user", "content": "hello", "file_ids": [file_id]}
    mid = ok(client.post(f"/threads/{tid}/messages", json=message))["id"]
    ok(client.get(f"/threads/{tid}/messages/{mid}"))
    ok(client.post(f"/threads/{tid}/messages/{mid}", json={"metadata": {"x": "y"}}))
    ok(client.get(f"/threads/{tid}/messages/{mid}/files"))
    ok(client.get(f"/threads/{tid}/messages/{mid}/files/{file_id}"))
    tour_runs(client, tid, aid)
    ok(client.get(f"/threads/{tid}/messages"))
    ok(client.delete(f"/threads/{tid}"))


def tour_runs(client: httpx.Client, tid: str, aid: str) -> None:
    rid = ok(client.post(f"/threads/{tid}/runs", json={"assistant_id": aid}))["id"]
    ok(client.post(f"/threads/{tid}/runs/{rid}", json={"metadata": {"m": "n"}}))
    statuses = [ok(client.get(f"/threads/{tid}/runs/{rid}"))["status"] for _ in range(2)]
    assert statuses == ["in_progress", "requires_action"]
    run = ok(client.get(f"/threads/{tid}/runs/{rid}"))
    call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    outputs = {"tool_outputs": [{"tool_call_id": call["id"], "output": "42"}]}
    ok(client.post(f"/threads/{tid}/runs/{rid}/submit_tool_outputs", json=outputs))
    while ok(client.get(f"/threads/{tid}/runs/{rid}"))["status"] != "completed":
        pass
    steps = ok(client.get(f"/threads/{tid}/runs/{rid}/steps", params={"order": "asc"}))["data"]
    ok(client.get(f"/threads/{tid}/runs/{rid}/steps/{steps[0]['id']}"))
    ok(client.get(f"/threads/{tid}/runs"))
    other = ok(client.post("/threads/runs", json={"assistant_id": aid, "thread": {}}))
    ok(client.post(f"/threads/{other['thread_id']}/runs/{other['id']}/cancel"))


def tour_errors(client: httpx.Client) -> None:
    for path in ("/assistants/asst_missing", "/files/nope", "/threads/thread_missing"):
        assert client.get(path).status_code == 404
    assert client.post("/assistants", json={"model": 1}).status_code == 400
    assert client.get("/assistants", params={"limit": 0}).status_code == 400
    assert client.get("/assistants", params={"api-version": "1999-01-01"}).status_code == 400


def test_every_response_matches_the_spec(client: httpx.Client, recorder: Recorder) -> None:
    tour_assistants(client)
    tour_threads(client)
    tour_errors(client)
    assert recorder.violations == []
    assert recorder.called == {op.operation_id for op in operations()}


def test_empty_lists_match_the_spec_with_null_cursors(
    client: httpx.Client, recorder: Recorder
) -> None:
    page = ok(client.get("/assistants"))
    assert page == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }
    assert recorder.violations == []


def test_the_checker_catches_a_body_that_breaks_the_spec() -> None:
    operation = find_operation("GET", "/openai/assistants/asst_x")
    assert operation is not None
    bad = {
        "id": "asst_x",
        "object": "assistant",
        "created_at": "yesterday",
        "tools": [{"type": "function"}],
    }
    problems = check(operation.response, bad)
    assert "created_at: 'yesterday' is not of type 'integer'" in problems
    assert any("'function' is a required property" in line for line in problems)
    assert any("'model' is a required property" in line for line in problems)
