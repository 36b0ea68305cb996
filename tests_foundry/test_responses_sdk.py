"""openai 3.x, as `AIProjectClient.get_openai_client()` returns it, runs responses unchanged.

Against a deployment name, with the emulator's deterministic model (README): a reply from the
input, a function call when asked, its output answered, turns chained and in a conversation;
streamed (both ways the client offers), in background, with the service's errors and a 429 the
client retries; an MCP server on loopback called through an agent.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import openai as openai_errors
import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import FunctionTool, MCPTool, PromptAgentDefinition
from pydantic import BaseModel

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.mcp_server import McpServer
from tests_foundry.conftest import PROJECT

MODEL = "gpt-4.1-mini"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "The weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": False,
}


def test_a_reply_then_a_chained_turn(openai: Any) -> None:
    first = openai.responses.create(model=MODEL, input="Hello")
    assert first.output_text == "Emulated reply to 1 user message(s). Last message: Hello"
    assert first.usage.total_tokens == first.usage.input_tokens + first.usage.output_tokens
    second = openai.responses.create(model=MODEL, input="Again", previous_response_id=first.id)
    assert second.output_text == "Emulated reply to 2 user message(s). Last message: Again"
    assert openai.responses.retrieve(second.id).output_text == second.output_text
    given = list(openai.responses.input_items.list(second.id))
    assert [item.content[0].text for item in given] == ["Again"]


def test_a_function_call_round_trip(openai: Any) -> None:
    called = openai.responses.create(
        model=MODEL, input="What does get_weather say for Paris?", tools=[WEATHER]
    )
    [call] = [item for item in called.output if item.type == "function_call"]
    assert json.loads(call.arguments) == {"city": "What does get_weather say for Paris?"}
    answered = openai.responses.create(
        model=MODEL,
        previous_response_id=called.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "22 C"}],
        tools=[WEATHER],
    )
    assert answered.output_text.endswith("Tool outputs: 22 C")


def test_responses_in_a_conversation(openai: Any) -> None:
    conversation = openai.conversations.create()
    reply = openai.responses.create(model=MODEL, input="Hi", conversation=conversation.id)
    assert reply.conversation.id == conversation.id
    items = list(openai.conversations.items.list(conversation.id, order="asc"))
    assert [item.role for item in items] == ["user", "assistant"]


def test_an_agent_reference_as_the_samples_send_it(openai: Any, project: Any) -> None:
    tool = FunctionTool(name="get_weather", parameters=WEATHER["parameters"], strict=False)
    definition = PromptAgentDefinition(model=MODEL, instructions="Be brief.", tools=[tool])
    agent = project.agents.create_version("weather-bot", definition=definition)
    reference = {"agent_reference": {"name": agent.name, "type": "agent_reference"}}
    called = openai.responses.create(input="Ask get_weather for Rome", extra_body=reference)
    [call] = called.output
    assert (call.type, call.name) == ("function_call", "get_weather")
    answered = openai.responses.create(
        previous_response_id=called.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "30 C"}],
        extra_body=reference,
    )
    assert answered.output_text.endswith("Tool outputs: 30 C")
    assert answered.model == MODEL


def test_get_openai_client_with_an_agent_name(
    server: Any, ca_file: Any, credential: Any, tls: Any
) -> None:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    with (
        AIProjectClient(
            endpoint=endpoint,
            credential=credential,
            connection_verify=str(ca_file),
            allow_preview=True,
        ) as project,
        httpx2.Client(verify=tls.client_context()) as http,
    ):
        project.agents.create_version("greeter", definition=PromptAgentDefinition(model=MODEL))
        client = project.get_openai_client(agent_name="greeter", http_client=http)
        reply = client.responses.create(input="Hello")
        assert reply.output_text == "Emulated reply to 1 user message(s). Last message: Hello"


def test_streamed_answers_equal_the_plain_one(openai: Any) -> None:
    plain = openai.responses.create(model=MODEL, input="Stream me")
    events = list(openai.responses.create(model=MODEL, input="Stream me", stream=True))
    assert [event.sequence_number for event in events] == list(range(len(events)))
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert "".join(deltas) == plain.output_text
    assert events[-1].type == "response.completed"
    with openai.responses.stream(model=MODEL, input="Stream me") as stream:
        texts = [event.delta for event in stream if event.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(texts) == final.output_text == plain.output_text
    assert final.usage.output_tokens == plain.usage.output_tokens
    assert openai.responses.retrieve(final.id).output_text == plain.output_text


def test_a_streamed_function_call(openai: Any) -> None:
    with openai.responses.stream(
        model=MODEL, input="get_weather for Lima", tools=[WEATHER]
    ) as stream:
        final = stream.get_final_response()
    [call] = final.output
    assert (call.type, call.name) == ("function_call", "get_weather")
    assert json.loads(call.arguments) == {"city": "get_weather for Lima"}


def test_background_polls_to_done_and_cancels(openai: Any) -> None:
    queued = openai.responses.create(model=MODEL, input="Later", background=True)
    seen = [queued.status]
    response = queued
    while response.status in ("queued", "in_progress"):
        response = openai.responses.retrieve(queued.id)
        seen.append(response.status)
    assert seen == ["queued", "in_progress", "completed"]
    assert response.output_text.endswith("Last message: Later")
    other = openai.responses.create(model=MODEL, input="Never", background=True)
    assert openai.responses.cancel(other.id).status == "cancelled"
    assert openai.responses.cancel(response.id).status == "completed"  # ended: unchanged
    foreground = openai.responses.create(model=MODEL, input="Now")
    with pytest.raises(openai_errors.BadRequestError):
        openai.responses.cancel(foreground.id)


def test_the_services_errors(openai: Any) -> None:
    unstored = openai.responses.create(model=MODEL, input="x", store=False)
    with pytest.raises(openai_errors.NotFoundError):
        openai.responses.retrieve(unstored.id)
    with pytest.raises(openai_errors.NotFoundError) as unknown:
        openai.responses.create(model="gpt-nope", input="x")
    assert unknown.value.code == "DeploymentNotFound"
    called = openai.responses.create(model=MODEL, input="get_weather?", tools=[WEATHER])
    with pytest.raises(openai_errors.BadRequestError) as pending:
        openai.responses.create(model=MODEL, input="and?", previous_response_id=called.id)
    assert "No tool output found for function call" in pending.value.message
    cut = openai.responses.create(model=MODEL, input="long " * 40, max_output_tokens=16)
    assert (cut.status, cut.incomplete_details.reason) == ("incomplete", "max_output_tokens")


def test_a_429_is_retried_after_its_retry_after(openai: Any, emulator: Emulator) -> None:
    emulator.faults.update({"fault_429_next": 1, "retry_after_ms": 1})
    assert openai.responses.create(model=MODEL, input="Hi").status == "completed"
    assert (
        emulator.stats.snapshot()["requests"]["POST /api/projects/{project}/openai/v1/responses"]
        == 2
    )
    emulator.faults.update({"fault_429_next": 1})
    with pytest.raises(openai_errors.RateLimitError):
        openai.with_options(max_retries=0).responses.create(model=MODEL, input="Hi")


def test_an_mcp_server_on_loopback_through_an_agent(openai: Any, project: Any) -> None:
    with BackgroundServer(McpServer()) as mcp:
        tool = MCPTool(server_label="local", server_url=f"{mcp.url}/mcp", require_approval="always")
        definition = PromptAgentDefinition(model=MODEL, instructions="Use MCP.", tools=[tool])
        agent = project.agents.create_version("mcp-bot", definition=definition)
        reference = {"agent_reference": {"name": agent.name, "type": "agent_reference"}}
        asked = openai.responses.create(input="echo this", extra_body=reference)
        [listed, request] = asked.output
        assert (listed.type, request.type, request.name) == (
            "mcp_list_tools",
            "mcp_approval_request",
            "echo",
        )
        approval = {
            "type": "mcp_approval_response",
            "approve": True,
            "approval_request_id": request.id,
        }
        done = openai.responses.create(
            input=[approval], previous_response_id=asked.id, extra_body=reference
        )
    assert done.output[0].type == "mcp_call"
    assert done.output[0].output == "echo: echo this"
    assert done.output_text.endswith("mcp local.echo: echo: echo this")


class CalendarEvent(BaseModel):
    model_config = {"extra": "forbid"}
    name: str
    participants: list[str]


def test_structured_output_parses(openai: Any) -> None:
    parsed = openai.responses.parse(
        model=MODEL, input="Alice meets Bob", text_format=CalendarEvent
    ).output_parsed
    assert parsed == CalendarEvent(name="Alice meets Bob", participants=["Alice meets Bob"])


def test_a_streamed_file_search_equals_the_plain_one(openai: Any) -> None:
    store = openai.vector_stores.create(name="kb")
    guide = ("guide.md", b"# Guide\n\nThe battery lasts ten hours.\n")
    uploaded = openai.vector_stores.files.upload_and_poll(vector_store_id=store.id, file=guide)
    tool = {"type": "file_search", "vector_store_ids": [store.id]}
    ask = {"model": MODEL, "input": "battery?", "tools": [tool]}
    plain = openai.responses.create(**ask)
    with openai.responses.stream(**ask) as stream:
        final = stream.get_final_response()
    assert final.output_text == plain.output_text
    assert final.output_text.endswith("file_search: guide.md: The battery lasts ten hours.")
    assert [item.type for item in final.output] == ["file_search_call", "message"]
    [citation] = final.output[1].content[0].annotations
    assert (citation.type, citation.file_id, citation.filename) == (
        "file_citation",
        uploaded.id,
        "guide.md",
    )
