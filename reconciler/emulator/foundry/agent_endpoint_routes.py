"""An agent's own OpenAI endpoint, where `get_openai_client(agent_name=...)` points:
`{project}/agents/{agent_name}/endpoint/protocols/openai/responses` runs that agent.

The path is under `/agents`, so the gateway's agents rules hold (api-version `v1`, which the SDK
sends) and errors come in the agents shape. Only prompt agents run (agent_reference.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.web import json_body, ok, path_param
from reconciler.emulator.foundry import responses
from reconciler.emulator.foundry.errors import agents_errors
from reconciler.emulator.foundry.http import PROJECT, foundry


async def create_response(request: Request) -> Response:
    raw = await json_body(request)
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for request body: expected an object.", None, "invalid_type"
        )
    reference = {"type": "agent_reference", "name": path_param(request, "agent_name")}
    return ok(responses.create(foundry(request), {**raw, "agent_reference": reference}))


_ENDPOINT = PROJECT + "/agents/{agent_name}/endpoint/protocols/openai"
ROUTES = [Route(_ENDPOINT + "/responses", agents_errors(create_response), methods=["POST"])]
