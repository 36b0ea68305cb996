"""Foundry agent limits (FOUNDRY-FACTS.md) and the rules our marks add, checked before any call.

Pure: takes a resolved AgentDoc, returns (path, message) problems. Files are checked where
they are read (agent.py), since that needs the disk.
"""

from __future__ import annotations

import re

from reconciler.config import limits
from reconciler.config.agent_doc import AgentDoc, JsonSchemaFormatDoc
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
    problems += _text(doc)
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
