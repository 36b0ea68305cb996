"""The Evals routes of a project's OpenAI surface: parse, call the store, serialise.

As the openai 3.x client calls them under `{project}/openai/v1`, in OpenAI's error shape:
    POST, GET                /evals                     (list: order asc by default, order_by)
    GET, POST, DELETE        /evals/{eval_id}
    POST, GET                /evals/{eval_id}/runs      (list: status filter)
    GET, DELETE              /evals/{eval_id}/runs/{run_id}
    POST                     /evals/{eval_id}/runs/{run_id}[/cancel]   (the spec; the client)
    GET                      /evals/{eval_id}/runs/{run_id}/output_items[/{output_item_id}]
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.emulator.core.db import Json, PageQuery
from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import eval_runs, evals
from reconciler.emulator.foundry.errors import check_choice
from reconciler.emulator.foundry.http import PROJECT, foundry

RUN_STATUSES = ("queued", "in_progress", "completed", "canceled", "failed")
ITEM_STATUSES = ("fail", "pass")


def _query(params: Mapping[str, str]) -> PageQuery:
    return parse_query({"order": "asc", **params})  # these lists run oldest first by default


def _status(request: Request, choices: tuple[str, ...]) -> str | None:
    status = request.query_params.get("status")
    if status is not None:
        check_choice(status, choices, "status")
    return status


def _created(body: Json) -> Response:
    # The published spec answers both creates 201 (createEval, createEvalRun).
    return JSONResponse(body, status_code=201)


async def create_eval(request: Request) -> Response:
    return _created(evals.create(foundry(request), await json_body(request)))


async def list_evals(request: Request) -> Response:
    order_by = request.query_params.get("order_by", "created_at")
    # Accepted; the list is in created_at order either way (README: a simplification).
    check_choice(order_by, ("created_at", "updated_at"), "order_by")
    return paged(evals.page(foundry(request), _query(request.query_params)))


async def get_eval(request: Request) -> Response:
    return ok(evals.get(foundry(request), path_param(request, "eval_id")))


async def update_eval(request: Request) -> Response:
    eval_id, raw = path_param(request, "eval_id"), await json_body(request)
    return ok(evals.update(foundry(request), eval_id, raw))


async def delete_eval(request: Request) -> Response:
    return ok(eval_runs.delete_eval(foundry(request), path_param(request, "eval_id")))


async def create_run(request: Request) -> Response:
    eval_id, raw = path_param(request, "eval_id"), await json_body(request)
    report_base = str(request.url.replace(query=""))
    # A run makes one turn per row, and a turn may call a tool's server: off the event loop.
    run = await run_in_threadpool(eval_runs.create, foundry(request), eval_id, raw, report_base)
    return _created(run)


async def list_runs(request: Request) -> Response:
    status = _status(request, RUN_STATUSES)
    query = _query(request.query_params)
    return paged(eval_runs.page(foundry(request), path_param(request, "eval_id"), query, status))


async def get_run(request: Request) -> Response:
    ids = path_param(request, "eval_id"), path_param(request, "run_id")
    return ok(eval_runs.get(foundry(request), *ids))


async def cancel_run(request: Request) -> Response:
    ids = path_param(request, "eval_id"), path_param(request, "run_id")
    return ok(eval_runs.cancel(foundry(request), *ids))


async def delete_run(request: Request) -> Response:
    ids = path_param(request, "eval_id"), path_param(request, "run_id")
    return ok(eval_runs.delete(foundry(request), *ids))


async def list_output_items(request: Request) -> Response:
    status = _status(request, ITEM_STATUSES)
    query = _query(request.query_params)
    ids = path_param(request, "eval_id"), path_param(request, "run_id")
    return paged(eval_runs.page_output(foundry(request), *ids, query, status))


async def get_output_item(request: Request) -> Response:
    ids = path_param(request, "eval_id"), path_param(request, "run_id")
    return ok(eval_runs.get_output(foundry(request), *ids, path_param(request, "item_id")))


_EVALS = PROJECT + "/openai/v1/evals"
_EVAL = _EVALS + "/{eval_id}"
_RUN = _EVAL + "/runs/{run_id}"
ROUTES = [
    Route(path, handler, methods=[method])
    for path, method, handler in [
        (_EVALS, "POST", create_eval),
        (_EVALS, "GET", list_evals),
        (_EVAL, "GET", get_eval),
        (_EVAL, "POST", update_eval),
        (_EVAL, "DELETE", delete_eval),
        (_EVAL + "/runs", "POST", create_run),
        (_EVAL + "/runs", "GET", list_runs),
        (_RUN, "GET", get_run),
        (_RUN, "POST", cancel_run),
        (_RUN + "/cancel", "POST", cancel_run),
        (_RUN, "DELETE", delete_run),
        (_RUN + "/output_items", "GET", list_output_items),
        (_RUN + "/output_items/{item_id}", "GET", get_output_item),
    ]
]
