"""The Azure surface under /openai: parse the request, call the store, serialise the result."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.assistants import assistants, files, threads
from reconciler.emulator.assistants.bodies import (
    AssistantCreate,
    AssistantFileCreate,
    AssistantModify,
    MessageCreate,
    MetadataModify,
    ThreadCreate,
)
from reconciler.emulator.assistants.run_routes import RUN_ROUTES
from reconciler.emulator.core.files import download, read_upload
from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.validation import parse
from reconciler.emulator.core.web import json_body, ok, paged, path_param, state_of

UPLOAD_FIELDS = ("file", "purpose", "filename")


async def list_assistants(request: Request) -> Response:
    return paged(assistants.page(state_of(request), parse_query(request.query_params)))


async def create_assistant(request: Request) -> Response:
    return ok(
        assistants.create(state_of(request), parse(AssistantCreate, await json_body(request)))
    )


async def get_assistant(request: Request) -> Response:
    return ok(assistants.get(state_of(request), path_param(request, "assistantId")))


async def modify_assistant(request: Request) -> Response:
    body = parse(AssistantModify, await json_body(request))
    return ok(assistants.modify(state_of(request), path_param(request, "assistantId"), body))


async def delete_assistant(request: Request) -> Response:
    return ok(assistants.delete(state_of(request), path_param(request, "assistantId")))


async def list_assistant_files(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(
        assistants.page_files(state_of(request), path_param(request, "assistantId"), query)
    )


async def attach_assistant_file(request: Request) -> Response:
    body = parse(AssistantFileCreate, await json_body(request))
    return ok(assistants.attach(state_of(request), path_param(request, "assistantId"), body))


async def get_assistant_file(request: Request) -> Response:
    return ok(
        assistants.get_file(
            state_of(request), path_param(request, "assistantId"), path_param(request, "fileId")
        )
    )


async def unlink_assistant_file(request: Request) -> Response:
    return ok(
        assistants.unlink(
            state_of(request), path_param(request, "assistantId"), path_param(request, "fileId")
        )
    )


async def list_files(request: Request) -> Response:
    return ok(files.listing(state_of(request), request.query_params.get("purpose")))


async def upload_file(request: Request) -> Response:
    state = state_of(request)
    upload = await read_upload(request, state, UPLOAD_FIELDS, text_file_code="invalid_type")
    return ok(files.upload(state, upload.filename, upload.purpose, upload.data))


async def get_file(request: Request) -> Response:
    return ok(files.get(state_of(request), path_param(request, "fileId")))


async def get_file_content(request: Request) -> Response:
    record, data = files.content(state_of(request), path_param(request, "fileId"))
    return download(record["filename"], data)


async def delete_file(request: Request) -> Response:
    return ok(files.delete(state_of(request), path_param(request, "fileId")))


async def create_thread(request: Request) -> Response:
    return ok(threads.create(state_of(request), parse(ThreadCreate, await json_body(request))))


async def get_thread(request: Request) -> Response:
    return ok(threads.get(state_of(request), path_param(request, "threadId")))


async def modify_thread(request: Request) -> Response:
    body = parse(MetadataModify, await json_body(request))
    return ok(threads.modify(state_of(request), path_param(request, "threadId"), body))


async def delete_thread(request: Request) -> Response:
    return ok(threads.delete(state_of(request), path_param(request, "threadId")))


async def list_messages(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(threads.page_messages(state_of(request), path_param(request, "threadId"), query))


async def create_message(request: Request) -> Response:
    body = parse(MessageCreate, await json_body(request))
    return ok(threads.create_message(state_of(request), path_param(request, "threadId"), body))


async def get_message(request: Request) -> Response:
    return ok(
        threads.get_message(
            state_of(request), path_param(request, "threadId"), path_param(request, "messageId")
        )
    )


async def modify_message(request: Request) -> Response:
    body = parse(MetadataModify, await json_body(request))
    return ok(
        threads.modify_message(
            state_of(request),
            path_param(request, "threadId"),
            path_param(request, "messageId"),
            body,
        )
    )


async def list_message_files(request: Request) -> Response:
    query = parse_query(request.query_params)
    return paged(
        threads.page_message_files(
            state_of(request),
            path_param(request, "threadId"),
            path_param(request, "messageId"),
            query,
        )
    )


async def get_message_file(request: Request) -> Response:
    ids = (
        path_param(request, "threadId"),
        path_param(request, "messageId"),
        path_param(request, "fileId"),
    )
    return ok(threads.get_message_file(state_of(request), *ids))


_A, _T = "/openai/assistants", "/openai/threads"
_M = _T + "/{threadId}/messages/{messageId}"

# Runs first: POST /threads/runs is not a thread's path.
ROUTES = [
    *RUN_ROUTES,
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
    Route(_T + "/{threadId}", get_thread, methods=["GET"]),
    Route(_T + "/{threadId}", modify_thread, methods=["POST"]),
    Route(_T + "/{threadId}", delete_thread, methods=["DELETE"]),
    Route(_T + "/{threadId}/messages", list_messages, methods=["GET"]),
    Route(_T + "/{threadId}/messages", create_message, methods=["POST"]),
    Route(_M, get_message, methods=["GET"]),
    Route(_M, modify_message, methods=["POST"]),
    Route(_M + "/files", list_message_files, methods=["GET"]),
    Route(_M + "/files/{fileId}", get_message_file, methods=["GET"]),
]
