"""The evaluation rules routes, as azure-ai-projects 2.10 calls them (`project_client.evaluation_rules`,
operations/_operations.py `build_evaluation_rules_*`), api-version `v1`, the agents error shape:
    GET     {project}/evaluationrules[?actionType&agentName&enabled]   {value, nextLink?}
    GET     {project}/evaluationrules/{id}                            200
    PUT     {project}/evaluationrules/{id}                            201 created, 200 replaced
    DELETE  {project}/evaluationrules/{id}                            204
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.web import json_body, ok, path_param
from reconciler.emulator.foundry import evaluation_rules
from reconciler.emulator.foundry.definitions import features_of
from reconciler.emulator.foundry.errors import agents_errors, check_choice
from reconciler.emulator.foundry.http import PROJECT, foundry

PAGE_SIZE = 100


async def list_rules(request: Request) -> Response:
    params = request.query_params
    enabled = params.get("enabled")
    if enabled is not None:
        check_choice(enabled.lower(), ("true", "false"), "enabled")
    found = evaluation_rules.select(
        foundry(request),
        params.get("actionType"),
        params.get("agentName"),
        None if enabled is None else enabled.lower() == "true",
    )
    size = _number(params.get("maxpagesize", str(PAGE_SIZE)), "maxpagesize", 1, PAGE_SIZE)
    skip = _number(params.get("skip", "0"), "skip", 0, len(found))
    body: dict[str, object] = {"value": found[skip : skip + size]}
    if skip + size < len(found):
        body["nextLink"] = str(request.url.include_query_params(skip=skip + size))
    return JSONResponse(body)


def _number(raw: str, name: str, low: int, high: int) -> int:
    """A paging parameter: an integer in [low, high], else a 400 naming it."""
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        message = f"Invalid '{name}': expected an integer from {low} to {high}, got '{raw[:32]}'."
        raise bad_request(message, name, "invalid_value")
    return value


async def get_rule(request: Request) -> Response:
    return ok(evaluation_rules.get(foundry(request), path_param(request, "id")))


async def put_rule(request: Request) -> Response:
    raw, features = await json_body(request), features_of(request.headers.get("foundry-features"))
    rule, created = evaluation_rules.put(foundry(request), path_param(request, "id"), raw, features)
    return JSONResponse(rule, status_code=201 if created else 200)


async def delete_rule(request: Request) -> Response:
    evaluation_rules.delete(foundry(request), path_param(request, "id"))
    return Response(status_code=204)


_RULES = PROJECT + "/evaluationrules"
ROUTES = [
    Route(path, agents_errors(handler), methods=[method])
    for path, method, handler in [
        (_RULES, "GET", list_rules),
        (_RULES + "/{id}", "GET", get_rule),
        (_RULES + "/{id}", "PUT", put_rule),
        (_RULES + "/{id}", "DELETE", delete_rule),
    ]
]
