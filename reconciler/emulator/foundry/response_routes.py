"""The Responses routes of a project's OpenAI surface (non-streaming): parse, call, serialise."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import responses
from reconciler.emulator.foundry.http import PROJECT, foundry


async def create(request: Request) -> Response:
    return ok(responses.create(foundry(request), await json_body(request)))


async def retrieve(request: Request) -> Response:
    return ok(responses.get(foundry(request), path_param(request, "response_id")))


async def list_input_items(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(responses.page_input(foundry(request), path_param(request, "response_id"), query))


async def delete(request: Request) -> Response:
    return ok(responses.delete(foundry(request), path_param(request, "response_id")))


_RESPONSES = PROJECT + "/openai/v1/responses"
ROUTES = [
    Route(_RESPONSES, create, methods=["POST"]),
    Route(_RESPONSES + "/{response_id}", retrieve, methods=["GET"]),
    Route(_RESPONSES + "/{response_id}", delete, methods=["DELETE"]),
    Route(_RESPONSES + "/{response_id}/input_items", list_input_items, methods=["GET"]),
]
