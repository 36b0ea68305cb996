"""The OpenAI-style routes of a project: files and vector stores, OpenAI's error shape.

Served under `{project}/openai/v1` (where the SDK's `get_openai_client()` points) and, as some
docs show them, directly under `{project}`. Vector-store responses carry `openai-poll-after-ms`,
which the SDK's pollers wait between polls.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reconciler.emulator.core.files import download, read_upload
from reconciler.emulator.core.listing import parse_query
from reconciler.emulator.core.web import json_body, ok, paged, path_param
from reconciler.emulator.foundry import (
    batches,
    conversation_routes,
    eval_routes,
    files,
    ingestion,
    response_routes,
    vector_stores,
)
from reconciler.emulator.foundry.bodies import (
    FileBatchCreate,
    VectorStoreCreate,
    VectorStoreFileCreate,
    VectorStoreModify,
    parse,
)
from reconciler.emulator.foundry.http import PROJECT, foundry

MAX_FILES_LIMIT = 10_000
UPLOAD_FIELDS = ("file", "purpose", "expires_after[anchor]", "expires_after[seconds]")


def _poll(request: Request) -> dict[str, str]:
    return {"openai-poll-after-ms": str(foundry(request).options.poll_after_ms)}


async def list_files(request: Request) -> Response:
    query = parse_query(request.query_params, MAX_FILES_LIMIT, MAX_FILES_LIMIT)
    return paged(files.page(foundry(request), query, request.query_params.get("purpose")))


async def upload_file(request: Request) -> Response:
    fd = foundry(request)
    upload = await read_upload(
        request, fd.state, UPLOAD_FIELDS, text_file_code="missing_required_parameter"
    )
    return ok(files.upload(fd, upload.filename, upload.purpose, upload.data))


async def get_file(request: Request) -> Response:
    return ok(files.get(foundry(request), path_param(request, "file_id")))


async def get_file_content(request: Request) -> Response:
    record, data = files.content(foundry(request), path_param(request, "file_id"))
    return download(record["filename"], data)


async def delete_file(request: Request) -> Response:
    return ok(files.delete(foundry(request), path_param(request, "file_id")))


async def list_stores(request: Request) -> Response:
    return paged(
        vector_stores.page(foundry(request), parse_query(request.query_params)), _poll(request)
    )


async def create_store(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(VectorStoreCreate, raw)
    return ok(vector_stores.create(foundry(request), body, raw), _poll(request))


async def get_store(request: Request) -> Response:
    return ok(
        vector_stores.get(foundry(request), path_param(request, "vector_store_id")), _poll(request)
    )


async def modify_store(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(VectorStoreModify, raw)
    store = vector_stores.modify(
        foundry(request), path_param(request, "vector_store_id"), body, raw
    )
    return ok(store, _poll(request))


async def delete_store(request: Request) -> Response:
    return ok(
        vector_stores.delete(foundry(request), path_param(request, "vector_store_id")),
        _poll(request),
    )


async def list_store_files(request: Request) -> Response:
    fd, store_id = foundry(request), path_param(request, "vector_store_id")
    vector_stores.require(fd, store_id)
    status = request.query_params.get("filter")
    return paged(
        ingestion.page(fd, store_id, parse_query(request.query_params), status), _poll(request)
    )


async def attach_file(request: Request) -> Response:
    fd, store_id = foundry(request), path_param(request, "vector_store_id")
    raw = await json_body(request)
    parse(VectorStoreFileCreate, raw)
    with fd.state.db.transaction():
        store = vector_stores.require(fd, store_id)
        attached = ingestion.attach(
            fd, store_id, raw["file_id"], raw.get("chunking_strategy"), raw.get("attributes")
        )
        vector_stores.touch(fd, store)
    return ok(attached, _poll(request))


async def get_store_file(request: Request) -> Response:
    fd, store_id = foundry(request), path_param(request, "vector_store_id")
    vector_stores.require(fd, store_id)
    return ok(ingestion.get(fd, store_id, path_param(request, "file_id")), _poll(request))


async def detach_file(request: Request) -> Response:
    fd, store_id = foundry(request), path_param(request, "vector_store_id")
    with fd.state.db.transaction():
        vector_stores.touch(fd, vector_stores.require(fd, store_id))
        return ok(ingestion.detach(fd, store_id, path_param(request, "file_id")), _poll(request))


async def create_batch(request: Request) -> Response:
    raw = await json_body(request)
    body = parse(FileBatchCreate, raw)
    batch = batches.create(foundry(request), path_param(request, "vector_store_id"), body, raw)
    return ok(batch, _poll(request))


async def get_batch(request: Request) -> Response:
    ids = path_param(request, "vector_store_id"), path_param(request, "batch_id")
    return ok(batches.get(foundry(request), *ids), _poll(request))


async def cancel_batch(request: Request) -> Response:
    ids = path_param(request, "vector_store_id"), path_param(request, "batch_id")
    return ok(batches.cancel(foundry(request), *ids), _poll(request))


async def list_batch_files(request: Request) -> Response:
    ids = path_param(request, "vector_store_id"), path_param(request, "batch_id")
    query, status = parse_query(request.query_params), request.query_params.get("filter")
    return paged(batches.page_files(foundry(request), *ids, query, status), _poll(request))


_VS = "/vector_stores/{vector_store_id}"
_BATCH = _VS + "/file_batches/{batch_id}"
OPERATIONS = [
    ("/files", "GET", list_files),
    ("/files", "POST", upload_file),
    ("/files/{file_id}", "GET", get_file),
    ("/files/{file_id}", "DELETE", delete_file),
    ("/files/{file_id}/content", "GET", get_file_content),
    ("/vector_stores", "GET", list_stores),
    ("/vector_stores", "POST", create_store),
    (_VS, "GET", get_store),
    (_VS, "POST", modify_store),
    (_VS, "DELETE", delete_store),
    (_VS + "/files", "GET", list_store_files),
    (_VS + "/files", "POST", attach_file),
    (_VS + "/files/{file_id}", "GET", get_store_file),
    (_VS + "/files/{file_id}", "DELETE", detach_file),
    (_VS + "/file_batches", "POST", create_batch),
    (_BATCH, "GET", get_batch),
    (_BATCH + "/cancel", "POST", cancel_batch),
    (_BATCH + "/files", "GET", list_batch_files),
]
OPENAI_PREFIX = PROJECT + "/openai/v1"
ROUTES = [
    Route(prefix + path, handler, methods=[method])
    for prefix in (OPENAI_PREFIX, PROJECT)
    for path, method, handler in OPERATIONS
]
ROUTES += conversation_routes.ROUTES + response_routes.ROUTES  # under OPENAI_PREFIX only
ROUTES += eval_routes.ROUTES  # under OPENAI_PREFIX only
