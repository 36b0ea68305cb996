"""A response as the Server-Sent Events the service streams (`stream: true`).

The turn is computed first (the model takes no time), then told as the openai 3.x client
accumulates it: `response.created` and `response.in_progress` (the response in progress, no
output yet); per output item `response.output_item.added`, the item's own events, then
`response.output_item.done`; last `response.completed` (or `response.incomplete`), carrying
the whole response, which is what `get_final_response()` returns. A message streams its text
word by word (`response.content_part.added`, `response.output_text.delta`...,
`response.output_text.annotation.added` per citation, `response.output_text.done`,
`response.content_part.done`); a function or MCP call its arguments in one delta; the hosted
tools their progress events. Every event has its `sequence_number`, from 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from reconciler.emulator.core.db import Json

PROGRESS = {
    "file_search_call": ("in_progress", "searching", "completed"),
    "code_interpreter_call": ("in_progress", "interpreting", "completed"),
    "mcp_list_tools": ("in_progress", "completed"),
}


def encode(response: Json) -> bytes:
    """The SSE body: `event:` and `data:` lines, numbered in order."""
    lines = []
    for number, event in enumerate(events(response)):
        event["sequence_number"] = number
        lines.append(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n")
    return "".join(lines).encode()


def events(response: Json) -> Iterator[Json]:
    started = {**response, "status": "in_progress", "output": [], "usage": None}
    started["incomplete_details"] = None
    yield {"type": "response.created", "response": started}
    yield {"type": "response.in_progress", "response": started}
    for index, item in enumerate(response["output"]):
        yield {"type": "response.output_item.added", "output_index": index, "item": _open(item)}
        yield from ITEM_EVENTS.get(item["type"], _nothing)(index, item)
        yield {"type": "response.output_item.done", "output_index": index, "item": item}
    yield {"type": f"response.{_ending(response)}", "response": response}


def _ending(response: Json) -> str:
    return "incomplete" if response["status"] == "incomplete" else str(response["status"])


def _open(item: Json) -> Json:
    """The item as first announced: in progress, nothing written yet."""
    opened = {**item, "status": "in_progress"}
    if item["type"] == "message":
        opened["content"] = []
    elif item["type"] in ("function_call", "mcp_call"):
        opened["arguments"] = ""
    return opened


def _message(index: int, item: Json) -> Iterator[Json]:
    at = {"item_id": item["id"], "output_index": index}
    for number, part in enumerate(item["content"]):
        where = {**at, "content_index": number}
        empty = {**part, "text": "", "annotations": []}
        yield {"type": "response.content_part.added", **where, "part": empty}
        for delta in re.findall(r"\S+\s*|\s+", part["text"]):
            yield {"type": "response.output_text.delta", **where, "delta": delta, "logprobs": []}
        for order, note in enumerate(part["annotations"]):
            yield {
                "type": "response.output_text.annotation.added",
                **where,
                "annotation_index": order,
                "annotation": note,
            }
        yield {"type": "response.output_text.done", **where, "text": part["text"], "logprobs": []}
        yield {"type": "response.content_part.done", **where, "part": part}


def _arguments(kind: str) -> Callable[[int, Json], Iterator[Json]]:
    def told(index: int, item: Json) -> Iterator[Json]:
        at = {"item_id": item["id"], "output_index": index}
        if kind == "mcp_call":
            yield {"type": "response.mcp_call.in_progress", **at}
        yield {"type": f"response.{kind}_arguments.delta", **at, "delta": item["arguments"]}
        done = {"type": f"response.{kind}_arguments.done", **at, "arguments": item["arguments"]}
        if kind == "function_call":
            done["name"] = item["name"]
        yield done
        if kind == "mcp_call":
            ending = "completed" if item.get("error") is None else "failed"
            yield {"type": f"response.mcp_call.{ending}", **at}

    return told


def _progress(index: int, item: Json) -> Iterator[Json]:
    at = {"item_id": item["id"], "output_index": index}
    steps = PROGRESS[item["type"]]
    if item["type"] == "mcp_list_tools" and item.get("error"):
        steps = ("in_progress", "failed")
    for step in steps[:-1]:
        yield {"type": f"response.{item['type']}.{step}", **at}
    if item["type"] == "code_interpreter_call":
        code = item.get("code") or ""
        yield {"type": "response.code_interpreter_call_code.delta", **at, "delta": code}
        yield {"type": "response.code_interpreter_call_code.done", **at, "code": code}
    yield {"type": f"response.{item['type']}.{steps[-1]}", **at}


def _nothing(index: int, item: Json) -> Iterator[Json]:
    return iter(())


ITEM_EVENTS: dict[str, Callable[[int, Json], Iterator[Json]]] = {
    "message": _message,
    "function_call": _arguments("function_call"),
    "mcp_call": _arguments("mcp_call"),
    "file_search_call": _progress,
    "code_interpreter_call": _progress,
    "mcp_list_tools": _progress,
}
