"""Runs: deterministic progress, replies that depend only on the thread, tools, cancel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.emulator.core.replies import reply

FUNCTION = {"type": "function", "function": {"name": "lookup_order"}}


def post(api: httpx.Client, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post(path, json=body or {})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def get(api: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def start(
    api: httpx.Client, tools: list[dict[str, Any]] | None = None, text: str = "hi"
) -> tuple[str, str]:
    assistant = post(api, "/assistants", {"model": "gpt-4", "tools": tools or []})["id"]
    thread = post(api, "/threads", {"messages": [{"role": "user", "content": text}]})["id"]
    run = post(api, f"/threads/{thread}/runs", {"assistant_id": assistant})
    assert run["status"] == "queued"
    return thread, run["id"]


def statuses(api: httpx.Client, thread: str, run: str, count: int) -> list[str]:
    return [get(api, f"/threads/{thread}/runs/{run}")["status"] for _ in range(count)]


def last_reply(api: httpx.Client, thread: str) -> str:
    newest = get(api, f"/threads/{thread}/messages")["data"][0]
    assert newest["role"] == "assistant"
    return str(newest["content"][0]["text"]["value"])


def test_a_run_goes_queued_in_progress_completed_and_appends_a_reply(api: httpx.Client) -> None:
    thread, run = start(api, text="Where is my order?")
    assert statuses(api, thread, run, 3) == ["in_progress", "completed", "completed"]
    assert (
        last_reply(api, thread)
        == "Emulated reply to 1 user message(s). Last message: Where is my order?"
    )
    steps = get(api, f"/threads/{thread}/runs/{run}/steps")["data"]
    assert [(s["type"], s["status"]) for s in steps] == [("message_creation", "completed")]
    finished = get(api, f"/threads/{thread}/runs/{run}")
    assert finished["completed_at"] is not None
    assert finished["expires_at"] is None


def test_the_reply_depends_only_on_the_thread_input(api: httpx.Client) -> None:
    replies = []
    for _ in range(2):
        thread, run = start(api, text="same input")
        statuses(api, thread, run, 2)
        replies.append(last_reply(api, thread))
    assert replies[0] == replies[1]
    assert reply(["a", "b"], []) != reply(["a", "c"], [])
    assert reply(["a"], ["x"]) != reply(["a"], ["y"])


def test_function_tools_require_action_then_complete_with_the_outputs(api: httpx.Client) -> None:
    thread, run = start(api, tools=[FUNCTION, {"type": "code_interpreter"}])
    assert statuses(api, thread, run, 3) == ["in_progress", "requires_action", "requires_action"]
    action = get(api, f"/threads/{thread}/runs/{run}")["required_action"]
    calls = action["submit_tool_outputs"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["lookup_order"]
    outputs = {"tool_outputs": [{"tool_call_id": calls[0]["id"], "output": "shipped"}]}
    assert (
        post(api, f"/threads/{thread}/runs/{run}/submit_tool_outputs", outputs)["status"]
        == "queued"
    )
    assert statuses(api, thread, run, 2) == ["in_progress", "completed"]
    assert last_reply(api, thread).endswith("Tool outputs: shipped")
    steps = get(api, f"/threads/{thread}/runs/{run}/steps", order="asc")["data"]
    assert [(s["type"], s["status"]) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    assert steps[0]["step_details"]["tool_calls"][0]["function"]["output"] == "shipped"


@pytest.mark.parametrize(
    "outputs",
    [[], [{"tool_call_id": "call_wrong", "output": "x"}], None],
    ids=["none", "wrong id", "duplicate"],
)
def test_tool_outputs_must_answer_exactly_the_pending_calls(
    api: httpx.Client, outputs: list[dict[str, str]] | None
) -> None:
    thread, run = start(api, tools=[FUNCTION])
    statuses(api, thread, run, 2)
    call = get(api, f"/threads/{thread}/runs/{run}")["required_action"]["submit_tool_outputs"][
        "tool_calls"
    ][0]
    answer = {"tool_call_id": call["id"], "output": "x"}
    body = {"tool_outputs": outputs if outputs is not None else [answer, answer]}
    response = api.post(f"/threads/{thread}/runs/{run}/submit_tool_outputs", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "tool_outputs"


def test_tool_outputs_are_refused_unless_the_run_requires_action(api: httpx.Client) -> None:
    thread, run = start(api)
    response = api.post(
        f"/threads/{thread}/runs/{run}/submit_tool_outputs", json={"tool_outputs": []}
    )
    assert (
        response.json()["error"]["message"] == "Runs in status 'queued' do not accept tool outputs."
    )


@pytest.mark.parametrize("polls_before_cancel", [0, 1, 2])
def test_cancel_goes_through_cancelling_to_cancelled(
    api: httpx.Client, polls_before_cancel: int
) -> None:
    thread, run = start(api, tools=[FUNCTION])
    statuses(api, thread, run, polls_before_cancel)
    assert post(api, f"/threads/{thread}/runs/{run}/cancel")["status"] == "cancelling"
    assert statuses(api, thread, run, 2) == ["cancelled", "cancelled"]
    steps = get(api, f"/threads/{thread}/runs/{run}/steps")["data"]
    assert all(step["status"] == "cancelled" for step in steps)


def test_a_finished_run_cannot_be_cancelled(api: httpx.Client) -> None:
    thread, run = start(api)
    statuses(api, thread, run, 2)
    response = api.post(f"/threads/{thread}/runs/{run}/cancel")
    assert response.json()["error"]["message"] == "Cannot cancel run with status 'completed'."


def test_one_active_run_per_thread_and_no_messages_meanwhile(api: httpx.Client) -> None:
    thread, run = start(api)
    assistant = get(api, f"/threads/{thread}/runs/{run}")["assistant_id"]
    assert api.post(f"/threads/{thread}/runs", json={"assistant_id": assistant}).status_code == 400
    assert (
        api.post(
            f"/threads/{thread}/messages", json={"role": "user", "content": "more"}
        ).status_code
        == 400
    )
    statuses(api, thread, run, 1)
    assert api.post(f"/threads/{thread}/runs", json={"assistant_id": assistant}).status_code == 200


def test_run_overrides_and_inherited_fields(api: httpx.Client) -> None:
    assistant = post(api, "/assistants", {"model": "gpt-4", "instructions": "be brief"})
    thread = post(api, "/threads")["id"]
    run = post(api, f"/threads/{thread}/runs", {"assistant_id": assistant["id"]})
    assert (run["model"], run["instructions"], run["tools"]) == ("gpt-4", "be brief", [])
    statuses(api, thread, run["id"], 2)
    override = {
        "assistant_id": assistant["id"],
        "model": "gpt-35",
        "instructions": "be long",
        "tools": [FUNCTION],
    }
    run = post(api, f"/threads/{thread}/runs", override)
    assert (run["model"], run["instructions"], run["tools"][0]["function"]["name"]) == (
        "gpt-35",
        "be long",
        "lookup_order",
    )


def test_create_and_run_makes_the_thread_and_the_run(api: httpx.Client) -> None:
    assistant = post(api, "/assistants", {"model": "m"})["id"]
    body = {"assistant_id": assistant, "thread": {"messages": [{"role": "user", "content": "q"}]}}
    run = post(api, "/threads/runs", body)
    statuses(api, run["thread_id"], run["id"], 2)
    assert last_reply(api, run["thread_id"]).endswith("Last message: q")


def test_create_and_run_with_an_unknown_assistant_creates_nothing(api: httpx.Client) -> None:
    response = api.post("/threads/runs", json={"assistant_id": "asst_missing", "thread": {}})
    assert response.status_code == 404


def test_deleting_a_thread_removes_its_messages_and_runs(api: httpx.Client) -> None:
    thread, run = start(api)
    assert api.delete(f"/threads/{thread}").json() == {
        "id": thread,
        "object": "thread.deleted",
        "deleted": True,
    }
    assert api.get(f"/threads/{thread}/runs/{run}").status_code == 404
    assert api.get(f"/threads/{thread}/messages").status_code == 404
