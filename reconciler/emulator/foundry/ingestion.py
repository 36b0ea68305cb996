"""Files in vector stores and file batches: the ingestion lifecycle.

An attached file is `in_progress` in the response that attached it. Its outcome is decided
then, deterministically from the file: `failed` with `unsupported_file` for a type file_search
does not ingest, `failed` with `invalid_file` over the token limit (tokens = ceil(bytes / 4)),
else `completed` with `usage_bytes` = its size. The outcome shows on the first read at least
`ingestion_delay_ms` later (0: the next read). Reads settle what is due and store it, so every
view (file, store counts, batch counts) agrees.
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath
from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.foundry.definitions import FILE
from reconciler.emulator.foundry.errors import check_choice, not_found
from reconciler.emulator.foundry.state import BYTES_PER_TOKEN, Foundry

VS_FILE, BATCH = "foundry.vector_store.file", "foundry.vector_store.batch"
STATUSES = ("in_progress", "completed", "failed", "cancelled")
AUTO_CHUNKING = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
}
_HIDDEN = "_ingest"


def attach(
    fd: Foundry,
    store_id: str,
    file_id: str,
    chunking: Json | None,
    attributes: Json | None,
    param: str = "file_id",
) -> Json:
    """Attach a file; attaching one already there returns it unchanged (idempotent)."""
    existing = fd.state.db.get(VS_FILE, fd.scope(store_id), file_id)
    if existing is not None:
        return render(existing)
    record = fd.state.db.get(FILE, fd.scope(), file_id)
    if record is None:
        message = f"Invalid '{param}': no file found with id '{file_id}' in this project."
        raise bad_request(message, param, "invalid_value")
    row: Json = {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": fd.now(),
        "vector_store_id": store_id,
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": chunking
        if chunking and chunking["type"] == "static"
        else AUTO_CHUNKING,
        "attributes": attributes or {},
        _HIDDEN: {"at": fd.now_ms() + fd.options.ingestion_delay_ms, **_outcome(fd, record)},
    }
    fd.state.db.insert(VS_FILE, fd.scope(store_id), row)
    return render(row)


def _outcome(fd: Foundry, record: Json) -> dict[str, Any]:
    extension = PurePosixPath(record["filename"]).suffix.lower()
    tokens = math.ceil(record["bytes"] / BYTES_PER_TOKEN)
    if extension not in fd.options.searchable_extensions:
        message = f"The file type '{extension or '(none)'}' is not supported for retrieval."
        return {"status": "failed", "error": {"code": "unsupported_file", "message": message}}
    if tokens > fd.options.max_file_tokens:
        message = f"The file has {tokens} tokens, over the limit of {fd.options.max_file_tokens}."
        return {"status": "failed", "error": {"code": "invalid_file", "message": message}}
    return {"status": "completed", "error": None, "bytes": record["bytes"]}


def settle(fd: Foundry, store_id: str) -> list[Json]:
    """Every file of the store, with the ingestions that are due finished (and stored)."""
    rows = fd.state.db.children(VS_FILE, fd.scope(store_id))
    for row in rows:
        plan = row[_HIDDEN]
        if row["status"] == "in_progress" and plan["at"] <= fd.now_ms():
            row.update(
                status=plan["status"], last_error=plan["error"], usage_bytes=plan.get("bytes", 0)
            )
            fd.state.db.replace(VS_FILE, fd.scope(store_id), row)
    return rows


def counts(rows: list[Json]) -> Json:
    tally = {status: sum(row["status"] == status for row in rows) for status in STATUSES}
    return {**tally, "total": len(rows)}


def get(fd: Foundry, store_id: str, file_id: str) -> Json:
    row = next((r for r in settle(fd, store_id) if r["id"] == file_id), None)
    if row is None:
        raise not_found("vector_store_file", file_id)
    return render(row)


def page(
    fd: Foundry, store_id: str, query: PageQuery, status: str | None, among: list[str] | None = None
) -> Page:
    if status is not None:
        check_choice(status, STATUSES, "filter")
    rows = [r for r in settle(fd, store_id) if among is None or r["id"] in among]
    return page_items([render(r) for r in rows if status in (None, r["status"])], query)


def detach(fd: Foundry, store_id: str, file_id: str) -> Json:
    """The file leaves the store; the File itself is kept."""
    if not fd.state.db.delete(VS_FILE, fd.scope(store_id), file_id):
        raise not_found("vector_store_file", file_id)
    return {"id": file_id, "object": "vector_store.file.deleted", "deleted": True}


def forget_file(fd: Foundry, file_id: str) -> None:
    fd.state.db.delete_where(VS_FILE, object_id=file_id)


def render(row: Json) -> Json:
    return {k: v for k, v in row.items() if k != _HIDDEN}
