"""Every operation of the spec, driven over HTTP; every response checked against the spec.

The tour calls each of the spec's operations (the last test asserts none was missed) through a
client whose response hook validates each body: a 200 against the operation's schema from the
vendored spec, an error against the two error shapes Azure sends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.clients import API_VERSION, KEY
from tests.support.spec import ERROR, check, event_schema, find_operation, operations


def server_sent_events(text: str) -> list[tuple[str, str]]:
    """(event, data) of each frame of a text/event-stream body."""
    frames = []
    for frame in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in frame.splitlines() if line)
        if fields:
            frames.append((fields.get("event", ""), fields.get("data", "")))
    return frames


def check_events(text: str) -> list[str]:
    """Every event's data against the spec; the stream must end with `done` / `[DONE]`."""
    frames = server_sent_events(text)
    done = frames[-1:] == [("done", "[DONE]")]
    problems = [] if done else ["the stream does not end with done"]
    for event, data in frames[:-1] if done else frames:
        schema = event_schema(event)
        if schema is None:
            problems.append(f"{event}: not an event of the API")
        else:
            problems += [f"{event}: {line}" for line in check(schema, json.loads(data))]
    return problems


class Recorder:
    def __init__(self) -> None:
        self.called: set[str] = set()
        self.violations: list[str] = []
        self.streams: list[list[str]] = []

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
        if response.headers["content-type"].startswith("text/event-stream"):
            self.streams.append([event for event, _ in server_sent_events(response.text)])
            problems = check_events(response.text)
        else:
            problems = check(schema, response.json())
        self.violations += [f"{where}: {line}" for line in problems]


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


def tour_streams(client: httpx.Client) -> None:
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    aid = ok(client.post("/assistants", json={"model": "gpt-4", "tools": [tool]}))["id"]
    thread = {"messages": [{"role": "user", "content": "stream it"}]}
    opened = client.post(
        "/threads/runs", json={"assistant_id": aid, "thread": thread, "stream": True}
    )
    assert opened.status_code == 200
    run = json.loads(server_sent_events(opened.text)[-2][1])
    assert run["status"] == "requires_action"
    call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    outputs = {"tool_outputs": [{"tool_call_id": call["id"], "output": "42"}], "stream": True}
    path = f"/threads/{run['thread_id']}/runs/{run['id']}"
    assert client.post(f"{path}/submit_tool_outputs", json=outputs).status_code == 200
    plain = ok(client.post("/assistants", json={"model": "gpt-4"}))["id"]
    body = {"assistant_id": plain, "stream": True}
    assert client.post(f"/threads/{run['thread_id']}/runs", json=body).status_code == 200


def tour_errors(client: httpx.Client) -> None:
    for path in ("/assistants/asst_missing", "/files/nope", "/threads/thread_missing"):
        assert client.get(path).status_code == 404
    assert client.post("/assistants", json={"model": 1}).status_code == 400
    assert client.get("/assistants", params={"limit": 0}).status_code == 400
    assert client.get("/assistants", params={"api-version": "1999-01-01"}).status_code == 400


def test_every_response_matches_the_spec(client: httpx.Client, recorder: Recorder) -> None:
    tour_assistants(client)
    tour_threads(client)
    tour_streams(client)
    tour_errors(client)
    assert recorder.violations == []
    assert recorder.called == {op.operation_id for op in operations()}
    # Every kind of event a run streams was seen and checked.
    seen = {event for stream in recorder.streams for event in stream}
    for kind in ("thread.created", "thread.run.requires_action", "thread.run.step.delta"):
        assert kind in seen
    assert {"thread.message.delta", "thread.message.completed", "thread.run.completed"} <= seen
    assert len(recorder.streams) == 3


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


def test_the_event_checker_catches_a_stream_that_breaks_the_spec() -> None:
    delta = {
        "id": "msg_x",
        "object": "thread.message.delta",
        "delta": {"content": [{"type": "text"}]},
    }
    stream = (
        'event: thread.run.created\ndata: {"id": "run_x"}\n\n'
        f"event: thread.message.delta\ndata: {json.dumps(delta)}\n\n"
        "event: thread.run.sleeping\ndata: {}\n\n"
    )
    problems = check_events(stream)
    assert "the stream does not end with done" in problems
    assert "thread.run.created: : 'status' is a required property" in problems
    assert any(line.startswith("thread.message.delta: delta/content/0") for line in problems)
    assert "thread.run.sleeping: not an event of the API" in problems
