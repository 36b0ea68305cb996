"""Runs and run steps, simulated deterministically.

Each retrieval of a run moves it one step: ``queued -> in_progress -> completed``. A run whose
tools include functions stops at ``requires_action`` with one call per function until
`submit_tool_outputs`; ``cancel`` goes through ``cancelling`` to ``cancelled``. The reply is
a pure function of the thread's user messages and the submitted tool outputs.
"""

from __future__ import annotations

from reconciler.emulator.assistants import assistants, threads
from reconciler.emulator.assistants.bodies import (
    MetadataModify,
    RunCreate,
    ThreadAndRunCreate,
    ThreadCreate,
    ToolOutputsSubmit,
)
from reconciler.emulator.assistants.errors import require
from reconciler.emulator.core.arguments import arguments
from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.replies import reply
from reconciler.emulator.core.state import State, new_id

RUN_TTL_SECONDS = 600
CANCELLABLE = ("queued", "in_progress", "requires_action")


def create(state: State, thread_id: str, body: RunCreate) -> Json:
    with state.db.transaction():
        thread = threads.get(state, thread_id)
        assistant = assistants.get(state, body.assistant_id)
        active = [
            r for r in state.db.children("run", thread_id) if r["status"] in threads.ACTIVE_RUN
        ]
        if active:
            raise bad_request(f"Thread {thread['id']} already has an active run {active[0]['id']}.")
        tools = assistant["tools"]
        if body.tools is not None:
            assistants.check_tools(state, body.tools)
            tools = [tool.model_dump(exclude_none=True) for tool in body.tools]
        now = state.now()
        run = {
            "id": new_id("run_"),
            "object": "thread.run",
            "created_at": now,
            "thread_id": thread_id,
            "assistant_id": assistant["id"],
            "status": "queued",
            "required_action": None,
            "last_error": None,
            "model": body.model or assistant["model"],
            "instructions": _instructions(body, assistant),
            "tools": tools,
            "file_ids": assistant["file_ids"],
            "expires_at": now + RUN_TTL_SECONDS,
            "started_at": None,
            "completed_at": None,
            "cancelled_at": None,
            "failed_at": None,
            "metadata": body.metadata or {},
        }
        state.db.insert("run", thread_id, run)
    return run


def _instructions(body: RunCreate, assistant: Json) -> str:
    base = body.instructions if body.instructions is not None else assistant["instructions"] or ""
    if body.additional_instructions:
        # Appended after the assistant's, as the service does; the run shows the whole text.
        return f"{base}\n\n{body.additional_instructions}" if base else body.additional_instructions
    return base


def create_with_thread(state: State, body: ThreadAndRunCreate) -> Json:
    with state.db.transaction():
        assistants.get(state, body.assistant_id)
        thread = threads.create(state, body.thread or ThreadCreate())
        return create(state, thread["id"], body)


def get(state: State, thread_id: str, run_id: str) -> Json:
    """The run, after moving it one step along its life."""
    with state.db.transaction():
        run = _require(state, thread_id, run_id)
        _advance(state, run)
        state.db.replace("run", thread_id, run)
    return run


def page(state: State, thread_id: str, query: PageQuery) -> Page:
    threads.get(state, thread_id)
    return state.db.page("run", thread_id, query)


def modify(state: State, thread_id: str, run_id: str, body: MetadataModify) -> Json:
    with state.db.transaction():
        run = _require(state, thread_id, run_id)
        if "metadata" in body.model_fields_set:
            run["metadata"] = body.metadata or {}
        state.db.replace("run", thread_id, run)
    return run


def submit_tool_outputs(state: State, thread_id: str, run_id: str, body: ToolOutputsSubmit) -> Json:
    with state.db.transaction():
        run = _require(state, thread_id, run_id)
        if run["status"] != "requires_action":
            raise bad_request(f"Runs in status '{run['status']}' do not accept tool outputs.")
        calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
        outputs = {out.tool_call_id: out.output for out in body.tool_outputs}
        expected = sorted(call["id"] for call in calls)
        if sorted(outputs) != expected or len(outputs) != len(body.tool_outputs):
            given = [out.tool_call_id for out in body.tool_outputs]
            message = f"Expected tool outputs for call ids {expected}, got {given}."
            raise bad_request(message, "tool_outputs", "invalid_value")
        _finish_tool_step(state, run, outputs)
        run.update(status="queued", required_action=None)
        state.db.replace("run", thread_id, run)
    return run


def cancel(state: State, thread_id: str, run_id: str) -> Json:
    with state.db.transaction():
        run = _require(state, thread_id, run_id)
        if run["status"] not in CANCELLABLE:
            raise bad_request(f"Cannot cancel run with status '{run['status']}'.")
        run["status"] = "cancelling"
        state.db.replace("run", thread_id, run)
    return run


def get_step(state: State, thread_id: str, run_id: str, step_id: str) -> Json:
    _require(state, thread_id, run_id)
    return require(state, "step", run_id, step_id)


def page_steps(state: State, thread_id: str, run_id: str, query: PageQuery) -> Page:
    _require(state, thread_id, run_id)
    return state.db.page("step", run_id, query)


def _require(state: State, thread_id: str, run_id: str) -> Json:
    threads.get(state, thread_id)
    return require(state, "run", thread_id, run_id)


def _advance(state: State, run: Json) -> None:
    status, now = run["status"], state.now()
    if status == "queued":
        run.update(status="in_progress", started_at=run["started_at"] or now)
    elif status == "in_progress" and _needs_tools(state, run):
        _request_tools(state, run)
    elif status == "in_progress":
        _complete(state, run)
    elif status == "cancelling":
        run.update(status="cancelled", cancelled_at=now, expires_at=None, required_action=None)
        for step in state.db.children("step", run["id"]):
            if step["status"] == "in_progress":
                state.db.replace(
                    "step", run["id"], {**step, "status": "cancelled", "cancelled_at": now}
                )


def _needs_tools(state: State, run: Json) -> bool:
    functions = [tool for tool in run["tools"] if tool["type"] == "function"]
    return bool(functions) and not _tool_steps(state, run)


def _tool_steps(state: State, run: Json) -> list[Json]:
    return [s for s in state.db.children("step", run["id"]) if s["type"] == "tool_calls"]


def _request_tools(state: State, run: Json) -> None:
    texts = threads.user_texts(state, run["thread_id"])
    calls: list[Json] = [
        {"id": new_id("call_"), "type": "function", "function": _call(tool, texts)}
        for tool in run["tools"]
        if tool["type"] == "function"
    ]
    # The step records each call with its output, null until submitted; the required action
    # lists the calls alone, as the service sends them.
    recorded = [{**call, "function": {**call["function"], "output": None}} for call in calls]
    details = {"type": "tool_calls", "tool_calls": recorded}
    _insert_step(state, run, "tool_calls", details, "in_progress")
    run.update(
        status="requires_action",
        required_action={
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": calls},
        },
    )


def _call(tool: Json, texts: list[str]) -> Json:
    function = tool["function"]
    parameters = function.get("parameters", {})
    return {
        "name": function["name"],
        "arguments": arguments(parameters, texts[-1] if texts else ""),
    }


def _finish_tool_step(state: State, run: Json, outputs: dict[str, str]) -> None:
    step = _tool_steps(state, run)[0]
    for call in step["step_details"]["tool_calls"]:
        call["function"]["output"] = outputs[call["id"]]
    step.update(status="completed", completed_at=state.now())
    state.db.replace("step", run["id"], step)


def _complete(state: State, run: Json) -> None:
    outputs = [
        call["function"]["output"]
        for step in _tool_steps(state, run)
        for call in step["step_details"]["tool_calls"]
    ]
    message = threads.insert_assistant_message(
        state, run, reply(threads.user_texts(state, run["thread_id"]), outputs)
    )
    details = {"type": "message_creation", "message_creation": {"message_id": message["id"]}}
    _insert_step(state, run, "message_creation", details, "completed")
    run.update(status="completed", completed_at=state.now(), expires_at=None)


def _insert_step(state: State, run: Json, kind: str, details: Json, status: str) -> None:
    step = {
        "id": new_id("step_"),
        "object": "thread.run.step",
        "created_at": state.now(),
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": kind,
        "status": status,
        "step_details": details,
        "last_error": None,
        "expired_at": None,
        "completed_at": state.now() if status == "completed" else None,
        "cancelled_at": None,
        "failed_at": None,
        "metadata": {},
    }
    state.db.insert("step", run["id"], step)
