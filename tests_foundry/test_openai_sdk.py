"""openai 3.57.0, as `AIProjectClient.get_openai_client()` returns it, drives files and vector stores.

The pollers (`create_and_poll`, `upload_and_poll`, batch polling) run as shipped; the emulator's
`openai-poll-after-ms` keeps their sleeps short, and ingestion settles on the next read.
"""

from __future__ import annotations

from typing import Any

import openai as openai_sdk
import pytest

from reconciler.emulator.foundry import FoundryOptions

DATA = bytes(range(256)) + "naïve ☃\n".encode()


def upload(client: Any, name: str, data: bytes = b"Orders ship in 2 days.\n") -> Any:
    return client.files.create(file=(name, data), purpose="assistants")


def test_files_upload_list_get_content_and_delete(openai: Any) -> None:
    first = upload(openai, "faq.md", DATA)
    second = upload(openai, "notes.txt")
    assert (first.filename, first.bytes, first.purpose) == ("faq.md", len(DATA), "assistants")
    assert [f.id for f in openai.files.list(purpose="assistants")] == [second.id, first.id]
    assert [f.id for f in openai.files.list(limit=1, order="asc")] == [first.id, second.id]
    assert openai.files.retrieve(first.id).filename == "faq.md"
    assert openai.files.content(first.id).read() == DATA
    deleted = openai.files.delete(first.id)
    assert (deleted.id, deleted.deleted) == (first.id, True)
    with pytest.raises(openai_sdk.NotFoundError):
        openai.files.retrieve(first.id)


def test_vector_store_lifecycle(openai: Any) -> None:
    first, second = upload(openai, "a.md"), upload(openai, "b.txt")
    store = openai.vector_stores.create(
        name="kb",
        file_ids=[first.id],
        metadata={"app": "demo"},
        expires_after={"anchor": "last_active_at", "days": 7},
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
        },
    )
    assert (store.status, store.file_counts.in_progress) == ("in_progress", 1)
    ready = openai.vector_stores.retrieve(store.id)
    assert (ready.status, ready.file_counts.completed, ready.usage_bytes) == (
        "completed",
        1,
        first.bytes,
    )
    assert ready.expires_at == ready.last_active_at + 7 * 86400
    renamed = openai.vector_stores.update(store.id, name="kb2", metadata={"app": "demo2"})
    assert (renamed.name, renamed.metadata) == ("kb2", {"app": "demo2"})
    assert [s.id for s in openai.vector_stores.list(limit=100)] == [store.id]
    attached = openai.vector_stores.files.create(
        vector_store_id=store.id, file_id=second.id, attributes={"k": "v"}
    )
    assert attached.status == "in_progress"
    listed = openai.vector_stores.files.list(store.id, filter="completed")
    assert sorted(f.id for f in listed) == sorted([first.id, second.id])
    assert openai.vector_stores.files.retrieve(second.id, vector_store_id=store.id).attributes == {
        "k": "v"
    }
    detached = openai.vector_stores.files.delete(second.id, vector_store_id=store.id)
    assert detached.deleted
    assert openai.files.retrieve(second.id).id == second.id  # detaching keeps the File
    assert openai.vector_stores.delete(store.id).deleted
    with pytest.raises(openai_sdk.NotFoundError):
        openai.vector_stores.retrieve(store.id)


def test_create_and_poll_and_upload_and_poll_complete(openai: Any) -> None:
    store = openai.vector_stores.create(name="polled")
    added = openai.vector_stores.files.create_and_poll(
        file_id=upload(openai, "a.md").id, vector_store_id=store.id
    )
    assert (added.status, added.last_error) == ("completed", None)
    uploaded = openai.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("b.py", b"print(1)\n")
    )
    assert uploaded.status == "completed"
    assert openai.vector_stores.retrieve(store.id).file_counts.completed == 2


def test_batches_poll_to_completion_and_list_their_files(openai: Any) -> None:
    store = openai.vector_stores.create(name="batched")
    ids = [upload(openai, f"doc{index}.md").id for index in range(3)]
    batch = openai.vector_stores.file_batches.create_and_poll(store.id, file_ids=ids)
    assert (batch.status, batch.file_counts.completed, batch.file_counts.total) == (
        "completed",
        3,
        3,
    )
    listed = openai.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
    assert sorted(f.id for f in listed) == sorted(ids)
    again = openai.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert again.status == "completed"
    uploaded = openai.vector_stores.file_batches.upload_and_poll(
        store.id, files=[("e.txt", b"e\n")]
    )
    assert uploaded.file_counts.completed == 1


def test_a_failed_ingestion_reports_its_error(openai: Any) -> None:
    store = openai.vector_stores.create(name="mixed")
    bad = openai.vector_stores.files.create_and_poll(
        file_id=upload(openai, "image.png").id, vector_store_id=store.id
    )
    assert bad.status == "failed"
    assert bad.last_error.code == "unsupported_file"
    counted = openai.vector_stores.retrieve(store.id)
    assert (counted.status, counted.file_counts.failed, counted.usage_bytes) == ("completed", 1, 0)
    failed = openai.vector_stores.files.list(store.id, filter="failed")
    assert [f.id for f in failed] == [bad.id]


# Ingestion that outlasts the test: files stay in progress, so a batch can be cancelled.
@pytest.mark.parametrize("options", [FoundryOptions(ingestion_delay_ms=3_600_000, poll_after_ms=1)])
def test_a_batch_in_progress_can_be_cancelled(openai: Any) -> None:
    store = openai.vector_stores.create(name="slow")
    batch = openai.vector_stores.file_batches.create(store.id, file_ids=[upload(openai, "a.md").id])
    assert (
        openai.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id).status
        == "in_progress"
    )
    cancelled = openai.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    assert (cancelled.status, cancelled.file_counts.cancelled) == ("cancelled", 1)
    assert openai.vector_stores.retrieve(store.id).status == "completed"


@pytest.mark.parametrize("options", [FoundryOptions(max_file_tokens=2, poll_after_ms=1)])
def test_files_over_the_token_limit_fail(openai: Any) -> None:
    store = openai.vector_stores.create(name="small")
    big = upload(openai, "big.md", b"x" * 9)  # 3 tokens at 4 bytes each
    result = openai.vector_stores.files.create_and_poll(file_id=big.id, vector_store_id=store.id)
    assert (result.status, result.last_error.code) == ("failed", "invalid_file")
