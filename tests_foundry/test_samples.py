"""The official azure-ai-projects 2.10 samples, copied unchanged (samples/PROVENANCE.md), run
against the emulator as a user runs them: `python sample.py` with the variables they read.

How they run (the CA, the token from a stand-in Azure CLI) is sample_runs.py's. Each sample
must exit 0 and print what it prints against the service, with the emulator's
deterministic model (README, "The Foundry data plane") answering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.emulator.server import BackgroundServer
from tests_foundry.sample_runs import (
    SAMPLES,
    assert_printed_in_order,
    assert_released,
    released_digests,
    run_sample,
)

# sample -> lines (or parts of lines) its output must contain, in order
REPLY = "Emulated reply to"
EXPECTED: dict[str, list[str]] = {
    # Responses against a deployment: a reply, then a turn chained by previous_response_id
    "responses/sample_responses_basic.py": [
        f"Response output: {REPLY} 1 user message(s). Last message: What is the size",
        f"Response output: {REPLY} 2 user message(s). Last message: And what is the capital",
    ],
    # streamed: responses.create(stream=True), then responses.stream(...)
    "responses/sample_responses_stream_events.py": [
        "Stream response created with ID: resp_",
        f"{REPLY} 1 user message(s). Last message: Tell me about the capital city of France",
        "Response completed.",
    ],
    "responses/sample_responses_stream_manager.py": [
        "Stream response created with ID: resp_",
        f"{REPLY} 1 user message(s). Last message: Tell me about the capital city of France",
        "Response completed.",
    ],
    # structured output: JSON of the schema, from a request's and from an agent's text format
    "responses/sample_responses_structured_output.py": [
        'Response output: {"name": "Alice and Bob are going to a science fair this Friday, '
        'November 7, 2025.", "date": "Alice and Bob',
    ],
    "agents/sample_agent_structured_output.py": [
        'Response output: {"name": "Alice and Bob are going to a science fair',
        "Conversation deleted",
    ],
    # the agent's own endpoint (get_openai_client(agent_name=...)) with conversations
    "agents/sample_agent_basic.py": [
        "Agent endpoint configured for version 1",
        "Created conversation with initial user message (id: conv_",
        f"Response output: {REPLY} 1 user message(s). Last message: What is the size",
        "Added a second user message to the conversation",
        f"Response output: {REPLY} 2 user message(s). Last message: And what is the capital",
        "Conversation deleted",
    ],
    "agents/sample_agent_stream_events.py": [
        "Stream response created with ID: resp_",
        f"{REPLY} 1 user message(s). Last message: Tell me about the capital city of France",
        "Response completed.",
        "Conversation deleted",
    ],
    # a function tool: the call, its output sent back, the answer quoting it
    "agents/tools/sample_agent_function_tool.py": [
        "'type': 'function_call_output', 'call_id': 'call_",
        "Next Tuesday you will befriend a baby otter.",
        f"Agent response: {REPLY} 1 user message(s).",
        'Tool outputs: {"horoscope": "What is my horoscope? I am an Aquarius.: Next Tuesday',
    ],
    # file search over the uploaded file, cited by its real id and name
    "agents/tools/sample_agent_file_search.py": [
        "File uploaded to vector store (id: assistant-",
        f"Agent response: {REPLY} 1 user message(s). Last message: Tell me about Contoso products",
        "Tool outputs: file_search: product_info.md: ",
        "Agent deleted",
    ],
    "agents/tools/sample_agent_file_search_in_stream.py": [
        "Delta: file_search: ",
        "Response completed!",
        "File Citation - Filename: product_info.md, File ID: assistant-",
        "Follow-up completed!",
        f"Agent response: {REPLY} 2 user message(s). Last message: Tell me about Smart Eyewear",
        "Vector store deleted",
        "File search streaming sample completed!",
    ],
    # the code interpreter's recorded, labelled stand-in
    "agents/tools/sample_agent_code_interpreter.py": [
        "Code Interpreter code:\n# Recorded result (emulator): no code was run.",
        "Tool outputs: code_interpreter: Recorded result (emulator): code_interpreter runs no code.",
    ],
    # MCP: the approval request, approved, then the (stand-in: not loopback) call
    "agents/tools/sample_agent_mcp.py": [
        "'type': 'mcp_approval_response', 'approve': True, 'approval_request_id': 'mcpr_",
        "Tool outputs: mcp api-specs.emulated_tool: Recorded stand-in (emulator): it calls MCP "
        "servers on loopback only; https://gitmcp.io/Azure/azure-rest-api-specs was not called.",
    ],
    "agents/tools/sample_agent_mcp_with_project_connection.py": [
        "'type': 'mcp_approval_response', 'approve': True, 'approval_request_id': 'mcpr_",
        "Response: Emulated reply to 1 user message(s). Last message: What is my username",
        "https://api.githubcopilot.com/mcp was not called.",
    ],
    # OpenAPI: the recorded, labelled result of the spec's operation
    "agents/tools/sample_agent_openapi.py": [
        "Tool outputs: openapi get_weather: Recorded result (emulator): "
        "GET https://wttr.in/{location} (GetCurrentWeather) was not called.",
    ],
    "agents/tools/sample_agent_openapi_with_project_connection.py": [
        "Response created: Emulated reply to 1 user message(s). Last message: Recommend me 5 top",
        "Tool outputs: openapi tripadvisor: Recorded result (emulator): GET ",
    ],
    # structured inputs bound: the uploaded file reaches the code interpreter, the store the
    # file search
    "agents/tools/sample_agent_code_interpreter_structured_inputs.py": [
        "File uploaded (id: assistant-",
        "Code Interpreter code:",
        "Files given: assistant-",
        "Agent deleted",
    ],
    "agents/tools/sample_agent_file_search_structured_inputs.py": [
        f"Agent response: {REPLY} 1 user message(s). Last message: Tell me about Contoso products",
        "Tool outputs: file_search: product_info.md: ",
        "Agent deleted",
    ],
}


def project_connections(project: Any) -> dict[str, str]:
    """The connections the *_with_project_connection samples name: the emulator's demo ones."""
    return {
        "MCP_PROJECT_CONNECTION_ID": project.connections.get("mcp").id,
        "OPENAPI_PROJECT_CONNECTION_ID": project.connections.get("openapi").id,
    }


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_an_official_sample_runs_to_its_end(
    sample: str, server: BackgroundServer, ca_file: Path, project: Any
) -> None:
    output = run_sample(SAMPLES / sample, server, ca_file, project_connections(project))
    assert_printed_in_order(sample, output, EXPECTED[sample])


def test_the_samples_are_the_released_files() -> None:
    """Below its provenance header, each copy is the released file, byte for byte."""
    recorded = released_digests("PROVENANCE.md")
    assert set(EXPECTED) <= set(recorded)
    assert_released(recorded, headed=lambda name: name.endswith(".py"))
