"""The official openai==1.20.0 run helpers, unchanged, against the emulator over http and https.

`create_and_poll`, `create_and_run_poll` and `submit_tool_outputs_and_poll` send
`"stream": false`; `runs.stream`, `create_and_run_stream` and `submit_tool_outputs_stream` send
`"stream": true` and build the final run, steps and messages from the events with the SDK's own
accumulator. Each test runs twice: over http, and over https with the SDK trusting the CA the
emulator's certificate was made with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openai import AssistantEventHandler, AzureOpenAI

from reconciler.emulator import Emulator
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.server import BackgroundServer

API_VERSION = "2024-02-15-preview"
WEATHER = {
    "type": "function",
    "function": {
        "name": "weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city", "unit"],
        },
    },
}
QUESTION = "Weather in Lyon?"
REPLY = f"Emulated reply to 1 user message(s). Last message: {QUESTION}"


@pytest.fixture(scope="module", params=["http", "https"])
def client(request: pytest.FixtureRequest, tls: TlsFiles) -> Iterator[Any]:
    """One server per scheme for the module: each test makes its own objects."""
    secure = request.param == "https"
    with (
        BackgroundServer(Emulator.create(), tls=tls if secure else None) as server,
        httpx.Client(verify=tls.client_context() if secure else True) as http,
    ):
        assert server.url.startswith(f"{request.param}://")
        yield AzureOpenAI(
            azure_endpoint=server.url,
            api_key="any",
            api_version=API_VERSION,
            http_client=http,
            max_retries=0,
        )


class Recorder(AssistantEventHandler):  # type: ignore[misc]  # openai is untyped here (pyproject)
    """An event handler as programs write them: it keeps what each callback was given."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.text = ""
        self.calls: list[Any] = []
        self.steps_done: list[Any] = []

    def on_event(self, event: Any) -> None:
        self.events.append(event.event)

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.text += delta.value

    def on_tool_call_done(self, tool_call: Any) -> None:
        self.calls.append(tool_call)

    def on_run_step_done(self, run_step: Any) -> None:
        self.steps_done.append(run_step)


def start(client: Any, tools: list[dict[str, Any]]) -> tuple[Any, Any]:
    assistant = client.beta.assistants.create(model="gpt-4", tools=tools)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": QUESTION}])
    return assistant, thread


def outputs_for(run: Any) -> list[dict[str, str]]:
    """What a program does with the calls: read their arguments, answer each."""
    outputs = []
    for call in run.required_action.submit_tool_outputs.tool_calls:
        args = json.loads(call.function.arguments)
        outputs.append({"tool_call_id": call.id, "output": f"{args['city']}: 21 {args['unit']}"})
    return outputs


def newest_text(client: Any, thread_id: str) -> str:
    message = client.beta.threads.messages.list(thread_id, limit=1).data[0]
    assert message.role == "assistant"
    return str(message.content[0].text.value)


def test_create_and_poll_completes_a_run(client: Any) -> None:
    assistant, thread = start(client, [])
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=0
    )
    assert (run.status, run.thread_id) == ("completed", thread.id)
    assert newest_text(client, thread.id) == REPLY


def test_poll_helpers_drive_function_calls_to_completion(client: Any) -> None:
    assistant, _ = start(client, [WEATHER])
    runs = client.beta.threads.runs
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": QUESTION}]},
        poll_interval_ms=0,
    )
    assert run.status == "requires_action"
    outputs = outputs_for(run)
    assert outputs[0]["output"] == f"{QUESTION}: 21 celsius"

    run = runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=run.thread_id, tool_outputs=outputs, poll_interval_ms=0
    )

    assert run.status == "completed"
    assert newest_text(client, run.thread_id) == f"{REPLY} Tool outputs: {outputs[0]['output']}"
    steps = runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    assert steps[0].step_details.tool_calls[0].function.output == outputs[0]["output"]


def test_runs_stream_stops_at_requires_action_and_submit_stream_completes(client: Any) -> None:
    assistant, thread = start(client, [WEATHER])
    runs = client.beta.threads.runs

    with runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()) as s:
        s.until_done()
        run, steps = s.get_final_run(), s.get_final_run_steps()
    assert s.events == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.requires_action",
    ]
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert [(c.id, c.function.name, c.function.arguments) for c in s.calls] == [
        (call.id, "weather", call.function.arguments)
    ]
    assert [(step.type, step.step_details.tool_calls[0].id) for step in steps] == [
        ("tool_calls", call.id)
    ]
    assert runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"

    outputs = outputs_for(run)
    with runs.submit_tool_outputs_stream(
        run_id=run.id, thread_id=thread.id, tool_outputs=outputs, event_handler=Recorder()
    ) as s:
        run, messages = s.get_final_run(), s.get_final_messages()
    expected = f"{REPLY} Tool outputs: {outputs[0]['output']}"
    assert run.status == "completed"
    assert [m.content[0].text.value for m in messages] == [expected] == [s.text]
    assert messages[0].id == client.beta.threads.messages.list(thread.id, limit=1).data[0].id
    tool_step, message_step = s.steps_done
    assert tool_step.step_details.tool_calls[0].function.output == outputs[0]["output"]
    assert message_step.step_details.message_creation.message_id == messages[0].id
    assert s.events[:3] == [
        "thread.run.queued",
        "thread.run.step.completed",
        "thread.run.in_progress",
    ]
    assert s.events[-2:] == ["thread.run.step.completed", "thread.run.completed"]


def test_create_and_run_stream_builds_the_same_reply_as_a_polled_run(client: Any) -> None:
    assistant, thread = start(client, [])
    polled = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=0
    )

    with client.beta.threads.create_and_run_stream(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": QUESTION}]},
        event_handler=Recorder(),
    ) as s:
        deltas = "".join(s.text_deltas)
        run, messages, steps = s.get_final_run(), s.get_final_messages(), s.get_final_run_steps()

    assert s.events[0] == "thread.created"
    assert s.events[-1] == "thread.run.completed"
    assert (run.status, polled.status) == ("completed", "completed")
    assert deltas == s.text == messages[0].content[0].text.value == REPLY
    assert newest_text(client, polled.thread_id) == REPLY
    assert [step.step_details.message_creation.message_id for step in steps] == [messages[0].id]
    stored = client.beta.threads.messages.retrieve(messages[0].id, thread_id=run.thread_id)
    assert stored.content == messages[0].content
    assert (stored.run_id, stored.assistant_id) == (run.id, assistant.id)


def test_the_https_certificate_names_the_loopback_addresses(tls: TlsFiles) -> None:
    assert Path(tls.ca or "").read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")
    with BackgroundServer(Emulator.create(), host="127.0.0.1", tls=tls) as server:
        localhost = server.url.replace("127.0.0.1", "localhost")
        for url in (server.url, localhost):
            response = httpx.get(f"{url}/_emulator/stats", verify=tls.client_context())
            assert response.status_code == 200
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"{server.url}/_emulator/stats")  # the CA is not trusted by default
