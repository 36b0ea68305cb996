"""The official OpenAI Python SDK as an unmodified third-party client of the emulator.

openai==1.20.0 is the last release that speaks Assistants v1 (``file_ids``). It is used as shipped,
over loopback HTTP, against a real uvicorn server: if the emulator's wire format drifts from what
clients of Azure OpenAI expect, these tests see it the way a user's program would.

``http_client=httpx.Client()`` is configuration, not modification: openai 1.20 builds its default
client with a ``proxies`` argument that httpx 0.28 removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
import pytest
from openai import AzureOpenAI

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.spec import PREFIX, operations

API_VERSION = "2024-02-15-preview"
MODEL = "gpt-4"
# Every byte value, CR/LF pairs and a NUL: a download must give back exactly what was uploaded.
DATA = bytes(range(256)) + b"\r\n\x00line two\r\n" + "naïve ☃\n".encode()
LOOKUP = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look a word up.",
        "parameters": {"type": "object", "properties": {"word": {"type": "string"}}},
    },
}
# The emulator moves a run one state per retrieval; no run needs more than a handful.
MAX_POLLS = 10


@contextmanager
def sdk(url: str, key: str = "any") -> Iterator[Any]:
    """An AzureOpenAI client for the emulator at url, closed afterwards."""
    with httpx.Client() as http:
        yield AzureOpenAI(
            azure_endpoint=url,
            api_key=key,
            api_version=API_VERSION,
            http_client=http,
            max_retries=0,
        )


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[Any]:
    with sdk(server.url) as connected:
        yield connected


def poll(client: Any, run: Any, until: str) -> Any:
    """Retrieve the run until it reaches the status `until`, failing if it settles elsewhere."""
    seen = [run.status]
    for _ in range(MAX_POLLS):
        if run.status == until:
            return run
        run = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
        seen.append(run.status)
    pytest.fail(f"run {run.id} never reached {until!r}; statuses seen: {seen}")


def text_of(message: Any) -> str:
    assert [part.type for part in message.content] == ["text"]
    value: str = message.content[0].text.value
    return value


# --- Every operation of the spec, through the SDK -------------------------------------------------


def test_every_operation_of_the_spec_through_the_sdk(client: Any, control: httpx.Client) -> None:
    first, second = _files_tour(client)
    assistant = _assistants_tour(client, first, second)
    thread, message = _threads_and_messages_tour(client, assistant, first, second)
    _runs_tour(client, assistant, thread)
    _create_and_run_and_cancel_tour(client, assistant)
    _deletions_tour(client, assistant, thread, message, first, second)

    stats = control.get("/stats").json()["requests"]
    expected = {f"{op.method} {PREFIX}{op.path}" for op in operations()}
    assert len(expected) == 32
    assert sorted(expected - set(stats)) == []
    # The SDK reached nothing the emulator could not route, and only documented operations
    # plus the file content download, which Azure serves and the spec omits.
    assert set(stats) - expected == {f"GET {PREFIX}/files/{{fileId}}/content"}


def _files_tour(client: Any) -> tuple[Any, Any]:
    first = client.files.create(file=("notes.txt", DATA), purpose="assistants")
    second = client.files.create(file=("table.csv", b"a,b\n1,2\n"), purpose="assistants")
    assert (first.object, first.filename, first.bytes) == ("file", "notes.txt", len(DATA))
    assert (first.purpose, first.status) == ("assistants", "processed")
    assert first.id.startswith("assistant-")

    assert client.files.retrieve(first.id) == first
    listed = client.files.list(purpose="assistants")
    assert {f.id for f in listed} == {first.id, second.id}
    assert client.files.content(first.id).content == DATA
    return first, second


def _assistants_tour(client: Any, first: Any, second: Any) -> Any:
    assistant = client.beta.assistants.create(
        model=MODEL,
        name="Tour guide",
        instructions="Answer briefly.",
        tools=[{"type": "code_interpreter"}, LOOKUP],
        file_ids=[first.id],
        metadata={"stage": "one"},
    )
    assert assistant.id.startswith("asst_")
    assert (assistant.name, assistant.description, assistant.model) == ("Tour guide", None, MODEL)
    assert [tool.type for tool in assistant.tools] == ["code_interpreter", "function"]
    assert assistant.tools[1].function.name == "lookup"
    assert (assistant.file_ids, assistant.metadata) == ([first.id], {"stage": "one"})
    assert client.beta.assistants.retrieve(assistant.id) == assistant

    updated = client.beta.assistants.update(assistant.id, name="Guide", metadata={"stage": "two"})
    assert (updated.name, updated.metadata, updated.instructions) == (
        "Guide",
        {"stage": "two"},
        "Answer briefly.",
    )
    assert [a.id for a in client.beta.assistants.list()] == [assistant.id]

    files = client.beta.assistants.files
    attached = files.create(assistant.id, file_id=second.id)
    assert (attached.id, attached.object, attached.assistant_id) == (
        second.id,
        "assistant.file",
        assistant.id,
    )
    assert [f.id for f in files.list(assistant.id, order="asc")] == [first.id, second.id]
    assert files.retrieve(second.id, assistant_id=assistant.id) == attached
    unlinked = files.delete(second.id, assistant_id=assistant.id)
    assert (unlinked.id, unlinked.object, unlinked.deleted) == (
        second.id,
        "assistant.file.deleted",
        True,
    )
    # The assistant's file_ids and its file list are two views of one set.
    assert client.beta.assistants.retrieve(assistant.id).file_ids == [first.id]
    assert client.files.retrieve(second.id).id == second.id  # unlinking leaves the file
    return updated


def _threads_and_messages_tour(
    client: Any, assistant: Any, first: Any, second: Any
) -> tuple[Any, Any]:
    threads, messages = client.beta.threads, client.beta.threads.messages
    thread = threads.create(
        messages=[{"role": "user", "content": "What is a reconciler?", "file_ids": [first.id]}],
        metadata={"topic": "tour"},
    )
    assert (thread.object, thread.metadata) == ("thread", {"topic": "tour"})
    assert threads.retrieve(thread.id) == thread
    assert threads.update(thread.id, metadata={"topic": "changed"}).metadata == {"topic": "changed"}

    message = messages.create(thread.id, role="user", content="And a plan?", file_ids=[second.id])
    assert (message.thread_id, message.role, text_of(message)) == (thread.id, "user", "And a plan?")
    assert message.file_ids == [second.id]
    listed = messages.list(thread.id, order="asc")
    assert [text_of(m) for m in listed] == ["What is a reconciler?", "And a plan?"]
    assert messages.retrieve(message.id, thread_id=thread.id) == message
    changed = messages.update(message.id, thread_id=thread.id, metadata={"seen": "yes"})
    assert changed.metadata == {"seen": "yes"}

    message_files = messages.files.list(message.id, thread_id=thread.id)
    assert [(f.id, f.object, f.message_id) for f in message_files] == [
        (second.id, "thread.message.file", message.id)
    ]
    got = messages.files.retrieve(second.id, thread_id=thread.id, message_id=message.id)
    assert got == message_files.data[0]
    return thread, message


def _runs_tour(client: Any, assistant: Any, thread: Any) -> None:
    runs = client.beta.threads.runs
    run = runs.create(thread.id, assistant_id=assistant.id, metadata={"try": "1"})
    assert (run.status, run.assistant_id, run.thread_id, run.model) == (
        "queued",
        assistant.id,
        thread.id,
        MODEL,
    )
    run = poll(client, run, "requires_action")
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert (call.type, call.function.name) == ("function", "lookup")
    run = runs.submit_tool_outputs(
        run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "found"}]
    )
    run = poll(client, run, "completed")
    assert [r.id for r in runs.list(thread.id)] == [run.id]
    assert runs.update(run.id, thread_id=thread.id, metadata={"try": "2"}).metadata == {"try": "2"}

    steps = runs.steps.list(run.id, thread_id=thread.id, order="asc")
    assert [(s.type, s.status) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    tool_step, message_step = steps.data
    assert tool_step.step_details.tool_calls[0].function.output == "found"
    assert runs.steps.retrieve(message_step.id, thread_id=thread.id, run_id=run.id) == message_step
    reply = client.beta.threads.messages.retrieve(
        message_step.step_details.message_creation.message_id, thread_id=thread.id
    )
    assert (reply.role, reply.run_id, reply.assistant_id) == ("assistant", run.id, assistant.id)
    assert "found" in text_of(reply)  # the emulator's reply quotes the tool outputs


def _create_and_run_and_cancel_tour(client: Any, assistant: Any) -> None:
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Start, then stop."}]},
    )
    assert run.status == "queued"
    messages = client.beta.threads.messages.list(run.thread_id)
    assert [text_of(m) for m in messages] == ["Start, then stop."]
    cancelling = client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id)
    assert (cancelling.id, cancelling.status) == (run.id, "cancelling")
    cancelled = poll(client, cancelling, "cancelled")
    assert cancelled.cancelled_at is not None


def _deletions_tour(
    client: Any, assistant: Any, thread: Any, message: Any, first: Any, second: Any
) -> None:
    deleted = client.beta.threads.delete(thread.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (thread.id, "thread.deleted", True)
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)

    gone = client.beta.assistants.delete(assistant.id)
    assert (gone.id, gone.object, gone.deleted) == (assistant.id, "assistant.deleted", True)

    for file in (first, second):
        removed = client.files.delete(file.id)
        assert (removed.id, removed.object, removed.deleted) == (file.id, "file", True)
    assert list(client.files.list()) == []


# --- Lists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_auto_pagination_visits_every_assistant_once_in_order(client: Any, order: str) -> None:
    created = [client.beta.assistants.create(model=MODEL, name=f"a{i:02}").id for i in range(25)]
    expected = created if order == "asc" else created[::-1]

    seen = [a.id for a in client.beta.assistants.list(limit=10, order=order)]

    assert seen == expected
    assert len(set(seen)) == 25


def test_pages_carry_cursors_and_before_pages_backwards(client: Any) -> None:
    created = [client.beta.assistants.create(model=MODEL).id for _ in range(25)]
    assistants = client.beta.assistants

    page = assistants.list(limit=10, order="asc")
    assert [a.id for a in page.data] == created[:10]
    assert (page.first_id, page.last_id, page.has_more) == (created[0], created[9], True)

    last = assistants.list(limit=10, order="asc", after=created[19])
    assert [a.id for a in last.data] == created[20:]
    assert last.has_more is False

    before = assistants.list(limit=10, order="asc", before=created[15])
    assert [a.id for a in before.data] == created[5:15]

    empty = assistants.list(order="asc", after=created[-1])
    assert (empty.data, empty.first_id, empty.last_id, empty.has_more) == ([], None, None, False)
    assert empty.has_next_page() is False


def test_message_pages_follow_the_thread_in_both_orders(client: Any) -> None:
    texts = [f"message {i}" for i in range(12)]
    thread = client.beta.threads.create(messages=[{"role": "user", "content": t} for t in texts])
    messages = client.beta.threads.messages

    assert [text_of(m) for m in messages.list(thread.id, limit=5, order="asc")] == texts
    assert [text_of(m) for m in messages.list(thread.id, limit=5)] == texts[::-1]


# --- Files ----------------------------------------------------------------------------------------


def test_upload_then_download_is_byte_exact(client: Any) -> None:
    uploaded = client.files.create(file=("data.bin", DATA), purpose="assistants")

    downloaded = client.files.content(uploaded.id)

    assert downloaded.content == DATA
    assert client.files.retrieve(uploaded.id).bytes == len(DATA)
    client.files.delete(uploaded.id)
    with pytest.raises(openai.NotFoundError):
        client.files.content(uploaded.id)


def test_download_of_a_file_with_a_non_ascii_name(client: Any) -> None:
    # File names come from users: accents and CJK are everyday names, not edge cases.
    uploaded = client.files.create(file=("résumé 文件.txt", DATA), purpose="assistants")
    assert uploaded.filename == "résumé 文件.txt"

    assert client.files.content(uploaded.id).content == DATA


def test_files_list_filters_by_purpose(client: Any) -> None:
    kept = client.files.create(file=("a.txt", b"a"), purpose="assistants")
    other = client.files.create(file=("b.jsonl", b'{"prompt": "p"}\n'), purpose="fine-tune")

    assert [f.id for f in client.files.list(purpose="assistants")] == [kept.id]
    assert {f.id for f in client.files.list()} == {kept.id, other.id}


# --- Runs -----------------------------------------------------------------------------------------


def test_run_without_tools_completes_and_its_reply_is_readable(client: Any) -> None:
    assistant = client.beta.assistants.create(model=MODEL, instructions="Be terse.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello there"}])
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)

    statuses = [run.status]
    while run.status not in ("completed", "failed", "cancelled", "expired"):
        assert len(statuses) <= MAX_POLLS
        run = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
        statuses.append(run.status)

    assert statuses == ["queued", "in_progress", "completed"]
    assert (run.instructions, run.last_error, run.required_action) == ("Be terse.", None, None)
    reply, question = client.beta.threads.messages.list(thread.id).data
    assert text_of(question) == "Hello there"
    assert (reply.role, reply.run_id, reply.assistant_id) == ("assistant", run.id, assistant.id)
    assert "Hello there" in text_of(reply)


def test_sdk_poll_helper_drives_function_calls_to_completion(client: Any) -> None:
    # runs.poll only retrieves; the *_and_poll and streaming helpers are in test_sdk_helpers.py.
    assistant = client.beta.assistants.create(model=MODEL, tools=[LOOKUP])
    runs = client.beta.threads.runs
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Look up 'emulator'."}]},
    )

    run = runs.poll(run.id, run.thread_id, poll_interval_ms=1)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    outputs = [{"tool_call_id": call.id, "output": "a stand-in"} for call in calls]
    run = runs.submit_tool_outputs(run.id, thread_id=run.thread_id, tool_outputs=outputs)
    run = runs.poll(run.id, run.thread_id, poll_interval_ms=1)

    assert run.status == "completed"
    reply = client.beta.threads.messages.list(run.thread_id, limit=1).data[0]
    assert "a stand-in" in text_of(reply)


def test_cancelled_run_cancels_its_pending_tool_step(client: Any) -> None:
    assistant = client.beta.assistants.create(model=MODEL, tools=[LOOKUP])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Go"}])
    runs = client.beta.threads.runs
    run = poll(client, runs.create(thread.id, assistant_id=assistant.id), "requires_action")

    assert runs.cancel(run.id, thread_id=thread.id).status == "cancelling"
    run = poll(client, runs.retrieve(run.id, thread_id=thread.id), "cancelled")

    assert run.required_action is None
    assert [(s.type, s.status) for s in runs.steps.list(run.id, thread_id=thread.id)] == [
        ("tool_calls", "cancelled")
    ]
    with pytest.raises(openai.BadRequestError):
        runs.cancel(run.id, thread_id=thread.id)
    # The thread is free again: a new message and a new run are accepted.
    client.beta.threads.messages.create(thread.id, role="user", content="Again")
    assert runs.create(thread.id, assistant_id=assistant.id).status == "queued"


def test_run_and_step_times_are_unix_seconds(client: Any) -> None:
    # Azure sends every run and step time as Unix seconds, like created_at (its own examples for
    # 2024-02-15-preview: get_run.json "started_at": 1707303197, get_run_step.json
    # "completed_at": 1699063291), and the SDK types them as int.
    assistant = client.beta.assistants.create(model=MODEL)
    run = client.beta.threads.create_and_run(assistant_id=assistant.id)
    assert isinstance(run.expires_at, int)
    run = poll(client, run, "completed")
    step = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data[0]

    assert isinstance(run.started_at, int)
    assert isinstance(run.completed_at, int)
    assert isinstance(step.completed_at, int)
    assert run.created_at <= run.started_at <= run.completed_at
    # The SDK's own serialisation round-trips (it warns on a str where it expects an int).
    assert run.model_dump()["completed_at"] == run.completed_at
    assert step.model_dump()["completed_at"] == step.completed_at


# --- Errors as the SDK's exception classes ---------------------------------------------------------


def test_missing_assistant_is_a_not_found_error(client: Any) -> None:
    missing = "asst_" + "0" * 24

    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.assistants.retrieve(missing)

    assert caught.value.status_code == 404
    assert caught.value.type == "invalid_request_error"
    assert missing in caught.value.message


def test_over_long_name_is_a_bad_request_error(client: Any) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.assistants.create(model=MODEL, name="n" * 257)

    assert caught.value.status_code == 400
    assert (caught.value.param, caught.value.code) == ("name", "string_above_max_length")
    assert list(client.beta.assistants.list()) == []


def test_wrong_key_is_an_authentication_error() -> None:
    with BackgroundServer(Emulator.create(api_key="the-right-key")) as running:
        with (
            sdk(running.url, key="the-wrong-key") as wrong,
            pytest.raises(openai.AuthenticationError) as caught,
        ):
            wrong.beta.assistants.list()
        assert caught.value.status_code == 401
        assert caught.value.body["code"] == "401"

        with sdk(running.url, key="the-right-key") as right:
            assert list(right.beta.assistants.list()) == []


def test_function_arguments_fill_required_properties_only(client: Any) -> None:
    """An optional array stays out: once filled, a program sent the message text as file ids."""
    note = {
        "type": "function",
        "function": {
            "name": "save_note",
            "parameters": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "file_ids": {"type": "array", "items": {"type": "string"}},
                    "pinned": {"type": "boolean"},
                },
                "required": ["text"],
            },
        },
    }
    assistant = client.beta.assistants.create(model=MODEL, tools=[note])
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Remember the blue door."}]},
    )
    run = client.beta.threads.runs.poll(run.id, run.thread_id, poll_interval_ms=1)
    [call] = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.name == "save_note"
    assert json.loads(call.function.arguments) == {"text": "Remember the blue door."}
