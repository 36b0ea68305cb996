"""Optional request fields sent as null, and `stream: false`, mean "not given", as on the service.

Frameworks built on the v1 API send explicit nulls for every optional field they do not set, and
the SDK's polling helpers send `"stream": false`; both must be accepted, while unknown fields and
nulls for required fields are still refused by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import azure_client

NULLS: dict[str, Any] = {"metadata": None}


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    """One server for the module: each test makes its own objects and reads only those."""
    with BackgroundServer(Emulator.create()) as server, azure_client(server.url) as client:
        yield client


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(response: httpx.Response) -> tuple[str | None, str | None]:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    return error["param"], error["code"]


def assistant(api: httpx.Client) -> dict[str, Any]:
    nulls = {"name": None, "description": None, "instructions": None, "tools": None}
    return ok(api.post("/assistants", json={"model": "gpt-4", "file_ids": None, **nulls, **NULLS}))


def test_create_assistant_takes_null_for_every_optional_field(api: httpx.Client) -> None:
    created = assistant(api)
    assert (created["tools"], created["file_ids"], created["metadata"]) == ([], [], {})
    assert (created["name"], created["instructions"]) == (None, None)
    tool = {"type": "function", "function": {"name": "f", "description": None, "parameters": None}}
    with_tool = ok(api.post("/assistants", json={"model": "gpt-4", "tools": [tool]}))
    assert with_tool["tools"][0]["function"]["parameters"] == {"type": "object", "properties": {}}


def test_threads_messages_and_runs_take_nulls_and_stream_false(api: httpx.Client) -> None:
    aid = assistant(api)["id"]
    message = {"role": "user", "content": "hi", "file_ids": None, "metadata": None}
    thread = ok(api.post("/threads", json={"messages": [message], "metadata": None}))
    nulls = {"model": None, "instructions": None, "additional_instructions": None, "tools": None}
    run = ok(api.post(f"/threads/{thread['id']}/runs", json={"assistant_id": aid, **nulls}))
    assert (run["model"], run["instructions"], run["tools"]) == ("gpt-4", "", [])
    ok(api.post(f"/threads/{thread['id']}/runs/{run['id']}/cancel"))
    for stream in (False, None):
        body = {"assistant_id": aid, "thread": None, "stream": stream, **nulls, **NULLS}
        assert ok(api.post("/threads/runs", json=body))["status"] == "queued"


def test_additional_instructions_follow_the_assistants(api: httpx.Client) -> None:
    aid = ok(api.post("/assistants", json={"model": "gpt-4", "instructions": "Be terse."}))["id"]
    body = {"assistant_id": aid, "additional_instructions": "Answer in French."}
    run = ok(api.post("/threads/runs", json=body))
    assert run["instructions"] == "Be terse.\n\nAnswer in French."
    too_long = {**body, "additional_instructions": "x" * 32769}
    assert refused(api.post("/threads/runs", json=too_long)) == (
        "additional_instructions",
        "string_above_max_length",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"model": None}, ("model", "invalid_type")),
        ({"model": "gpt-4", "temperature": None}, ("temperature", "unknown_parameter")),
        ({"model": "gpt-4", "tools": [None]}, ("tools[0]", "invalid_type")),
    ],
)
def test_required_nulls_and_unknown_fields_are_still_refused(
    api: httpx.Client, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert refused(api.post("/assistants", json=body)) == expected


def test_stream_must_be_a_boolean(api: httpx.Client) -> None:
    aid = assistant(api)["id"]
    response = api.post("/threads/runs", json={"assistant_id": aid, "stream": "yes"})
    assert refused(response) == ("stream", "invalid_type")
