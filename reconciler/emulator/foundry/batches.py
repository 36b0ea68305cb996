"""File batches: many attaches at once, counted and cancelled together.

A batch's counts are its files' current states. It is `in_progress` while any of them is,
`cancelled` once cancelled (its files still in progress become `cancelled`), `failed` when every
file failed, else `completed`.
"""

from __future__ import annotations

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import ingestion, vector_stores
from reconciler.emulator.foundry.bodies import FileBatchCreate
from reconciler.emulator.foundry.errors import not_found
from reconciler.emulator.foundry.state import Foundry

BATCH = ingestion.BATCH


def create(fd: Foundry, store_id: str, body: FileBatchCreate, raw: Json) -> Json:
    if (body.file_ids is None) == (body.files is None):
        message = "Exactly one of 'file_ids' and 'files' must be given."
        raise bad_request(message, "file_ids", "invalid_value")
    source = "files" if body.files is not None else "file_ids"
    chunking, attributes = raw.get("chunking_strategy"), raw.get("attributes")  # the defaults
    items = raw.get("files") or [{"file_id": file_id} for file_id in raw["file_ids"]]
    entries = [
        (
            item["file_id"],
            item.get("chunking_strategy") or chunking,
            item.get("attributes") or attributes,
        )
        for item in items
    ]
    with fd.state.db.transaction():
        store = vector_stores.require(fd, store_id)
        for entry in entries:
            ingestion.attach(fd, store_id, *entry, source)
        batch: Json = {
            "id": new_id("vsfb_"),
            "object": "vector_store.files_batch",
            "created_at": fd.now(),
            "vector_store_id": store_id,
            "cancelled": False,
            "file_ids": list(dict.fromkeys(file_id for file_id, _, _ in entries)),
        }
        fd.state.db.insert(BATCH, fd.scope(store_id), batch)
        vector_stores.touch(fd, store)
        rows = fd.state.db.children(ingestion.VS_FILE, fd.scope(store_id))
        return render(batch, rows)


def get(fd: Foundry, store_id: str, batch_id: str) -> Json:
    batch = require(fd, store_id, batch_id)
    return render(batch, ingestion.settle(fd, store_id))


def cancel(fd: Foundry, store_id: str, batch_id: str) -> Json:
    """Cancel what is still in progress; a finished batch is returned unchanged."""
    with fd.state.db.transaction():
        batch = require(fd, store_id, batch_id)
        rows = ingestion.settle(fd, store_id)
        pending = [r for r in rows if r["id"] in batch["file_ids"] and r["status"] == "in_progress"]
        for row in pending:
            row["status"] = "cancelled"
            fd.state.db.replace(ingestion.VS_FILE, fd.scope(store_id), row)
        if pending:
            batch["cancelled"] = True
            fd.state.db.replace(BATCH, fd.scope(store_id), batch)
        return render(batch, rows)


def page_files(
    fd: Foundry, store_id: str, batch_id: str, query: PageQuery, status: str | None
) -> Page:
    batch = require(fd, store_id, batch_id)
    return ingestion.page(fd, store_id, query, status, among=batch["file_ids"])


def require(fd: Foundry, store_id: str, batch_id: str) -> Json:
    vector_stores.require(fd, store_id)
    batch = fd.state.db.get(BATCH, fd.scope(store_id), batch_id)
    if batch is None:
        raise not_found("batch", batch_id)
    return batch


def render(batch: Json, rows: list[Json]) -> Json:
    counts = ingestion.counts([row for row in rows if row["id"] in batch["file_ids"]])
    if batch["cancelled"]:
        status = "cancelled"
    elif counts["in_progress"]:
        status = "in_progress"
    elif counts["total"] and counts["failed"] == counts["total"]:
        status = "failed"
    else:
        status = "completed"
    shown = {k: batch[k] for k in ("id", "object", "created_at", "vector_store_id")}
    return {**shown, "status": status, "file_counts": counts}
