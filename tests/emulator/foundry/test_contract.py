"""Every Foundry operation the emulator serves, driven over HTTP; every response checked.

A 200 is checked against its operation's schema in the vendored specs (tests/support/foundry_spec.py,
errata named there), an error against the error body of its route family: the agents spec's
ApiErrorResponse or the OpenAI spec's ErrorResponse. The last assertion says no operation of the
specs was missed, except the few the emulator does not serve (NOT_SERVED).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok, prompt, upload
from tests.support.foundry_spec import (
    AGENTS_PREFIX,
    ERRATA,
    check,
    find_operation,
    openai_document,
    operations,
)

NOT_SERVED = {
    "Agents_updateAgentFromManifest": "imports an agent manifest (POST /agents/{name}/import)",
    "updateVectorStoreFileAttributes": "not in the Azure v1 excerpt; the SDK's update() is not served",
    "retrieveVectorStoreFileContent": "parsed chunks of ingested files: the emulator does not chunk",
    "searchVectorStore": "search needs embeddings the emulator does not compute",
}
V1 = "/openai/v1"
OPENAI_ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


class Recorder:
    def __init__(self) -> None:
        self.called: set[str] = set()
        self.violations: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        operation = find_operation(request.method, request.url.path)
        if operation is not None and response.status_code == 200:
            self.called.add(operation.operation_id)
        if not response.headers.get("content-type", "").startswith("application/json"):
            return  # file content (bytes, not the spec's JSON string), and 204s
        if operation is None:
            schema = {**OPENAI_ERROR, "components": openai_document()["components"]}
        else:
            schema = operation.response if response.status_code == 200 else operation.error
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        self.violations += [f"{where}: {line}" for line in check(schema, response.json())]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(server: BackgroundServer, recorder: Recorder) -> Iterator[httpx.Client]:
    with foundry_client(server.url, event_hooks={"response": [recorder.hook]}) as recording:
        yield recording


def tour_knowledge(client: httpx.Client) -> tuple[str, str]:
    file_id, other = upload(client, "faq.md"), upload(client, "notes.bin")
    ok(client.get(f"{V1}/files", params={"purpose": "assistants"}))
    ok(client.get(f"{V1}/files/{file_id}"))
    assert client.get(f"{V1}/files/{file_id}/content").content == b"# FAQ\n"
    body: dict[str, Any] = {"name": "kb", "file_ids": [file_id], "metadata": {"a": "b"}}
    body["expires_after"] = {"anchor": "last_active_at", "days": 7}
    store = ok(client.post(f"{V1}/vector_stores", json=body))["id"]
    ok(client.get(f"{V1}/vector_stores", params={"limit": 1}))
    ok(client.get(f"{V1}/vector_stores/{store}"))
    ok(client.post(f"{V1}/vector_stores/{store}", json={"name": "kb2"}))
    ok(
        client.post(
            f"{V1}/vector_stores/{store}/files", json={"file_id": other, "attributes": {"n": 1}}
        )
    )
    ok(client.get(f"{V1}/vector_stores/{store}/files", params={"filter": "failed"}))
    ok(client.get(f"{V1}/vector_stores/{store}/files/{other}"))
    ok(client.delete(f"{V1}/vector_stores/{store}/files/{other}"))
    batch = ok(client.post(f"{V1}/vector_stores/{store}/file_batches", json={"file_ids": [other]}))[
        "id"
    ]
    ok(client.get(f"{V1}/vector_stores/{store}/file_batches/{batch}"))
    ok(client.post(f"{V1}/vector_stores/{store}/file_batches/{batch}/cancel"))
    ok(client.get(f"{V1}/vector_stores/{store}/file_batches/{batch}/files"))
    return file_id, store


def tour_agents(client: httpx.Client, file_id: str, store: str) -> None:
    tools = [
        {"type": "file_search", "vector_store_ids": [store], "max_num_results": 8},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": [file_id]}},
        {"type": "function", "name": "lookup", "parameters": {"type": "object"}, "strict": True},
    ]
    body = {**prompt(instructions="Help.", temperature=0.2, tools=tools), "metadata": {"k": "v"}}
    ok(client.post("/agents/tour/versions", json=body))
    ok(
        client.post(
            "/agents", json={**prompt(), "name": "made", "agent_card": {"description": "x"}}
        )
    )
    ok(client.get("/agents", params={"limit": 1, "api-version": "v1"}))
    ok(client.get("/agents/tour"))
    ok(client.post("/agents/tour", json={**body, "description": "changed"}))
    ok(client.patch("/agents/tour", json={"agent_card": {"description": "y"}}))
    ok(client.get("/agents/tour/versions"))
    ok(client.get("/agents/tour/versions/1"))
    ok(client.delete("/agents/tour/versions/1"))
    ok(client.delete("/agents/tour"))


def tour_cleanup(client: httpx.Client, file_id: str, store: str) -> None:
    ok(client.delete(f"{V1}/vector_stores/{store}"))
    ok(client.delete(f"{V1}/files/{file_id}"))


def tour_errors(client: httpx.Client) -> None:
    statuses = [
        client.get("/agents/missing").status_code,
        client.post("/agents/bad_name/versions", json=prompt()).status_code,
        client.get(f"{V1}/vector_stores/vs_missing").status_code,
        client.post(f"{V1}/vector_stores", json={"file_ids": "x"}).status_code,
        client.get("/agents", params={"api-version": "2020-01-01"}).status_code,
        client.get("/agents", headers={"Authorization": "Basic x"}).status_code,
        client.get(f"{V1}/files", headers={"Authorization": "Basic x"}).status_code,
        client.get(f"{V1}/nowhere").status_code,
    ]
    assert statuses == [404, 400, 404, 400, 400, 401, 401, 501]


def test_every_response_matches_the_specs(client: httpx.Client, recorder: Recorder) -> None:
    empty = ok(client.get("/agents"))  # null cursors: an erratum the checker must accept
    assert (empty["data"], empty["last_id"]) == ([], None)
    file_id, store = tour_knowledge(client)
    tour_agents(client, file_id, store)
    tour_cleanup(client, file_id, store)
    tour_errors(client)
    assert recorder.violations == []
    served = {op.operation_id for op in operations()} - set(NOT_SERVED)
    assert recorder.called == served


def test_the_checker_catches_a_body_that_breaks_the_spec() -> None:
    operation = find_operation("GET", AGENTS_PREFIX.replace("{project}", "p") + "/agents/x")
    assert operation is not None
    latest: dict[str, Any] = {"object": "agent.version", "id": "x:1", "name": "x", "version": "1"}
    latest.update(created_at="no", metadata={}, definition={"kind": "prompt"})
    bad = {
        "object": "agent",
        "id": "x",
        "name": "x",
        "state": "enabled",
        "versions": {"latest": latest},
    }
    problems = check(operation.response, bad)
    assert "versions/latest/created_at: 'no' is not of type 'integer'" in problems
    assert "versions/latest/definition: 'model' is a required property" in problems


def test_every_erratum_is_named() -> None:
    assert all(reason for reason in ERRATA.values())
