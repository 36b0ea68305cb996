"""Files and vector stores: ingestion lifecycle, counts, status, detach and delete rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok, upload

V1 = "/openai/v1"


@pytest.fixture
def client(foundry_api: httpx.Client) -> httpx.Client:
    return foundry_api


def store(client: httpx.Client, **body: Any) -> str:
    return str(ok(client.post(f"{V1}/vector_stores", json=body))["id"])


def test_an_attach_is_in_progress_then_settles_on_the_next_read(client: httpx.Client) -> None:
    good, bad = upload(client, "a.md", b"12345678"), upload(client, "b.exe")
    created = client.post(f"{V1}/vector_stores", json={"file_ids": [good, bad]})
    assert created.headers["openai-poll-after-ms"] == "10"
    body = ok(created)
    assert (body["status"], body["file_counts"]["in_progress"]) == ("in_progress", 2)
    ready = ok(client.get(f"{V1}/vector_stores/{body['id']}"))
    assert ready["status"] == "completed"
    assert ready["file_counts"] == {
        "in_progress": 0,
        "completed": 1,
        "failed": 1,
        "cancelled": 0,
        "total": 2,
    }
    assert ready["usage_bytes"] == 8
    failed = ok(client.get(f"{V1}/vector_stores/{body['id']}/files/{bad}"))
    assert failed["last_error"]["code"] == "unsupported_file"
    assert failed["chunking_strategy"]["type"] == "static"


def test_a_delay_keeps_files_in_progress() -> None:
    emulator = Emulator.create(foundry=FoundryOptions(ingestion_delay_ms=3_600_000))
    with BackgroundServer(emulator) as server, foundry_client(server.url) as client:
        store_id = store(client, file_ids=[upload(client)])
        assert ok(client.get(f"{V1}/vector_stores/{store_id}"))["status"] == "in_progress"
        listed = ok(
            client.get(f"{V1}/vector_stores/{store_id}/files", params={"filter": "in_progress"})
        )
        assert len(listed["data"]) == 1


def test_attach_is_idempotent_and_detach_keeps_the_file(client: httpx.Client) -> None:
    store_id, file_id = store(client), upload(client)
    path = f"{V1}/vector_stores/{store_id}/files"
    first = ok(client.post(path, json={"file_id": file_id}))
    assert ok(client.post(path, json={"file_id": file_id}))["created_at"] == first["created_at"]
    assert ok(client.get(f"{V1}/vector_stores/{store_id}"))["file_counts"]["total"] == 1
    assert ok(client.delete(f"{path}/{file_id}"))["object"] == "vector_store.file.deleted"
    assert client.get(f"{path}/{file_id}").status_code == 404
    assert ok(client.get(f"{V1}/files/{file_id}"))["id"] == file_id


def test_deleting_a_file_removes_it_from_every_store(client: httpx.Client) -> None:
    file_id = upload(client)
    stores = [store(client, file_ids=[file_id]) for _ in range(2)]
    ok(client.delete(f"{V1}/files/{file_id}"))
    for store_id in stores:
        assert ok(client.get(f"{V1}/vector_stores/{store_id}"))["file_counts"]["total"] == 0


def test_references_and_limits_are_400s_naming_the_field(client: httpx.Client) -> None:
    store_id = store(client)
    cases = [
        (f"{V1}/vector_stores/{store_id}/files", {"file_id": "missing"}, "file_id"),
        (f"{V1}/vector_stores", {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
        (
            f"{V1}/vector_stores",
            {"expires_after": {"anchor": "last_active_at", "days": 0}},
            "expires_after.days",
        ),
        (
            f"{V1}/vector_stores",
            {
                "chunking_strategy": {
                    "type": "static",
                    "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 60},
                }
            },
            "chunking_strategy.static",
        ),
        (f"{V1}/vector_stores/{store_id}/file_batches", {}, "file_ids"),
        (
            f"{V1}/vector_stores/{store_id}/file_batches",
            {"file_ids": ["a"], "files": [{"file_id": "a"}]},
            "file_ids",
        ),
    ]
    for path, body, param in cases:
        response = client.post(path, json=body)
        assert response.status_code == 400, (path, body)
        assert response.json()["error"]["param"] == param
    assert (
        client.get(f"{V1}/vector_stores/{store_id}/files", params={"filter": "odd"}).status_code
        == 400
    )
    assert client.get(f"{V1}/files", params={"purpose": "odd"}).status_code == 400


def test_batches_count_their_files_and_a_finished_batch_ignores_cancel(
    client: httpx.Client,
) -> None:
    store_id = store(client)
    files = [upload(client, "a.md"), upload(client, "b.md")]
    body = {"files": [{"file_id": files[0], "attributes": {"n": 1}}, {"file_id": files[1]}]}
    batch = ok(client.post(f"{V1}/vector_stores/{store_id}/file_batches", json=body))
    assert (batch["status"], batch["file_counts"]["in_progress"]) == ("in_progress", 2)
    path = f"{V1}/vector_stores/{store_id}/file_batches/{batch['id']}"
    assert ok(client.get(path))["status"] == "completed"
    assert ok(client.post(f"{path}/cancel"))["status"] == "completed"
    listed = ok(client.get(f"{path}/files", params={"order": "asc"}))
    assert [f["id"] for f in listed["data"]] == files
    assert listed["data"][0]["attributes"] == {"n": 1}


def test_a_batch_of_only_failures_failed(client: httpx.Client) -> None:
    store_id = store(client)
    batch = {"file_ids": [upload(client, "x.bin")]}
    created = ok(client.post(f"{V1}/vector_stores/{store_id}/file_batches", json=batch))
    assert (
        ok(client.get(f"{V1}/vector_stores/{store_id}/file_batches/{created['id']}"))["status"]
        == "failed"
    )


def test_store_expiry_and_modify(
    module_server: BackgroundServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_id = store(client, name="kb", expires_after={"anchor": "last_active_at", "days": 1})
    modified = ok(
        client.post(f"{V1}/vector_stores/{store_id}", json={"name": None, "metadata": {"a": "b"}})
    )
    assert (modified["name"], modified["metadata"], modified["status"]) == (
        "",
        {"a": "b"},
        "completed",
    )
    emulator = module_server.emulator
    assert isinstance(emulator, Emulator)
    state = emulator.state
    now = state.clock()
    monkeypatch.setattr(state, "clock", lambda: now + 2 * 86_400)
    assert ok(client.get(f"{V1}/vector_stores/{store_id}"))["status"] == "expired"


def test_files_page_and_serve_the_routes_without_the_openai_prefix(client: httpx.Client) -> None:
    ids = [upload(client, f"f{i}.md") for i in range(3)]
    page = ok(client.get(f"{V1}/files", params={"limit": 2, "order": "asc"}))
    assert ([f["id"] for f in page["data"]], page["has_more"]) == (ids[:2], True)
    assert (
        ok(client.get("/files", params={"after": ids[1], "order": "asc"}))["data"][0]["id"]
        == ids[2]
    )
    assert client.get(f"{V1}/files", params={"limit": 10_001}).status_code == 400
    assert ok(client.get("/vector_stores"))["data"] == []


def test_a_missing_file_is_named_by_the_field_that_sent_it(client: httpx.Client) -> None:
    store_id = store(client)
    created = client.post(f"{V1}/vector_stores", json={"file_ids": ["nope"]})
    assert created.json()["error"]["param"] == "file_ids"
    batch = client.post(
        f"{V1}/vector_stores/{store_id}/file_batches", json={"files": [{"file_id": "nope"}]}
    )
    assert batch.json()["error"]["param"] == "files"
    assert ok(client.get(f"{V1}/vector_stores"))["data"][0]["id"] == store_id  # nothing half-made
