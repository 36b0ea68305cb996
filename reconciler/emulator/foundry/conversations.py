"""Conversations of a project and their items: state and rules (the openai 3.x client's view).

A conversation is `{id: conv_..., object, created_at, metadata}`; its items live under it in
the order they were added (items list newest first by default, as the service's does), and go
with it when it is deleted. Metadata follows OpenAI's rule: at most 16 pairs, string keys up to
64 characters, string values up to 512. Kept in the emulator's database, like every other
Foundry object, so `--db` and reset cover them.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry.body_rules import check_metadata, fields, not_found
from reconciler.emulator.foundry.conversation_items import stored_items
from reconciler.emulator.foundry.state import Foundry

CONVERSATION, ITEM = "foundry.conversation", "foundry.conversation_item"
CREATE_FIELDS, UPDATE_FIELDS = ("items", "metadata"), ("metadata",)


def create(fd: Foundry, raw: Any) -> Json:
    body = fields(raw, CREATE_FIELDS)
    items = [] if body.get("items") is None else stored_items(body["items"], "items")
    conversation: Json = {
        "id": new_id("conv_"),
        "object": "conversation",
        "created_at": fd.now(),
        "metadata": check_metadata(body.get("metadata")),
    }
    with fd.state.db.transaction():
        fd.state.db.insert(CONVERSATION, fd.scope(), conversation)
        _insert(fd, conversation["id"], items)
    return conversation


def get(fd: Foundry, conversation_id: str) -> Json:
    found = fd.state.db.get(CONVERSATION, fd.scope(), conversation_id)
    if found is None:
        raise not_found("Conversation", conversation_id)
    return found


def update(fd: Foundry, conversation_id: str, raw: Any) -> Json:
    body = fields(raw, UPDATE_FIELDS)
    if "metadata" not in body:
        message = "Missing required parameter: 'metadata'."
        raise bad_request(message, "metadata", "missing_required_parameter")
    with fd.state.db.transaction():
        conversation = {**get(fd, conversation_id), "metadata": check_metadata(body["metadata"])}
        fd.state.db.replace(CONVERSATION, fd.scope(), conversation)
    return conversation


def delete(fd: Foundry, conversation_id: str) -> Json:
    with fd.state.db.transaction():
        get(fd, conversation_id)
        fd.state.db.delete(CONVERSATION, fd.scope(), conversation_id)
        fd.state.db.delete_where(ITEM, parent=fd.scope(conversation_id))
    return {"id": conversation_id, "object": "conversation.deleted", "deleted": True}


def add_items(fd: Foundry, conversation_id: str, raw: Any) -> Json:
    """Append items; the answer lists the new ones, in the order they were sent."""
    body = fields(raw, ("items",))
    if "items" not in body:
        raise bad_request(
            "Missing required parameter: 'items'.", "items", "missing_required_parameter"
        )
    items = stored_items(body["items"], "items")
    with fd.state.db.transaction():
        get(fd, conversation_id)
        _insert(fd, conversation_id, items)
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": False,
    }


def history(fd: Foundry, conversation_id: str) -> list[Json]:
    """Every item of the conversation, oldest first: a response's context."""
    get(fd, conversation_id)
    return [_shown(item) for item in fd.state.db.children(ITEM, fd.scope(conversation_id))]


def append(fd: Foundry, conversation_id: str, items: list[Json]) -> None:
    """Add a response's input and output items to the conversation it ran in."""
    with fd.state.db.transaction():
        get(fd, conversation_id)
        _insert(fd, conversation_id, items)


def page_items(fd: Foundry, conversation_id: str, query: PageQuery) -> Page:
    get(fd, conversation_id)
    page = fd.state.db.page(ITEM, fd.scope(conversation_id), query)
    return Page(items=[_shown(item) for item in page.items], has_more=page.has_more)


def get_item(fd: Foundry, conversation_id: str, item_id: str) -> Json:
    get(fd, conversation_id)
    found = fd.state.db.get(ITEM, fd.scope(conversation_id), item_id)
    if found is None:
        raise not_found("Item", item_id)
    return _shown(found)


def delete_item(fd: Foundry, conversation_id: str, item_id: str) -> Json:
    """Remove one item; the service answers with the conversation it was removed from."""
    with fd.state.db.transaction():
        get_item(fd, conversation_id, item_id)
        fd.state.db.delete(ITEM, fd.scope(conversation_id), item_id)
        return get(fd, conversation_id)


def _insert(fd: Foundry, conversation_id: str, items: list[Json]) -> None:
    # Items carry no created_at on the wire; the store orders by it, then by insertion.
    for item in items:
        fd.state.db.insert(ITEM, fd.scope(conversation_id), {**item, "created_at": fd.now()})


def _shown(item: Json) -> Json:
    return {key: value for key, value in item.items() if key != "created_at"}
