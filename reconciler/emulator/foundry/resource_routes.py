"""The read-only routes of a project's connections and deployments, and their control endpoint.

As azure-ai-projects 2.10 calls them (operations/_operations.py `build_connections_*`,
`build_deployments_*`), `api-version=v1` on each:
    GET  {project}/connections[?connectionType&defaultConnection]
    GET  {project}/connections/{name}
    POST {project}/connections/{name}/getConnectionWithCredentials
    GET  {project}/deployments[?modelPublisher&modelName&deploymentType]
    GET  {project}/deployments/{name}
Errors in the agents routes' shape. The control endpoint, outside the Azure surface:
    GET, PUT /_emulator/foundry/projects/{project}   {"connections": [...], "deployments": [...]}
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.web import json_body, ok, path_param
from reconciler.emulator.foundry import connections
from reconciler.emulator.foundry.errors import agents_errors, check_choice
from reconciler.emulator.foundry.http import PROJECT, foundry
from reconciler.emulator.foundry.seed import SeedError, parse_project_seed

DEPLOYMENT_TYPES = ("ModelDeployment",)


def _optional_flag(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    check_choice(raw.lower(), ("true", "false"), name)
    return raw.lower() == "true"


async def list_connections(request: Request) -> Response:
    kind = request.query_params.get("connectionType")
    default = _optional_flag(request, "defaultConnection")
    return ok(connections.list_connections(foundry(request), kind, default))


async def get_connection(request: Request) -> Response:
    name = path_param(request, "name")
    return ok(connections.get_connection(foundry(request), name, secrets=False))


async def get_connection_with_credentials(request: Request) -> Response:
    name = path_param(request, "name")
    return ok(connections.get_connection(foundry(request), name, secrets=True))


async def list_deployments(request: Request) -> Response:
    query = request.query_params
    kind = query.get("deploymentType")
    if kind is not None:
        check_choice(kind, DEPLOYMENT_TYPES, "deploymentType")
    found = connections.list_deployments(
        foundry(request), query.get("modelPublisher"), query.get("modelName"), kind
    )
    return ok(found)


async def get_deployment(request: Request) -> Response:
    return ok(connections.get_deployment(foundry(request), path_param(request, "name")))


_CONNECTIONS = PROJECT + "/connections"
_DEPLOYMENTS = PROJECT + "/deployments"

ROUTES = [
    Route(path, agents_errors(handler), methods=[method])
    for path, method, handler in [
        (_CONNECTIONS, "GET", list_connections),
        # `{name:path}`: a connection's id (slashes and all) is answered as the unknown name it
        # is, not as an unrouted path.
        (
            _CONNECTIONS + "/{name:path}/getConnectionWithCredentials",
            "POST",
            get_connection_with_credentials,
        ),
        (_CONNECTIONS + "/{name:path}", "GET", get_connection),
        (_DEPLOYMENTS, "GET", list_deployments),
        (_DEPLOYMENTS + "/{name:path}", "GET", get_deployment),
    ]
]


async def _get_seed(request: Request) -> Response:
    fd = foundry(request)
    return JSONResponse(connections.seed_of(fd).model_dump(by_alias=True))


async def _put_seed(request: Request) -> Response:
    fd = foundry(request)
    try:
        seed = parse_project_seed(await json_body(request))
    except SeedError as error:
        raise bad_request(f"Invalid seed: {error}") from None
    connections.put_seed(fd, seed)
    return JSONResponse(seed.model_dump(by_alias=True))


_SEED = "/_emulator/foundry/projects/{project}"
CONTROL = [
    Route(_SEED, _get_seed, methods=["GET"]),
    Route(_SEED, _put_seed, methods=["PUT"]),
]
