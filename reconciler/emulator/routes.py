"""The Azure surface under /openai: parse the request, call the store, serialise the result."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.emulator import assistants, files, runs, threads
from reconciler.emulator.bodies import (
    AssistantCreate,
    AssistantFileCreate,
    AssistantModify,
    MessageCreate,
    MetadataModify,
    RunCreate,
    ThreadAndRunCreate,
    ThreadCreate,
    ToolOutputsSubmit,
)
from reconciler.emulator.db import Json, Page
from reconciler.emulator.errors import bad_request
from reconciler.emulator.listing import list_body, parse_query
from reconciler.emulator.state import State
from reconciler.emulator.validation import parse

PARSE_ERROR = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
    "your HTTP library correctly. The API expects a JSON payload, but what was sent was not valid JSON.)"
)
UPLOAD_FIELDS = ("file", "purpose", "filename")


def _state(request: Request) -> State:
    state: State = request.app.state.store
    return state


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise bad_request(PARSE_ERROR) from None


def _ok(body: Json) -> JSONResponse:
    return JSONResponse(body)


def _page(page: Page) -> JSONResponse:
    return JSONResponse(list_body(page))


def _id(request: Request, name: str) -> str:
    return str(request.path_params[name])


async def list_assistants(request: Request) -> Response:
    return _page(assistants.page(_state(request), parse_query(request.query_params)))


async def create_assistant(request: Request) -> Response:
    return _ok(assistants.create(_state(request), parse(AssistantCreate, await _json(request))))


async def get_assistant(request: Request) -> Response:
    return _ok(assistants.get(_state(request), _id(request, "assistantId")))


async def modify_assistant(request: Request) -> Response:
    body = parse(AssistantModify, await _json(request))
    return _ok(assistants.modify(_state(request), _id(request, "assistantId"), body))


async def delete_assistant(request: Request) -> Response:
    return _ok(assistants.delete(_state(request), _id(request, "assistantId")))


async def list_assistant_files(request: Request) -> Response:
    query = parse_query(request.query_params)
    return _page(assistants.page_files(_state(request), _id(request, "assistantId"), query))


async def attach_assistant_file(request: Request) -> Response:
    body = parse(AssistantFileCreate, await _json(request))
    return _ok(assistants.attach(_state(request), _id(request, "assistantId"), body))


async def get_assistant_file(request: Request) -> Response:
    return _ok(
        assistants.get_file(_state(request), _id(request, "assistantId"), _id(request, "fileId"))
    )


async def unlink_assistant_file(request: Request) -> Response:
    return _ok(
        assistants.unlink(_state(request), _id(request, "assistantId"), _id(request, "fileId"))
    )


async def list_files(request: Request) -> Response:
    return _ok(files.listing(_state(request), request.query_params.get("purpose")))


async def upload_file(request: Request) -> Response:
    state = _state(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise bad_request(
            "Invalid Content-Type header: expected multipart/form-data.", "Content-Type"
        )
    async with request.form(max_files=1, max_fields=len(UPLOAD_FIELDS)) as form:
        for name in form:
            if name not in UPLOAD_FIELDS:
                raise bad_request(f"Unknown parameter: '{name}'.", name, "unknown_parameter")
        upload, purpose = form.get("file"), form.get("purpose")
        if not isinstance(upload, UploadFile):
            kind = "invalid_type" if upload is not None else "missing_required_parameter"
            raise bad_request("Missing required parameter: 'file' (a file part).", "file", kind)
        if not isinstance(purpose, str):
            raise bad_request(
                "Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter"
            )
        override = form.get("filename")
        filename = override if isinstance(override, str) and override else upload.filename or ""
        data = await upload.read(state.options.max_file_bytes + 1)
    return _ok(files.upload(state, filename, purpose, data))


async def get_file(request: Request) -> Response:
    return _ok(files.get(_state(request), _id(request, "fileId")))


async def get_file_content(request: Request) -> Response:
    record, data = files.content(_state(request), _id(request, "fileId"))
    # RFC 6266/5987: the name travels percent-encoded as UTF-8, so any filename is a valid header.
    disposition = f"attachment; filename*=UTF-8''{quote(record['filename'], safe='')}"
    return Response(
        data, media_type="application/octet-stream", headers={"content-disposition": disposition}
    )


async def delete_file(request: Request) -> Response:
    return _ok(files.delete(_state(request), _id(request, "fileId")))


async def create_thread(request: Request) -> Response:
    return _ok(threads.create(_state(request), parse(ThreadCreate, await _json(request))))


async def get_thread(request: Request) -> Response:
    return _ok(threads.get(_state(request), _id(request, "threadId")))


async def modify_thread(request: Request) -> Response:
    body = parse(MetadataModify, await _json(request))
    return _ok(threads.modify(_state(request), _id(request, "threadId"), body))


async def delete_thread(request: Request) -> Response:
    return _ok(threads.delete(_state(request), _id(request, "threadId")))


async def list_messages(request: Request) -> Response:
    query = parse_query(request.query_params)
    return _page(threads.page_messages(_state(request), _id(request, "threadId"), query))


async def create_message(request: Request) -> Response:
    body = parse(MessageCreate, await _json(request))
    return _ok(threads.create_message(_state(request), _id(request, "threadId"), body))


async def get_message(request: Request) -> Response:
    return _ok(
        threads.get_message(_state(request), _id(request, "threadId"), _id(request, "messageId"))
    )


async def modify_message(request: Request) -> Response:
    body = parse(MetadataModify, await _json(request))
    return _ok(
        threads.modify_message(
            _state(request), _id(request, "threadId"), _id(request, "messageId"), body
        )
    )


async def list_message_files(request: Request) -> Response:
    query = parse_query(request.query_params)
    return _page(
        threads.page_message_files(
            _state(request), _id(request, "threadId"), _id(request, "messageId"), query
        )
    )


async def get_message_file(request: Request) -> Response:
    ids = (_id(request, "threadId"), _id(request, "messageId"), _id(request, "fileId"))
    return _ok(threads.get_message_file(_state(request), *ids))


async def list_runs(request: Request) -> Response:
    query = parse_query(request.query_params)
    return _page(runs.page(_state(request), _id(request, "threadId"), query))


async def create_run(request: Request) -> Response:
    body = parse(RunCreate, await _json(request))
    return _ok(runs.create(_state(request), _id(request, "threadId"), body))


async def create_thread_and_run(request: Request) -> Response:
    return _ok(
        runs.create_with_thread(_state(request), parse(ThreadAndRunCreate, await _json(request)))
    )


async def get_run(request: Request) -> Response:
    return _ok(runs.get(_state(request), _id(request, "threadId"), _id(request, "runId")))


async def modify_run(request: Request) -> Response:
    body = parse(MetadataModify, await _json(request))
    return _ok(runs.modify(_state(request), _id(request, "threadId"), _id(request, "runId"), body))


async def cancel_run(request: Request) -> Response:
    return _ok(runs.cancel(_state(request), _id(request, "threadId"), _id(request, "runId")))


async def submit_tool_outputs(request: Request) -> Response:
    body = parse(ToolOutputsSubmit, await _json(request))
    return _ok(
        runs.submit_tool_outputs(
            _state(request), _id(request, "threadId"), _id(request, "runId"), body
        )
    )


async def list_steps(request: Request) -> Response:
    query = parse_query(request.query_params)
    return _page(
        runs.page_steps(_state(request), _id(request, "threadId"), _id(request, "runId"), query)
    )


async def get_step(request: Request) -> Response:
    return _ok(
        runs.get_step(
            _state(request), _id(request, "threadId"), _id(request, "runId"), _id(request, "stepId")
        )
    )


_A, _T = "/openai/assistants", "/openai/threads"
_R = _T + "/{threadId}/runs/{runId}"
_M = _T + "/{threadId}/messages/{messageId}"

ROUTES = [
    Route(_A, list_assistants, methods=["GET"]),
    Route(_A, create_assistant, methods=["POST"]),
    Route(_A + "/{assistantId}", get_assistant, methods=["GET"]),
    Route(_A + "/{assistantId}", modify_assistant, methods=["POST"]),
    Route(_A + "/{assistantId}", delete_assistant, methods=["DELETE"]),
    Route(_A + "/{assistantId}/files", list_assistant_files, methods=["GET"]),
    Route(_A + "/{assistantId}/files", attach_assistant_file, methods=["POST"]),
    Route(_A + "/{assistantId}/files/{fileId}", get_assistant_file, methods=["GET"]),
    Route(_A + "/{assistantId}/files/{fileId}", unlink_assistant_file, methods=["DELETE"]),
    Route("/openai/files", list_files, methods=["GET"]),
    Route("/openai/files", upload_file, methods=["POST"]),
    Route("/openai/files/{fileId}", get_file, methods=["GET"]),
    Route("/openai/files/{fileId}", delete_file, methods=["DELETE"]),
    Route("/openai/files/{fileId}/content", get_file_content, methods=["GET"]),
    Route(_T, create_thread, methods=["POST"]),
    Route(_T + "/runs", create_thread_and_run, methods=["POST"]),
    Route(_T + "/{threadId}", get_thread, methods=["GET"]),
    Route(_T + "/{threadId}", modify_thread, methods=["POST"]),
    Route(_T + "/{threadId}", delete_thread, methods=["DELETE"]),
    Route(_T + "/{threadId}/messages", list_messages, methods=["GET"]),
    Route(_T + "/{threadId}/messages", create_message, methods=["POST"]),
    Route(_M, get_message, methods=["GET"]),
    Route(_M, modify_message, methods=["POST"]),
    Route(_M + "/files", list_message_files, methods=["GET"]),
    Route(_M + "/files/{fileId}", get_message_file, methods=["GET"]),
    Route(_T + "/{threadId}/runs", list_runs, methods=["GET"]),
    Route(_T + "/{threadId}/runs", create_run, methods=["POST"]),
    Route(_R, get_run, methods=["GET"]),
    Route(_R, modify_run, methods=["POST"]),
    Route(_R + "/cancel", cancel_run, methods=["POST"]),
    Route(_R + "/submit_tool_outputs", submit_tool_outputs, methods=["POST"]),
    Route(_R + "/steps", list_steps, methods=["GET"]),
    Route(_R + "/steps/{stepId}", get_step, methods=["GET"]),
]
