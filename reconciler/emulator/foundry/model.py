"""The deterministic model behind `POST /responses`: the same input gives the same output.

It reads the whole context (earlier turns through `previous_response_id` or a conversation,
then this request's input) and answers, in this order:

1. this turn's input carries `function_call_output` items: **a message** that quotes them;
2. it carries `mcp_approval_response` items: each approved MCP call is **made** (`mcp_call`),
   each denied one noted, then a message;
3. **function calls**, when `tool_choice` is not `"none"` and a function tool is asked for:
   the last user message names it (its name, or a word of four letters or more of its name
   other than a verb like get/fetch/list: `get_horoscope` is asked for by "my horoscope?"),
   or `tool_choice` is `"required"` (the first function tool) or names one. One
   `function_call` per tool asked for, `arguments` filling the required properties only
   (core/arguments.py), strings taken from the last user message. The turn stops there;
4. otherwise each **hosted tool** (file_search, code_interpreter, mcp, openapi: hosted.py)
   runs once on the last user message, in the order the tools are listed, then a message. An
   MCP call that needs approval stops the turn at its `mcp_approval_request`.

The message is "Emulated reply to N user message(s). Last message: ...", followed by
" Tool outputs: ..." with what the tools gave (function outputs, or each hosted tool's summary);
file_search's results are cited as `file_citation` annotations. With structured output
(`text.format`), it is JSON instead: for `json_schema`, a value of the schema built as function
arguments are (required properties, strings from the last user message); for `json_object`,
`{"reply": <the message>}`. Usage counts tokens as
ceil(characters / 4) of the JSON of the context read and of the output written; a message
over `max_output_tokens` is cut there and the response is `incomplete`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.emulator.core.arguments import arguments
from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.replies import reply
from reconciler.emulator.core.state import new_id

CHARS_PER_TOKEN = 4
VERBS = frozenset({"fetch", "find", "list", "lookup", "query", "search", "create", "update"})
MIN_WORD = 4


@dataclass(frozen=True)
class Turn:
    """What the model sees: earlier items, this request's items, the tools and the choice."""

    history: list[Json]
    input: list[Json]
    tools: list[Json]
    tool_choice: Any = "auto"
    text_format: Json | None = None  # the request's `text.format`


@dataclass
class Ran:
    """What a hosted tool did: its output items, a summary for the reply, citations; `waits`
    when the turn must stop for the client (an approval request)."""

    items: list[Json]
    summary: str | None = None
    annotations: list[Json] = field(default_factory=list)
    waits: bool = False


class Hosted(Protocol):
    """The tools that run in the service (hosted.py)."""

    def runs(self, tool: Json) -> bool: ...

    def run(self, tool: Json, query: str, context: list[Json]) -> Ran: ...

    def resume(self, request: Json, approve: bool, context: list[Json]) -> Ran: ...


def answer(turn: Turn, hosted: Hosted) -> list[Json]:
    """The output items of one turn."""
    texts = [text for item in [*turn.history, *turn.input] for text in _user_texts(item)]
    last = texts[-1] if texts else ""
    outputs = [item for item in turn.input if item["type"] == "function_call_output"]
    if outputs:
        return [_message(reply(texts, [_output_text(item["output"]) for item in outputs]))]
    context = [*turn.history, *turn.input]
    approvals = [item for item in turn.input if item["type"] == "mcp_approval_response"]
    if approvals:
        ran = [
            hosted.resume(_request(context, a), bool(a.get("approve")), context) for a in approvals
        ]
        return _finish(texts, ran, turn.text_format)
    called = _called(turn, last)
    if called:
        return [_call(tool, last) for tool in called]
    ran = []
    for tool in turn.tools if turn.tool_choice != "none" else []:
        if hosted.runs(tool):
            ran.append(hosted.run(tool, last, context))
            if ran[-1].waits:
                return [item for done in ran for item in done.items]
    return _finish(texts, ran, turn.text_format)


def usage(turn: Turn, output: list[Json]) -> Json:
    read = _tokens([*turn.history, *turn.input])
    written = _tokens(output)
    return {
        "input_tokens": read,
        # Both required by the published spec and openai 3.x's ResponseUsage.
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": written,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": read + written,
    }


def limit(output: list[Json], max_tokens: int) -> bool:
    """Cut the output's text to `max_tokens`; whether anything was cut."""
    budget, cut = max_tokens * CHARS_PER_TOKEN, False
    for item in output:
        for part in item.get("content", []) if item["type"] == "message" else []:
            if len(part["text"]) > budget:
                part["text"], cut = part["text"][:budget], True
                part["annotations"] = [
                    a for a in part["annotations"] if a.get("index", 0) <= budget
                ]
                item["status"] = "incomplete"
            budget = max(0, budget - len(part["text"]))
    return cut


def _finish(texts: list[str], ran: list[Ran], text_format: Json | None) -> list[Json]:
    summaries = [done.summary for done in ran if done.summary]
    text = reply(texts, summaries)
    annotations = [{**note, "index": len(text)} for done in ran for note in done.annotations]
    kind = (text_format or {}).get("type")
    if kind in ("json_schema", "json_object"):  # structured output: JSON, no citations
        schema = (text_format or {}).get("schema") if kind == "json_schema" else None
        text, annotations = _structured(schema, texts[-1] if texts else "", text), []
    return [*(item for done in ran for item in done.items), _message(text, annotations)]


def _structured(schema: Any, last: str, text: str) -> str:
    if isinstance(schema, dict):
        return arguments(schema, last)
    return json.dumps({"reply": text}, ensure_ascii=False)


def _request(context: list[Json], approval: Json) -> Json:
    wanted = approval.get("approval_request_id")
    for item in context:
        if item["type"] == "mcp_approval_request" and item["id"] == wanted:
            return item
    message = f"No approval request found with id '{str(wanted)[:64]}'."
    raise bad_request(message, "input", "invalid_value")


def _called(turn: Turn, last: str) -> list[Json]:
    functions = [tool for tool in turn.tools if tool.get("type") == "function"]
    choice = turn.tool_choice
    if choice == "none" or not functions:
        return []
    if choice == "required":
        return functions[:1]
    if isinstance(choice, dict) and choice.get("type") == "function":
        return [tool for tool in functions if tool.get("name") == choice.get("name")][:1]
    return [tool for tool in functions if asked_for(str(tool.get("name", "")), last)]


def asked_for(name: str, text: str) -> bool:
    """Whether a message asks for a tool: it names it, or a telling word of its name."""
    lowered = text.lower()
    if name and name.lower() in lowered:
        return True
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    words = {w.lower() for w in re.split(r"[^A-Za-z]+", spaced) if len(w) >= MIN_WORD}
    said = set(re.findall(r"[a-z]+", lowered))
    return bool((words - VERBS) & said)


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


def _message(text: str, annotations: list[Json] | None = None) -> Json:
    part = {"type": "output_text", "text": text, "annotations": annotations or [], "logprobs": []}
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
