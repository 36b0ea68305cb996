"""Background responses (`background: true`): queued, then in progress, then done; cancellable.

The turn is computed when the request comes, but shown as the service shows a long one, with no
timer: the create answers `queued` (no output, no usage); each retrieve moves it one step,
`queued` -> `in_progress` -> its outcome (`completed`, or `incomplete`), which then adds its
items to its conversation. So a client that polls `while status in ("queued", "in_progress")`
sees the same sequence every run, after two retrieves.

`POST /responses/{id}/cancel` stops a queued or in-progress one (`cancelled`, no output; the
conversation gains nothing). Cancelling one that has ended (cancelled, completed, incomplete)
answers it unchanged: cancel is idempotent, as OpenAI documents for background mode and as the
OpenAI-compatible servers that follow it do (sgl-project/sglang PR #38087, vllm-project/vllm
issue #57999). Only background responses can be cancelled: another is a 400 (the wording is
ours; no published source quotes the service's).
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.foundry import conversations
from reconciler.emulator.foundry.responses import RESPONSE, Outcome, shown, stored
from reconciler.emulator.foundry.state import Foundry

DONE, APPEND = "_done", "_append"
RUNNING = ("queued", "in_progress")


def queue(outcome: Outcome) -> Outcome:
    """The outcome as a queued background response; its result and items wait in the record."""
    final = outcome.response
    queued = {**final, "status": "queued", "output": [], "usage": None}
    queued["incomplete_details"] = None
    record: Json = {**(outcome.record or {}), **queued, DONE: final}
    record[APPEND] = outcome.items if outcome.conversation is not None else None
    return Outcome(queued, record, None)


def retrieve(fd: Foundry, response_id: str) -> Json:
    """The response; a running background one moves one step first."""
    with fd.state.db.transaction():
        record = stored(fd, response_id)
        if record.get("background") and record["status"] in RUNNING:
            record = _step(fd, record)
    return shown(record)


def cancel(fd: Foundry, response_id: str) -> Json:
    with fd.state.db.transaction():
        record = stored(fd, response_id)
        if not record.get("background"):
            message = "Only responses created with background set to true can be cancelled."
            raise bad_request(message, None, "invalid_request")
        if record["status"] in RUNNING:
            record = {**record, "status": "cancelled", DONE: None, APPEND: None}
            fd.state.db.replace(RESPONSE, fd.scope(), record)
    return shown(record)


def _step(fd: Foundry, record: Json) -> Json:
    if record["status"] == "queued":
        record = {**record, "status": "in_progress"}
    else:
        final: dict[str, Any] = record[DONE]
        appended = record[APPEND]
        record = {**record, **final, DONE: None, APPEND: None}
        if appended:
            conversations.append(fd, record["conversation"]["id"], appended)
    fd.state.db.replace(RESPONSE, fd.scope(), record)
    return record
