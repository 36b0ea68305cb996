"""The runs and run steps of the Azure surface, with `stream: true` answered as events."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.assistants import events, runs, threads
from reconciler.emulator.assistants.bodies import (
    MetadataModify,
    RunCreate,
    ThreadAndRunCreate,
    ToolOutputsSubmit,
)
from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.validation import parse
from reconciler.emulator.core.web import event_stream, json_body, ok, paged, path_param, state_of


async def list_runs(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(runs.page(state_of(request), path_param(request, "threadId"), query))


async def create_run(request: Request) -> Response:
    body, state = parse(RunCreate, await json_body(request)), state_of(request)
    run = runs.create(state, path_param(request, "threadId"), body)
    return event_stream(events.encode(events.created(state, run))) if body.stream else ok(run)


async def create_thread_and_run(request: Request) -> Response:
    body, state = parse(ThreadAndRunCreate, await json_body(request)), state_of(request)
    run = runs.create_with_thread(state, body)
    if not body.stream:
        return ok(run)
    thread = threads.get(state, run["thread_id"])
    return event_stream(events.encode(events.created(state, run, thread)))


async def get_run(request: Request) -> Response:
    return ok(
        runs.get(state_of(request), path_param(request, "threadId"), path_param(request, "runId"))
    )


async def modify_run(request: Request) -> Response:
    body = parse(MetadataModify, await json_body(request))
    return ok(
        runs.modify(
            state_of(request), path_param(request, "threadId"), path_param(request, "runId"), body
        )
    )


async def cancel_run(request: Request) -> Response:
    return ok(
        runs.cancel(
            state_of(request), path_param(request, "threadId"), path_param(request, "runId")
        )
    )


async def submit_tool_outputs(request: Request) -> Response:
    body, state = parse(ToolOutputsSubmit, await json_body(request)), state_of(request)
    thread_id, run_id = path_param(request, "threadId"), path_param(request, "runId")
    if not body.stream:
        return ok(runs.submit_tool_outputs(state, thread_id, run_id, body))
    with state.db.transaction():  # the steps as they were, then the submission, as one change
        before = events.steps_of(state, run_id)
        run = runs.submit_tool_outputs(state, thread_id, run_id, body)
        return event_stream(events.encode(events.resumed(state, run, before)))


async def list_steps(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(
        runs.page_steps(
            state_of(request), path_param(request, "threadId"), path_param(request, "runId"), query
        )
    )


async def get_step(request: Request) -> Response:
    return ok(
        runs.get_step(
            state_of(request),
            path_param(request, "threadId"),
            path_param(request, "runId"),
            path_param(request, "stepId"),
        )
    )


_T = "/openai/threads"
_R = _T + "/{threadId}/runs/{runId}"

RUN_ROUTES = [
    Route(_T + "/runs", create_thread_and_run, methods=["POST"]),
    Route(_T + "/{threadId}/runs", list_runs, methods=["GET"]),
    Route(_T + "/{threadId}/runs", create_run, methods=["POST"]),
    Route(_R, get_run, methods=["GET"]),
    Route(_R, modify_run, methods=["POST"]),
    Route(_R + "/cancel", cancel_run, methods=["POST"]),
    Route(_R + "/submit_tool_outputs", submit_tool_outputs, methods=["POST"]),
    Route(_R + "/steps", list_steps, methods=["GET"]),
    Route(_R + "/steps/{stepId}", get_step, methods=["GET"]),
]
