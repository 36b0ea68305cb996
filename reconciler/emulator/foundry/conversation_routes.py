"""The Conversations routes of a project's OpenAI surface: parse, call the store, serialise.

Served under `{project}/openai/v1`, where `get_openai_client()` points, in OpenAI's error shape.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import conversations
from reconciler.emulator.foundry.http import PROJECT, foundry


async def create(request: Request) -> Response:
    return ok(conversations.create(foundry(request), await json_body(request)))


async def retrieve(request: Request) -> Response:
    return ok(conversations.get(foundry(request), path_param(request, "conversation_id")))


async def update(request: Request) -> Response:
    conversation_id, raw = path_param(request, "conversation_id"), await json_body(request)
    return ok(conversations.update(foundry(request), conversation_id, raw))


async def delete(request: Request) -> Response:
    return ok(conversations.delete(foundry(request), path_param(request, "conversation_id")))


async def create_items(request: Request) -> Response:
    # `include` asks for extra output of tool calls; the stored items have none to add.
    conversation_id, raw = path_param(request, "conversation_id"), await json_body(request)
    return ok(conversations.add_items(foundry(request), conversation_id, raw))


async def list_items(request: Request) -> Response:
    query = parse_query(request.query_params)
    conversation_id = path_param(request, "conversation_id")
    return paged(conversations.page_items(foundry(request), conversation_id, query))


async def retrieve_item(request: Request) -> Response:
    ids = path_param(request, "conversation_id"), path_param(request, "item_id")
    return ok(conversations.get_item(foundry(request), *ids))


async def delete_item(request: Request) -> Response:
    ids = path_param(request, "conversation_id"), path_param(request, "item_id")
    return ok(conversations.delete_item(foundry(request), *ids))


_CONVERSATIONS = PROJECT + "/openai/v1/conversations"
_CONVERSATION = _CONVERSATIONS + "/{conversation_id}"
_ITEMS = _CONVERSATION + "/items"
ROUTES = [
    Route(path, handler, methods=[method])
    for path, method, handler in [
        (_CONVERSATIONS, "POST", create),
        (_CONVERSATION, "GET", retrieve),
        (_CONVERSATION, "POST", update),
        (_CONVERSATION, "DELETE", delete),
        (_ITEMS, "POST", create_items),
        (_ITEMS, "GET", list_items),
        (_ITEMS + "/{item_id}", "GET", retrieve_item),
        (_ITEMS + "/{item_id}", "DELETE", delete_item),
    ]
]
