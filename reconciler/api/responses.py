"""What the API answers, checked before it is trusted: each response that does not match the
API becomes a ResponseError saying what was wrong, never an error deep inside the planner."""

from __future__ import annotations

from typing import Any

import httpx

from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LiveFile
from reconciler.core.model import SharedTools, SharedValues
from reconciler.errors import ApiError, ResponseError


def check_advances(
    items: list[dict[str, Any]], seen: set[str], cursor: str | None, operation: str
) -> None:
    """An endpoint that ignores `after` would be paged forever: stop at the first page that
    brings nothing new or hands back the cursor it was given."""
    ids = [str(item["id"]) for item in items]
    if ids[-1] == cursor or not set(ids) - seen:
        raise ResponseError(
            f"{operation}: the endpoint sent the same page again after the cursor {cursor!r} "
            "(it ignores `after`, so paging would never end): check that the endpoint is "
            "an Azure OpenAI resource"
        )
    seen.update(ids)


def check_redirect(response: httpx.Response, operation: str) -> None:
    """A redirect is not followed (it could carry the key elsewhere): say where it points."""
    if not response.is_redirect:
        return
    location = response.headers.get("location")
    # The query is left out: it is where a signed URL would carry its secret.
    target = (
        str(response.url.join(location).copy_with(query=None))
        if location
        else "nowhere (no Location header)"
    )
    raise ResponseError(
        f"{operation}: the endpoint redirected (HTTP {response.status_code}) to {target}: "
        "set the environment's endpoint to the resource's own https URL"
    )


# What a read response's stream is once its body is read: empty, bound to no response.
_READ = httpx.ByteStream(b"")


def unbound(response: httpx.Response) -> httpx.Response:
    """The response, no longer in a reference cycle with its stream, so that it is freed as soon
    as its caller drops it rather than at the next full collection.

    httpx binds each response's stream to the response (to time it when closed), a cycle that
    only the cyclic collector frees; a 10,000-assistant read left a third of its pages' bodies
    (8 MB) waiting for it at the process's peak. `Client.request` has read the body and closed
    the stream before it returns: the stream is never used again (`read`, `json` and `content`
    use the body kept on the response)."""
    response.stream = _READ
    return response


def list_items(body: dict[str, Any], operation: str) -> list[dict[str, Any]]:
    items = body.get("data")
    if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
        raise ResponseError(
            f"{operation}: the endpoint sent a list without a 'data' array of objects"
        )
    return items


def api_error(response: httpx.Response, operation: str) -> ApiError:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or response.reason_phrase or "no message")
    code = error.get("code")
    return ApiError(response.status_code, None if code is None else str(code), message, operation)


class Repeats:
    """What the assistants of one read repeat, each held once: tool definitions (SharedTools)
    and short values, the model, metadata values and file ids (a file is attached to many
    assistants), the description. A JSON answer's every string is a copy of its own: held by
    10,000 assistants, these were 6 MB, most of it the same few values. Lives as long as the read.
    """

    def __init__(self) -> None:
        self.tools = SharedTools()
        self.value = SharedValues().share


def parse_assistant(item: dict[str, Any], repeats: Repeats | None = None) -> LiveAssistant:
    shared = repeats or Repeats()
    try:
        _check_shape(item)
        metadata = item.get("metadata") or {}  # the parsed answer's own: not copied
        for key, text in metadata.items():
            metadata[key] = shared.value(text)
        return LiveAssistant(
            id=str(item["id"]),
            created_at=int(item["created_at"]),
            name=item.get("name"),
            description=shared.value(item.get("description")),
            model=shared.value(str(item["model"])),
            instructions=item.get("instructions"),
            tools=tuple(shared.tools.share(tool) for tool in item.get("tools") or ()),
            file_ids=tuple(shared.value(i) for i in item.get("file_ids") or ()),
            metadata=metadata,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent an assistant that does not match the API ({_why(error)})"
        ) from None


def _check_shape(item: dict[str, Any]) -> None:
    """The fields the planner reads, checked here so that a broken answer is reported as such
    rather than failing deep inside the diff."""
    for index, tool in enumerate(item.get("tools") or ()):
        if not isinstance(tool, dict) or not isinstance(tool.get("type"), str):
            raise ValueError(f"tools[{index}] has no 'type'")
        if tool["type"] == "function" and not isinstance(tool.get("function"), dict):
            raise ValueError(f"tools[{index}] is a function tool without a 'function' object")
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError("metadata is not an object of strings")
    file_ids = item.get("file_ids") or []
    if not isinstance(file_ids, list) or not all(isinstance(i, str) for i in file_ids):
        raise ValueError("file_ids is not a list of strings")


def parse_file(item: dict[str, Any]) -> LiveFile:
    try:
        return LiveFile(
            str(item["id"]),
            str(item["filename"]),
            int(item["bytes"]),
            int(item["created_at"]),
            str(item["purpose"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent a file that does not match the API ({_why(error)})"
        ) from None


def _why(error: Exception) -> str:
    return f"no {error}" if isinstance(error, KeyError) else str(error)
