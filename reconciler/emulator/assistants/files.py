"""Uploaded files: metadata objects plus their bytes, which `GET /files/{id}/content` serves."""

from __future__ import annotations

from reconciler.emulator.assistants.errors import require
from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.files import check_upload
from reconciler.emulator.core.state import State, new_id

PURPOSES = ("fine-tune", "fine-tune-results", "assistants", "assistants_output")
_TOP = ""


def check_purpose(purpose: str, param: str = "purpose") -> None:
    if purpose not in PURPOSES:
        supported = ", ".join(f"'{p}'" for p in PURPOSES)
        raise bad_request(
            f"Invalid value: '{purpose}'. Supported values are: {supported}.",
            param,
            "invalid_value",
        )


def check_file_ids(state: State, file_ids: list[str], param: str) -> None:
    """Every id names an uploaded file, and none repeats."""
    if len(set(file_ids)) != len(file_ids):
        raise bad_request(f"Invalid '{param}': duplicate file ids.", param, "invalid_value")
    for file_id in file_ids:
        if state.db.get("file", _TOP, file_id) is None:
            raise bad_request(
                f"Invalid '{param}': no file found with id '{file_id}'.", param, "invalid_value"
            )


def upload(state: State, filename: str, purpose: str, data: bytes) -> Json:
    check_purpose(purpose)
    check_upload(state, filename, data)
    file_id = new_id("assistant-")
    record: Json = {
        "object": "file",
        "id": file_id,
        "bytes": len(data),
        "filename": filename,
        "created_at": state.now(),
        "purpose": purpose,
        "status": "processed",
    }
    with state.db.transaction():
        state.db.insert("file", _TOP, record)
        state.db.put_blob(file_id, data)
    return record


def listing(state: State, purpose: str | None) -> Json:
    if purpose is not None:
        check_purpose(purpose)
    records = state.db.children("file", _TOP)
    return {"object": "list", "data": [r for r in records if purpose in (None, r["purpose"])]}


def get(state: State, file_id: str) -> Json:
    return require(state, "file", _TOP, file_id)


def content(state: State, file_id: str) -> tuple[Json, bytes]:
    record = require(state, "file", _TOP, file_id)
    return record, state.db.get_blob(file_id) or b""


def delete(state: State, file_id: str) -> Json:
    with state.db.transaction():
        require(state, "file", _TOP, file_id)
        state.db.delete("file", _TOP, file_id)
        state.db.delete_blob(file_id)
        # A deleted file leaves every assistant that had it attached.
        state.db.delete_where("assistant.file", object_id=file_id)
    return {"id": file_id, "object": "file", "deleted": True}
