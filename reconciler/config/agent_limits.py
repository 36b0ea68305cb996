"""Foundry agent limits (FOUNDRY-FACTS.md) and the rules our marks add, checked before any call.

Pure: takes a resolved AgentDoc, returns (path, message) problems. Files are checked where
they are read (agent.py), since that needs the disk.
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.config import limits
from reconciler.config.agent_doc import (
    TOOL_CHOICE_MODES,
    AgentDoc,
    JsonSchemaFormatDoc,
    NamedChoiceDoc,
)
from reconciler.config.limits import (
    FUNCTION_NAME,
    TOOLS_MAX,
    Problem,
    check_metadata,
    check_prompt,
    schema_error,
)
from reconciler.core.model import Path
from reconciler.core.tools.registry import TOOL_TYPES

# Foundry takes `^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`; ownership marks take lowercase
# letters, digits, '.', '_' and '-' (limits.SAFE_NAME). An agent name is both, so it is their
# intersection: lowercase letters, digits and '-'.
AGENT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
AGENT_NAME_RULE = (
    "1-63 lowercase letters, digits or '-', starting and ending with a letter or digit"
)


def agent_name_from(text: str) -> str:
    """The nearest valid agent name to `text` ("Support Bot (dev)" -> "support-bot-dev")."""
    name = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
    return name or "agent"


def check_agent_name(value: str) -> str | None:
    if AGENT_NAME.match(value):
        return None
    near = agent_name_from(value)
    hint = f" (did you mean {near!r}?)" if near != "agent" or value.lower() == "agent" else ""
    return f"agent name {value!r} is invalid: use {AGENT_NAME_RULE}{hint}"


def check_agent(doc: AgentDoc, instructions: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if message := check_agent_name(doc.name):
        problems.append((("name",), message))
    problems += check_prompt(doc, instructions)
    problems += _text(doc) + _tool_choice(doc) + _structured_inputs(doc)
    return problems + _tools(doc) + check_metadata(doc.metadata)


def _text(doc: AgentDoc) -> list[Problem]:
    if doc.text is None or not isinstance(doc.text.format, JsonSchemaFormatDoc):
        return []
    at = ("text", "format")
    form = doc.text.format
    problems: list[Problem] = []
    if not FUNCTION_NAME.match(form.name):
        rule = "1-64 letters, digits, '_' or '-'"
        problems.append(((*at, "name"), f"json_schema name {form.name!r} is invalid: use {rule}"))
    if (form.schema_ is None) == (form.schema_file is None):
        problems.append((at, "json_schema takes a schema or a schema_file (exactly one)"))
    elif form.schema_ is not None and (found := schema_error(form.schema_, "schema")):
        problems.append(((*at, "schema", *found[0]), found[1]))
    return problems


def _tools(doc: AgentDoc) -> list[Problem]:
    problems: list[Problem] = []
    if len(doc.tools) > TOOLS_MAX:
        message = f"{len(doc.tools)} tools declared; Foundry allows at most {TOOLS_MAX}"
        problems.append((("tools",), message))
    seen: set[str] = set()  # function names
    first: dict[str, int] = {}
    for index, tool in enumerate(doc.tools):
        path: Path = ("tools", index)
        kind = TOOL_TYPES[tool.type]
        if kind.single and tool.type in first:  # one store per agent, one container
            message = f"{tool.type} is declared twice (first as tools[{first[tool.type]}]): list its files in one"
            problems.append(((*path, "type"), message))
        first.setdefault(tool.type, index)
        problems += [((*path, *at), m) for at, m in kind.check(tool, limits, seen)]
    return problems


def _tool_choice(doc: AgentDoc) -> list[Problem]:
    choice = doc.tool_choice
    if isinstance(choice, str) and choice not in TOOL_CHOICE_MODES:
        modes = ", ".join(TOOL_CHOICE_MODES)
        return [(("tool_choice",), f"tool_choice {choice!r} is not a mode: use {modes} or a tool")]
    if isinstance(choice, NamedChoiceDoc) and not FUNCTION_NAME.match(choice.name):
        rule = "1-64 letters, digits, '_' or '-'"
        return [(("tool_choice", "name"), f"tool name {choice.name!r} is invalid: use {rule}")]
    return []


def _structured_inputs(doc: AgentDoc) -> list[Problem]:
    """Each input's schema is a JSON Schema (of any type), and its default follows it."""
    problems: list[Problem] = []
    for name, each in (doc.structured_inputs or {}).items():
        at: Path = ("structured_inputs", name)
        if not name.strip():
            problems.append((at, "a structured input needs a name"))
        if each.schema_ is None:
            continue
        if (found := _schema_problem(each.schema_)) is not None:
            problems.append(((*at, "schema", *found[0]), f"schema{found[1]}"))
        elif "default_value" in each.model_fields_set:
            problems += _default_problem(at, each.default_value, each.schema_)
    return problems


def _schema_problem(schema: dict[str, Any]) -> tuple[Path, str] | None:
    import jsonschema  # noqa: PLC0415 - on first use: a plan without schemas never loads it

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as error:
        inside = tuple(error.absolute_path)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in inside)
        return inside, f"{where} is not a valid JSON Schema: {error.message}"
    return None


def _default_problem(at: Path, value: Any, schema: dict[str, Any]) -> list[Problem]:
    import jsonschema  # noqa: PLC0415 - on first use: a plan without schemas never loads it

    error = jsonschema.exceptions.best_match(
        jsonschema.validators.validator_for(schema)(schema).iter_errors(value)
    )
    if error is None:
        return []
    return [((*at, "default_value"), f"default_value does not follow its schema: {error.message}")]
