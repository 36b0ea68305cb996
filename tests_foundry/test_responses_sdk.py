"""openai 3.x, as `AIProjectClient.get_openai_client()` returns it, runs responses unchanged.

Against a deployment name, with the emulator's deterministic model (README): a reply from the
input, a function call when asked, its output answered, turns chained and in a conversation.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import FunctionTool, PromptAgentDefinition

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
