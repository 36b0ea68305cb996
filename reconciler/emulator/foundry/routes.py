"""The agents routes under /api/projects/{project}: parse, call the store, serialise.

Every handler answers errors in the agents shape (`agents_errors`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import (
    agent_endpoint_routes,
    agents,
    evaluation_rule_routes,
    toolbox_routes,
)
from reconciler.emulator.foundry.bodies import (
    AgentCreate,
    AgentPatch,
    AgentUpdate,
    AgentVersionCreate,
    parse,
)
from reconciler.emulator.foundry.definitions import KINDS, features_of
from reconciler.emulator.foundry.errors import agents_errors, check_choice
from reconciler.emulator.foundry.http import PROJECT, flag, foundry


def _features(request: Request) -> set[str]:
    return features_of(request.headers.get("foundry-features"))


async def list_agents(request: Request) -> Response:
    kind = request.query_params.get("kind")
    if kind is not None:
        check_choice(kind, KINDS, "kind")
    return paged(agents.page(foundry(request), parse_query(request.query_params), kind))


async def create_agent(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(AgentCreate, raw)
    return ok(agents.create_agent(foundry(request), body, raw, _features(request)))


async def get_agent(request: Request) -> Response:
    return ok(agents.get(foundry(request), path_param(request, "agent_name")))


async def update_agent(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(AgentUpdate, raw)
    name = path_param(request, "agent_name")
    return ok(agents.update(foundry(request), name, body, raw, _features(request)))


async def patch_agent(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(AgentPatch, raw)
    return ok(agents.patch(foundry(request), path_param(request, "agent_name"), body, raw))


async def delete_agent(request: Request) -> Response:
    flag(request, "force")  # only hosted agents with sessions need it; validated, then moot
    return ok(agents.delete(foundry(request), path_param(request, "agent_name")))


async def enable_agent(request: Request) -> Response:
    agents.set_state(foundry(request), path_param(request, "agent_name"), "enabled")
    return Response(status_code=204)


async def disable_agent(request: Request) -> Response:
    agents.set_state(foundry(request), path_param(request, "agent_name"), "disabled")
    return Response(status_code=204)


async def create_version(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(AgentVersionCreate, raw)
    name = path_param(request, "agent_name")
    return ok(agents.create_version(foundry(request), name, body, raw, _features(request)))


async def list_versions(request: Request) -> Response:
    query, drafts = parse_query(request.query_params), flag(request, "include_drafts")
    return paged(
        agents.page_versions(foundry(request), path_param(request, "agent_name"), query, drafts)
    )


async def get_version(request: Request) -> Response:
    name, version = path_param(request, "agent_name"), path_param(request, "agent_version")
    return ok(agents.get_version(foundry(request), name, version))


async def delete_version(request: Request) -> Response:
    flag(request, "force")
    name, version = path_param(request, "agent_name"), path_param(request, "agent_version")
    return ok(agents.delete_version(foundry(request), name, version))


_AGENTS = PROJECT + "/agents"
_AGENT = _AGENTS + "/{agent_name}"
_VERSIONS = _AGENT + "/versions"

ROUTES = [
    Route(path, agents_errors(handler), methods=[method])
    for path, method, handler in [
        (_AGENTS, "GET", list_agents),
        (_AGENTS, "POST", create_agent),
        # Before `/agents/{agent_name}`, which would take `x:enable` for a name.
        (_AGENT + ":enable", "POST", enable_agent),
        (_AGENT + ":disable", "POST", disable_agent),
        (_AGENT, "GET", get_agent),
        (_AGENT, "POST", update_agent),
        (_AGENT, "PATCH", patch_agent),
        (_AGENT, "DELETE", delete_agent),
        (_VERSIONS, "GET", list_versions),
        (_VERSIONS, "POST", create_version),
        (_VERSIONS + "/{agent_version}", "GET", get_version),
        (_VERSIONS + "/{agent_version}", "DELETE", delete_version),
    ]
]
ROUTES += agent_endpoint_routes.ROUTES  # an agent's own OpenAI endpoint
ROUTES += evaluation_rule_routes.ROUTES  # /evaluationrules: the agents rules and error shape
ROUTES += toolbox_routes.ROUTES  # issue 25: toolboxes
