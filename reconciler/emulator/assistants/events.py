"""Runs as Server-Sent Events, in the Assistants streaming format (``stream: true``).

A streamed run is the same simulation as a polled one: the stream drives the run through the
states a poller would see, and reports each change as the service's events, in its order:

    thread.created (create thread and run only)
    thread.run.created, thread.run.queued, thread.run.in_progress
    thread.run.step.created / .in_progress / .delta (one per function call)
    thread.run.requires_action                      -> the stream ends; submit outputs to go on
    thread.run.step.created / .in_progress (message creation)
    thread.message.created / .in_progress / .delta (the reply, word by word) / .completed
    thread.run.step.completed, thread.run.completed
    event: done, data: [DONE]

Objects in an event are snapshots at that moment: a message is created empty and filled by
deltas, a step is created in progress, so the SDK's accumulators build the final objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from reconciler.emulator.assistants import runs
from reconciler.emulator.assistants.errors import require
from reconciler.emulator.core.db import Json
from reconciler.emulator.core.state import State

Event = tuple[str, Json]
# The run hands control back to the caller in these states.
PAUSED = ("requires_action", "completed", "cancelled", "failed", "expired")
# A run pauses within four moves; the bound only guards against a state that never pauses.
MAX_STEPS = 16
DONE = b"event: done\ndata: [DONE]\n\n"


def created(state: State, run: Json, thread: Json | None = None) -> list[Event]:
    """The events of a run created with `stream: true`, up to its first pause."""
    opening = [("thread.created", thread)] if thread is not None else []
    opening += [("thread.run.created", run), ("thread.run.queued", run)]
    return opening + _drive(state, run)


def resumed(state: State, run: Json, steps_before: list[Json]) -> list[Event]:
    """The events of a run after its tool outputs were submitted with `stream: true`."""
    events: list[Event] = [("thread.run.queued", run)]
    events += _step_changes(state, run, steps_before)
    return events + _drive(state, run)


def encode(events: list[Event]) -> bytes:
    frames = [f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events]
    return b"".join(frames) + DONE


def steps_of(state: State, run_id: str) -> list[Json]:
    return state.db.children("step", run_id)


def _drive(state: State, run: Json) -> list[Event]:
    events: list[Event] = []
    # One transaction: a poller of the same run cannot move it between two of these events.
    with state.db.transaction():
        for _ in range(MAX_STEPS):
            if run["status"] in PAUSED:
                break
            before = steps_of(state, run["id"])
            run = runs.get(state, run["thread_id"], run["id"])
            events += _step_changes(state, run, before)
            events.append((f"thread.run.{run['status']}", run))
    return events


def _step_changes(state: State, run: Json, before: list[Json]) -> list[Event]:
    """Events for the steps created or finished since `before` was read."""
    known = {step["id"]: step["status"] for step in before}
    events: list[Event] = []
    for step in steps_of(state, run["id"]):
        if step["id"] not in known:
            events += _new_step(state, run, step)
        elif known[step["id"]] != step["status"]:
            events.append((f"thread.run.step.{step['status']}", step))
    return events


def _new_step(state: State, run: Json, step: Json) -> list[Event]:
    opened = {**step, "status": "in_progress", "completed_at": None}
    details = step["step_details"]
    if details["type"] == "tool_calls":
        opened["step_details"] = {"type": "tool_calls", "tool_calls": []}
    events = [("thread.run.step.created", opened), ("thread.run.step.in_progress", opened)]
    if details["type"] == "tool_calls":
        events += [
            _call_delta(step, index, call) for index, call in enumerate(details["tool_calls"])
        ]
    else:
        message_id = details["message_creation"]["message_id"]
        events += _message(require(state, "message", run["thread_id"], message_id))
    if step["status"] != "in_progress":
        events.append((f"thread.run.step.{step['status']}", step))
    return events


def _call_delta(step: Json, index: int, call: Json) -> Event:
    details = {"type": "tool_calls", "tool_calls": [{"index": index, **call}]}
    delta = {
        "id": step["id"],
        "object": "thread.run.step.delta",
        "delta": {"step_details": details},
    }
    return "thread.run.step.delta", delta


def _message(message: Json) -> list[Event]:
    empty = {**message, "content": []}
    events = [("thread.message.created", empty), ("thread.message.in_progress", empty)]
    for index, part in enumerate(message["content"]):
        events += [_text_delta(message["id"], index, chunk) for chunk in _chunks(part)]
    return [*events, ("thread.message.completed", message)]


def _text_delta(message_id: str, index: int, text: Json) -> Event:
    content = {"index": index, "type": "text", "text": text}
    delta = {"id": message_id, "object": "thread.message.delta", "delta": {"content": [content]}}
    return "thread.message.delta", delta


def _chunks(part: Json) -> Iterator[Json]:
    """The text word by word, as a model streams it; annotations come with the first piece."""
    words = re.findall(r"\S+\s*|\s+", part["text"]["value"]) or [""]
    yield {"value": words[0], "annotations": part["text"]["annotations"]}
    for word in words[1:]:
        yield {"value": word}
