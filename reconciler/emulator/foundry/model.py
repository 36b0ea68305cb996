"""The deterministic model behind `POST /responses`: the same input gives the same output.

It reads the whole context (earlier turns through `previous_response_id` or a conversation,
then this request's input) and answers one of two ways:

- **a function call** when this turn's input has no tool output and the last user message names
  a function tool (its name, case-insensitive), or `tool_choice` asks for one (`"required"`:
  the first function tool; `{"type": "function", "name": ...}`: that one). One `function_call`
  per named tool, its `arguments` filled from the tool's `parameters` with the required
  properties only (core/arguments.py), strings taken from the last user message;
- otherwise **a message**: "Emulated reply to N user message(s). Last message: ...", followed by
  " Tool outputs: ..." when the input carries `function_call_output` items.

Usage counts tokens as ceil(characters / 4) of the JSON of the context read and of the output
written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reconciler.emulator.core.arguments import arguments
from reconciler.emulator.core.db import Json
from reconciler.emulator.core.replies import reply
from reconciler.emulator.core.state import new_id

CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Turn:
    """What the model sees: earlier items, this request's items, the tools and the choice."""

    history: list[Json]
    input: list[Json]
    tools: list[Json]
    tool_choice: Any = "auto"


def answer(turn: Turn) -> list[Json]:
    """The output items of one turn."""
    texts = [text for item in [*turn.history, *turn.input] for text in _user_texts(item)]
    outputs = [item for item in turn.input if item["type"] == "function_call_output"]
    called = [] if outputs else _called(turn, texts[-1] if texts else "")
    if called:
        last = texts[-1] if texts else ""
        return [_call(tool, last) for tool in called]
    return [_message(reply(texts, [_output_text(item["output"]) for item in outputs]))]


def usage(turn: Turn, output: list[Json]) -> Json:
    read = _tokens([*turn.history, *turn.input])
    written = _tokens(output)
    return {
        "input_tokens": read,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": written,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": read + written,
    }


def _called(turn: Turn, last: str) -> list[Json]:
    functions = [tool for tool in turn.tools if tool.get("type") == "function"]
    choice = turn.tool_choice
    if choice == "none" or not functions:
        return []
    if choice == "required":
        return functions[:1]
    if isinstance(choice, dict) and choice.get("type") == "function":
        return [tool for tool in functions if tool.get("name") == choice.get("name")][:1]
    return [tool for tool in functions if str(tool.get("name", "")).lower() in last.lower()]


def _call(tool: Json, text: str) -> Json:
    parameters = tool.get("parameters")
    schema = parameters if isinstance(parameters, dict) else {"type": "object"}
    return {
        "id": new_id("fc_"),
        "type": "function_call",
        "status": "completed",
        "call_id": new_id("call_"),
        "name": tool["name"],
        "arguments": arguments(schema, text),
    }


def _message(text: str) -> Json:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    return {
        "id": new_id("msg_"),
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [part],
    }


def _user_texts(item: Json) -> list[str]:
    if item["type"] != "message" or item.get("role") != "user":
        return []
    parts = [part.get("text") for part in item["content"] if part.get("type") == "input_text"]
    return [" ".join(text for text in parts if isinstance(text, str))]


def _output_text(output: Any) -> str:
    if isinstance(output, str):
        return output
    parts = [part.get("text") for part in output if isinstance(part, dict)]
    return " ".join(text for text in parts if isinstance(text, str))


def _tokens(items: list[Json]) -> int:
    return -(-len(json.dumps(items, ensure_ascii=False)) // CHARS_PER_TOKEN)
