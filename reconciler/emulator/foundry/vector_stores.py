"""Vector stores of a project: status, file counts and usage follow their files' ingestion.

A store is `in_progress` while any of its files is, else `completed`, and `expired` once
`expires_after.days` have passed since `last_active_at` (which every write to the store moves).
"""

from __future__ import annotations

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import ingestion
from reconciler.emulator.foundry.bodies import VectorStoreCreate, VectorStoreModify
from reconciler.emulator.foundry.definitions import VECTOR_STORE
from reconciler.emulator.foundry.state import Foundry

DAY = 86_400


def create(fd: Foundry, body: VectorStoreCreate, raw: Json) -> Json:
    store: Json = {
        "id": new_id("vs_"),
        "object": "vector_store",
        "created_at": fd.now(),
        "name": body.name or "",
        "description": body.description,
        "metadata": body.metadata or {},
        "expires_after": raw.get("expires_after"),
        "last_active_at": fd.now(),
    }
    with fd.state.db.transaction():
        fd.state.db.insert(VECTOR_STORE, fd.scope(), store)
        for file_id in dict.fromkeys(body.file_ids):
            chunking = raw.get("chunking_strategy")
            ingestion.attach(fd, store["id"], file_id, chunking, None, "file_ids")
        # Like the attach responses, the create response shows files still in progress.
        return render(fd, store, fd.state.db.children(ingestion.VS_FILE, fd.scope(store["id"])))


def get(fd: Foundry, store_id: str) -> Json:
    return render(fd, require(fd, store_id))


def page(fd: Foundry, query: PageQuery) -> Page:
    stores = fd.state.db.children(VECTOR_STORE, fd.scope())
    return page_items([render(fd, store) for store in stores], query)


def modify(fd: Foundry, store_id: str, body: VectorStoreModify, raw: Json) -> Json:
    with fd.state.db.transaction():
        store = require(fd, store_id)
        for field in body.model_fields_set:
            store[field] = raw[field]
        store["name"] = store["name"] or ""
        store["metadata"] = store["metadata"] or {}
        touch(fd, store)
    return get(fd, store_id)


def delete(fd: Foundry, store_id: str) -> Json:
    with fd.state.db.transaction():
        require(fd, store_id)
        fd.state.db.delete(VECTOR_STORE, fd.scope(), store_id)
        fd.state.db.delete_where(ingestion.VS_FILE, parent=fd.scope(store_id))
        fd.state.db.delete_where(ingestion.BATCH, parent=fd.scope(store_id))
    return {"id": store_id, "object": "vector_store.deleted", "deleted": True}


def require(fd: Foundry, store_id: str) -> Json:
    return fd.require(VECTOR_STORE, fd.scope(), store_id, "vector_store")


def touch(fd: Foundry, store: Json) -> None:
    fd.state.db.replace(VECTOR_STORE, fd.scope(), {**store, "last_active_at": fd.now()})


def render(fd: Foundry, store: Json, rows: list[Json] | None = None) -> Json:
    files = ingestion.settle(fd, store["id"]) if rows is None else rows
    counts = ingestion.counts(files)
    status = "in_progress" if counts["in_progress"] else "completed"
    expiry = store.get("expires_after")
    expires_at = store["last_active_at"] + expiry["days"] * DAY if expiry else None
    if expires_at is not None and fd.now() >= expires_at:
        status = "expired"
    shown = {k: v for k, v in store.items() if v is not None}
    usage = sum(row["usage_bytes"] for row in files)
    return {
        **shown,
        "usage_bytes": usage,
        "file_counts": counts,
        "status": status,
        "expires_at": expires_at,
    }
