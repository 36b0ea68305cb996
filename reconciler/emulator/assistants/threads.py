"""Threads, their messages and the files attached to messages."""

from __future__ import annotations

from reconciler.emulator.assistants.bodies import MessageCreate, MetadataModify, ThreadCreate
from reconciler.emulator.assistants.errors import require
from reconciler.emulator.assistants.files import check_file_ids
from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import NotFoundError, bad_request
from reconciler.emulator.core.state import State, new_id

MESSAGE_FILE = "message.file"
ACTIVE_RUN = ("queued", "in_progress", "requires_action", "cancelling")
_TOP = ""


def create(state: State, body: ThreadCreate) -> Json:
    thread_id = new_id("thread_")
    thread: Json = {
        "id": thread_id,
        "object": "thread",
        "created_at": state.now(),
        "metadata": body.metadata or {},
    }
    with state.db.transaction():
        state.db.insert("thread", _TOP, thread)
        for message in body.messages:
            _insert_user_message(state, thread_id, message)
    return thread


def get(state: State, thread_id: str) -> Json:
    return require(state, "thread", _TOP, thread_id)


def modify(state: State, thread_id: str, body: MetadataModify) -> Json:
    with state.db.transaction():
        thread = require(state, "thread", _TOP, thread_id)
        if "metadata" in body.model_fields_set:
            thread["metadata"] = body.metadata or {}
        state.db.replace("thread", _TOP, thread)
    return thread


def delete(state: State, thread_id: str) -> Json:
    with state.db.transaction():
        require(state, "thread", _TOP, thread_id)
        state.db.delete("thread", _TOP, thread_id)
        for message in state.db.children("message", thread_id):
            state.db.delete_where(MESSAGE_FILE, parent=message["id"])
        for run in state.db.children("run", thread_id):
            state.db.delete_where("step", parent=run["id"])
        state.db.delete_where("message", parent=thread_id)
        state.db.delete_where("run", parent=thread_id)
    return {"id": thread_id, "object": "thread.deleted", "deleted": True}


def create_message(state: State, thread_id: str, body: MessageCreate) -> Json:
    with state.db.transaction():
        require(state, "thread", _TOP, thread_id)
        active = [run for run in state.db.children("run", thread_id) if run["status"] in ACTIVE_RUN]
        if active:
            message = f"Can't add messages to {thread_id} while a run {active[0]['id']} is active."
            raise bad_request(message)
        return _insert_user_message(state, thread_id, body)


def get_message(state: State, thread_id: str, message_id: str) -> Json:
    require(state, "thread", _TOP, thread_id)
    return require(state, "message", thread_id, message_id)


def page_messages(state: State, thread_id: str, query: PageQuery) -> Page:
    require(state, "thread", _TOP, thread_id)
    return state.db.page("message", thread_id, query)


def modify_message(state: State, thread_id: str, message_id: str, body: MetadataModify) -> Json:
    with state.db.transaction():
        message = get_message(state, thread_id, message_id)
        if "metadata" in body.model_fields_set:
            message["metadata"] = body.metadata or {}
        state.db.replace("message", thread_id, message)
    return message


def page_message_files(state: State, thread_id: str, message_id: str, query: PageQuery) -> Page:
    get_message(state, thread_id, message_id)
    return state.db.page(MESSAGE_FILE, message_id, query)


def get_message_file(state: State, thread_id: str, message_id: str, file_id: str) -> Json:
    get_message(state, thread_id, message_id)
    row = state.db.get(MESSAGE_FILE, message_id, file_id)
    if row is None:
        raise NotFoundError(f"No file found with id '{file_id}' on message '{message_id}'.")
    return row


def insert_assistant_message(state: State, run: Json, text: str) -> Json:
    message = _message(state, run["thread_id"], "assistant", text, [], {})
    message.update(assistant_id=run["assistant_id"], run_id=run["id"])
    state.db.insert("message", run["thread_id"], message)
    return message


def user_texts(state: State, thread_id: str) -> list[str]:
    """The text of every user message of a thread, oldest first: the input a run answers."""
    messages = state.db.children("message", thread_id)
    return [m["content"][0]["text"]["value"] for m in messages if m["role"] == "user"]


def _insert_user_message(state: State, thread_id: str, body: MessageCreate) -> Json:
    check_file_ids(state, body.file_ids, "file_ids")
    message = _message(state, thread_id, "user", body.content, body.file_ids, body.metadata or {})
    state.db.insert("message", thread_id, message)
    for file_id in body.file_ids:
        row = {
            "id": file_id,
            "object": "thread.message.file",
            "created_at": message["created_at"],
            "message_id": message["id"],
        }
        state.db.insert(MESSAGE_FILE, message["id"], row)
    return message


def _message(
    state: State,
    thread_id: str,
    role: str,
    text: str,
    file_ids: list[str],
    metadata: dict[str, str],
) -> Json:
    return {
        "id": new_id("msg_"),
        "object": "thread.message",
        "created_at": state.now(),
        "thread_id": thread_id,
        "role": role,
        "content": [{"type": "text", "text": {"value": text, "annotations": []}}],
        "file_ids": file_ids,
        "metadata": metadata,
    }
