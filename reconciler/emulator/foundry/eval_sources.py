"""A run's data source: its rows, and for each row the sample a target produced.

Served types (the rest answer 501 `not_implemented_by_emulator`, naming `data_source.type`):
- `azure_ai_target_completions` (Foundry): `target` `{type: azure_ai_agent, name, version?}`
  runs the agent version (default: the latest), `{type: azure_ai_model, model}` the model;
- `completions` (OpenAI): `model` runs the model;
- `jsonl` (OpenAI): no generation; a row's own `sample` is graded.
Rows come from `source` `{type: file_content, content: [{item, sample?}]}` or `{type: file_id,
id}`, a JSONL file of the project (each line `{"item": {...}}` or the row itself). A target turn
renders `input_messages` (`{type: template, template: [{role, content}]}` with `{{item.x}}`
filled, or `{type: item_reference, item_reference: "item.messages"}`) and runs it through the
emulator's deterministic responses model (responses.create, `store: false`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import ApiError, ServiceError, bad_request
from reconciler.emulator.core.gateway import NOT_SERVED, NOT_SERVED_CODE, NOT_SERVED_HEADERS
from reconciler.emulator.foundry import agent_reference, files, graders, responses
from reconciler.emulator.foundry.state import Foundry

GENERATING = ("azure_ai_target_completions", "completions")
SERVED = (*GENERATING, "jsonl")
TARGETS = ("azure_ai_agent", "azure_ai_model")
MAX_ROWS = 1000
P = "data_source"


@dataclass(frozen=True)
class Source:
    """What a run reads: its rows, and how to make each row's sample (None: the row's own)."""

    rows: list[Json]
    turn: Json | None = None  # the responses body every row's messages are added to
    model: str = ""
    messages: Json | None = None
    sampling: Json = field(default_factory=dict)


def parse(fd: Foundry, raw: Any) -> Source:
    if not isinstance(raw, dict):
        raise bad_request(f"Invalid type for '{P}': expected an object.", P, "invalid_type")
    kind = raw.get("type")
    if kind not in SERVED:
        message = f"The emulator does not run data sources of type '{str(kind)[:64]}'."
        unserved = ServiceError(
            NOT_SERVED, message, param=f"{P}.type", code=NOT_SERVED_CODE, kind="not_implemented"
        )
        unserved.headers = dict(NOT_SERVED_HEADERS)
        raise unserved
    rows = _rows(fd, raw.get("source"))
    if kind == "jsonl":
        return Source(rows)
    messages = _messages(raw.get("input_messages"))
    if kind == "completions":
        model = _string(raw.get("model"), f"{P}.model")
        sampling = raw.get("sampling_params") or {}
        return Source(rows, {"model": model}, model, messages, _dict(sampling))
    turn, model, sampling = _target(fd, raw.get("target"))
    return Source(rows, turn, model, messages, sampling)


def _rows(fd: Foundry, source: Any) -> list[Json]:
    where = f"{P}.source"
    if not isinstance(source, dict) or source.get("type") not in ("file_content", "file_id"):
        message = (
            f"Invalid '{where}': expected {{type: file_content, content}} or {{type: file_id, id}}."
        )
        raise bad_request(message, where, "invalid_value")
    lines: Any = source.get("content")
    if source["type"] == "file_id":
        lines = _file_lines(fd, _string(source.get("id"), f"{where}.id"))
    elif not isinstance(lines, list):
        message = f"Invalid type for '{where}.content': expected an array."
        raise bad_request(message, f"{where}.content", "invalid_type")
    if len(lines) > MAX_ROWS:
        message = f"Invalid '{where}': at most {MAX_ROWS} rows, got {len(lines)}."
        raise bad_request(message, where, "array_above_max_length")
    return [_row(line, f"{where}.content[{index}]") for index, line in enumerate(lines)]


def _file_lines(fd: Foundry, file_id: str) -> list[Any]:
    _, data = files.content(fd, file_id)
    lines = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            lines.append(json.loads(line))
        except (ValueError, RecursionError):
            message = f"Invalid file '{file_id[:64]}': line {number} is not JSON."
            raise bad_request(message, f"{P}.source.id", "invalid_value") from None
    return lines


def _row(line: Any, where: str) -> Json:
    if not isinstance(line, dict):
        raise bad_request(f"Invalid type for '{where}': expected an object.", where, "invalid_type")
    if "item" not in line:  # a dataset row is the item itself
        return {"item": line}
    if not isinstance(line["item"], dict):
        message = f"Invalid type for '{where}.item': expected an object."
        raise bad_request(message, f"{where}.item", "invalid_type")
    sample = line.get("sample")
    return {"item": line["item"], "sample": sample if isinstance(sample, dict) else None}


def _messages(raw: Any) -> Json:
    where = f"{P}.input_messages"
    if not isinstance(raw, dict) or raw.get("type") not in ("template", "item_reference"):
        message = f"Invalid '{where}': expected a `template` or an `item_reference`."
        raise bad_request(message, where, "invalid_value")
    if raw["type"] == "item_reference":
        _string(raw.get("item_reference"), f"{where}.item_reference")
        return raw
    template = raw.get("template")
    if not isinstance(template, list) or not template:
        message = f"Invalid '{where}.template': expected a non-empty array of messages."
        raise bad_request(message, f"{where}.template", "invalid_value")
    for index, entry in enumerate(template):
        if not isinstance(entry, dict) or not isinstance(entry.get("role"), str):
            message = f"Invalid '{where}.template[{index}]': expected a message with a role."
            raise bad_request(message, f"{where}.template[{index}]", "invalid_value")
        _text_of(entry.get("content"), f"{where}.template[{index}].content")
    return raw


def _target(fd: Foundry, raw: Any) -> tuple[Json, str, Json]:
    where = f"{P}.target"
    if not isinstance(raw, dict) or raw.get("type") not in TARGETS:
        supported = ", ".join(f"'{name}'" for name in TARGETS)
        message = f"Invalid '{where}.type': supported values are: {supported}."
        raise bad_request(message, f"{where}.type", "invalid_value")
    sampling = _dict(raw.get("sampling_params") or {})
    if raw["type"] == "azure_ai_model":
        model = _string(raw.get("model"), f"{where}.model")
        return {"model": model}, model, sampling
    reference = {"type": "agent_reference", "name": _string(raw.get("name"), f"{where}.name")}
    if raw.get("version") is not None:
        reference["version"] = str(raw["version"])
    agent = agent_reference.resolve(fd, {"agent_reference": reference})  # 404: no such agent
    assert agent is not None
    return {"agent_reference": agent.reference}, agent.model, sampling


def generate(fd: Foundry, source: Source, row: Json) -> tuple[list[Json], Json, Json | None]:
    """The row's input messages, its sample, and the error of its turn (None when it ran)."""
    if source.turn is None:
        return [], row.get("sample") or {}, None
    messages = _render(source.messages or {}, row["item"])
    try:
        response = responses.create(fd, {**source.turn, "input": messages, "store": False})
    except ApiError as error:
        body = error.body().get("error", {})
        return (
            messages,
            {},
            {"code": str(body.get("code") or error.status), "message": error.message},
        )
    texts = [
        part.get("text", "")
        for item in response["output"]
        if item.get("type") == "message"
        for part in item.get("content", [])
        if part.get("type") == "output_text"
    ]
    sample = {
        "output_text": "".join(texts),
        "output_items": response["output"],
        "model": response["model"],
        "usage": response["usage"],
    }
    return messages, sample, None


def _render(messages: Json, item: Json) -> list[Json]:
    if messages["type"] == "item_reference":
        found = graders.lookup(messages["item_reference"], item, {})
        entries = found if isinstance(found, list) else []
        return [
            {"role": entry.get("role", "user"), "content": _text_of(entry.get("content"), "")}
            for entry in entries
            if isinstance(entry, dict)
        ]
    return [
        {"role": entry["role"], "content": graders.fill(_text_of(entry["content"], ""), item, {})}
        for entry in messages["template"]
    ]


def _text_of(content: Any, where: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict) and isinstance(content.get("text"), str):
        return str(content["text"])
    if where:
        message = f"Invalid '{where}': expected a string or a text part."
        raise bad_request(message, where, "invalid_value")
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def _string(raw: Any, param: str) -> str:
    if not isinstance(raw, str) or not raw:
        raise bad_request(
            f"Missing required parameter: '{param}'.", param, "missing_required_parameter"
        )
    return raw


def _dict(raw: Any) -> Json:
    if not isinstance(raw, dict):
        message = "Invalid type for 'sampling_params': expected an object."
        raise bad_request(message, f"{P}.sampling_params", "invalid_type")
    return raw
