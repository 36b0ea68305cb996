"""An agent's own OpenAI endpoint, where `get_openai_client(agent_name=...)` points:
`{project}/agents/{agent_name}/endpoint/protocols/openai/{responses,conversations}...`.

azure-ai-projects 2.10 sets the OpenAI client's base URL to that prefix, adds `api-version=v1`
to every request and a `Foundry-Features` header. A response made there runs the agent (the
version its endpoint selects: agent_reference.py) without naming it; the response and
conversation routes below it are the project's own, so a conversation made through one is seen
through the other. The path is under `/agents`, so the gateway's agents rules hold (api-version
`v1`) and errors come in the agents shape. Only prompt agents run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.web import json_body, path_param
from reconciler.emulator.foundry import agent_reference, agents, conversation_routes
from reconciler.emulator.foundry import response_routes as served
from reconciler.emulator.foundry.errors import agents_errors
from reconciler.emulator.foundry.http import PROJECT, foundry

Handler = Callable[[Request], Awaitable[Response]]


async def create_response(request: Request) -> Response:
    raw = await json_body(request)
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for request body: expected an object.", None, "invalid_type"
        )
    fd, name = foundry(request), path_param(request, "agent_name")
    reference = {"type": "agent_reference", "name": name}
    version = agent_reference.endpoint_version(fd, name)
    if version is not None:
        reference["version"] = version
    return await run_in_threadpool(served.answer, fd, {**raw, "agent_reference": reference})


def _of_agent(handler: Handler) -> Handler:
    """A project route's handler, after checking that the agent exists."""

    async def handle(request: Request) -> Response:
        agents.get(foundry(request), path_param(request, "agent_name"))
        return await handler(request)

    return handle


_ENDPOINT = PROJECT + "/agents/{agent_name}/endpoint/protocols/openai"
_RESPONSES = [(path, method, handler) for path, method, handler in served.HANDLERS if path]
ROUTES = [Route(_ENDPOINT + "/responses", agents_errors(create_response), methods=["POST"])]
ROUTES += [
    Route(_ENDPOINT + "/responses" + path, agents_errors(_of_agent(handler)), methods=[method])
    for path, method, handler in _RESPONSES
]
ROUTES += [
    Route(
        _ENDPOINT + route.path.removeprefix(PROJECT + "/openai/v1"),
        agents_errors(_of_agent(route.endpoint)),
        methods=sorted(route.methods or []),
    )
    for route in conversation_routes.ROUTES
]
