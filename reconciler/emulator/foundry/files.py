"""Files of a project (`/openai/v1/files`): metadata objects plus their bytes."""

from __future__ import annotations

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.files import check_upload
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import ingestion
from reconciler.emulator.foundry.definitions import FILE
from reconciler.emulator.foundry.errors import check_choice
from reconciler.emulator.foundry.state import Foundry

# Azure's purposes (the upstream spec adds vision and user_data, which Azure does not list).
PURPOSES = ("assistants", "batch", "fine-tune", "evals")


def check_purpose(purpose: str) -> None:
    check_choice(purpose, PURPOSES, "purpose")


def upload(fd: Foundry, filename: str, purpose: str, data: bytes) -> Json:
    check_purpose(purpose)
    check_upload(fd.state, filename, data)
    record: Json = {
        "object": "file",
        "id": new_id("assistant-"),
        "bytes": len(data),
        "created_at": fd.now(),
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
    }
    with fd.state.db.transaction():
        fd.state.db.insert(FILE, fd.scope(), record)
        fd.state.db.put_blob(record["id"], data)
    return record


def page(fd: Foundry, query: PageQuery, purpose: str | None) -> Page:
    if purpose is not None:
        check_purpose(purpose)
    records = fd.state.db.children(FILE, fd.scope())
    return page_items([r for r in records if purpose in (None, r["purpose"])], query)


def get(fd: Foundry, file_id: str) -> Json:
    return fd.require(FILE, fd.scope(), file_id, "file")


def content(fd: Foundry, file_id: str) -> tuple[Json, bytes]:
    record = get(fd, file_id)
    if record["purpose"] in fd.options.undownloadable:
        raise bad_request(f"Not allowed to download files of purpose: {record['purpose']}")
    return record, fd.state.db.get_blob(file_id) or b""


def delete(fd: Foundry, file_id: str) -> Json:
    with fd.state.db.transaction():
        get(fd, file_id)
        fd.state.db.delete(FILE, fd.scope(), file_id)
        fd.state.db.delete_blob(file_id)
        # A deleted file leaves every vector store of the project (agents keep dangling ids).
        ingestion.forget_file(fd, file_id)
    return {"id": file_id, "object": "file", "deleted": True}
