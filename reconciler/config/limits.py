"""Assistants v1 limits (API-FACTS.md) and the rules our marks add, checked before any call.

Pure: takes resolved documents, returns (path, message) problems. Files are checked elsewhere,
since that needs the disk.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Protocol

from reconciler.config.document import AssistantDoc, FunctionToolDoc, RetrievalDoc
from reconciler.core.marks import MARK_COUNT, MARK_PREFIX
from reconciler.core.model import KEY, Path

Problem = tuple[Path, str]

NAME_MAX, DESCRIPTION_MAX, INSTRUCTIONS_MAX = 256, 512, 32768
TOOLS_MAX, FUNCTION_DESCRIPTION_MAX, FILES_MAX = 128, 1024, 20
METADATA_KEYS_MAX, METADATA_KEY_MAX, METADATA_VALUE_MAX = 16, 64, 512
FILE_BYTES_MAX = 512 * 1024 * 1024
SCHEMA_RECURSION_LIMIT = 10_000
V1_API_VERSIONS = ("2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview")

FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
# Logical, project and environment names travel inside ownership marks: keep them plain.
SAFE_NAME = re.compile(r"^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$")
SAFE_NAME_RULE = (
    "1-64 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit"
)


def check_name(kind: str, value: str) -> str | None:
    if SAFE_NAME.match(value):
        return None
    return f"{kind} {value!r} is not safe for ownership marks: use {SAFE_NAME_RULE}"


def check_assistant(doc: AssistantDoc, instructions: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if message := check_name("logical name", doc.name):
        problems.append((("name",), message))
    for index, old in enumerate(doc.renamed_from):
        if message := check_name("renamed_from", old):
            problems.append((("renamed_from", index), message))
    api_name = ("display_name",) if doc.display_name is not None else ("name",)
    problems += length_problems(api_name, doc.display_name or doc.name, NAME_MAX)
    problems += check_prompt(doc, instructions)
    return problems + _tools(doc) + check_metadata(doc.metadata) + _file_list(doc)


class Prompted(Protocol):
    """What an assistant and an agent declare alike: a model, a description, instructions."""

    @property
    def model(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def instructions(self) -> str | None: ...
    @property
    def instructions_file(self) -> str | None: ...


def check_prompt(doc: Prompted, instructions: str | None) -> list[Problem]:
    """The model, description and instructions (`instructions` as read from either key)."""
    problems = length_problems(("model",), doc.model, NAME_MAX)
    if not doc.model:
        problems.append((("model",), "model must name an Azure deployment; it is empty"))
    problems += length_problems(("description",), doc.description, DESCRIPTION_MAX)
    where = ("instructions_file",) if doc.instructions_file else ("instructions",)
    problems += length_problems(where, instructions, INSTRUCTIONS_MAX)
    if doc.instructions is not None and doc.instructions_file is not None:
        problems.append(
            (("instructions_file",), "set either instructions or instructions_file, not both")
        )
    return problems


def length_problems(path: Path, value: str | None, limit: int) -> list[Problem]:
    if value is None or len(value) <= limit:
        return []
    return [(path, f"{path[-1]} is {len(value)} characters long; the API allows at most {limit}")]


def _tools(doc: AssistantDoc) -> list[Problem]:
    problems: list[Problem] = []
    if len(doc.tools) > TOOLS_MAX:
        problems.append(
            (("tools",), f"{len(doc.tools)} tools declared; the API allows at most {TOOLS_MAX}")
        )
    seen: set[str] = set()
    for index, tool in enumerate(doc.tools):
        if isinstance(tool, FunctionToolDoc):
            function = tool.function
            at = ("tools", index, "function")
            problems += check_function(
                at, function.name, function.description, function.parameters, seen
            )
    return problems


def check_function(
    path: Path,
    name: str,
    description: str | None,
    parameters: dict[str, object] | None,
    seen: set[str],
) -> list[Problem]:
    """A function tool's problems, `path` being where its name and parameters are."""
    problems: list[Problem] = []
    if not FUNCTION_NAME.match(name):
        rule = "1-64 letters, digits, '_' or '-'"
        problems.append(((*path, "name"), f"function name {name!r} is invalid: use {rule}"))
    if name in seen:
        problems.append(((*path, "name"), f"function {name!r} is declared twice"))
    seen.add(name)
    problems += length_problems((*path, "description"), description, FUNCTION_DESCRIPTION_MAX)
    if parameters is not None and (found := schema_error(parameters)):
        problems.append(((*path, "parameters", *found[0]), found[1]))
    return problems


def schema_problem(schema: dict[str, object]) -> str | None:
    """Why `schema` is not a JSON Schema for an object, if it is not."""
    found = schema_error(schema)
    return found[1] if found else None


def schema_error(schema: dict[str, object], label: str = "parameters") -> tuple[Path, str] | None:
    """Where inside `schema`, and why, it is not a JSON Schema for an object, if it is not.

    `label` names the schema in the message: a function's parameters, or an answer's schema.
    """
    # A fleet repeats its few schemas: each is found by its repr, a third of the time of the
    # sorted JSON text that it is checked by, once.
    key = (repr(schema), label)
    if key not in _CHECKED:
        _CHECKED[key] = _schema_error(json.dumps(schema, sort_keys=True), label)
    return _CHECKED[key]


_CHECKED: dict[tuple[str, str], tuple[Path, str] | None] = {}


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """jsonschema checks a schema recursively, some ten frames per level: Python's default
    limit of 1000 stops it near 100 levels, which a valid schema may reach."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, SCHEMA_RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@cache
def _schema_error(text: str, label: str) -> tuple[Path, str] | None:
    import jsonschema  # noqa: PLC0415 - on first use: a plan without schemas never loads it

    schema = json.loads(text)
    if not isinstance(schema.get("$schema", ""), str):
        return ("$schema",), f"{label} is not a valid JSON Schema: '$schema' must be a string"
    try:
        latest = jsonschema.Draft202012Validator  # an unknown $schema is read as the latest draft
        with _deep_recursion():
            jsonschema.validators.validator_for(schema, default=latest).check_schema(schema)
    except jsonschema.SchemaError as error:
        inside = tuple(error.absolute_path)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in inside)
        return inside, f"{label}{where} is not a valid JSON Schema: {error.message}"
    except RecursionError:  # not known to be invalid: say what stopped the check
        return (), f"{label} is nested too deeply to be checked: flatten it"
    if schema.get("type", "object") != "object":
        return (), f"{label} must describe an object (type: object), not type: {schema['type']}"
    return None


def check_metadata(metadata: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    allowed = METADATA_KEYS_MAX - MARK_COUNT
    if len(metadata) > allowed:
        message = f"{len(metadata)} metadata keys; at most {allowed} fit beside the {MARK_COUNT} ownership marks"
        problems.append((("metadata",), message))
    for key, value in metadata.items():
        at_key = ("metadata", key, KEY)
        if key.startswith(MARK_PREFIX):
            reason = f"keys starting with {MARK_PREFIX!r} are ownership marks"
            problems.append((at_key, f"metadata key {key!r} is reserved: {reason}"))
        if len(key) > METADATA_KEY_MAX:
            limit = f"the API allows at most {METADATA_KEY_MAX}"
            problems.append((at_key, f"metadata key is {len(key)} characters long; {limit}"))
        if len(value) > METADATA_VALUE_MAX:
            limit = f"the API allows at most {METADATA_VALUE_MAX}"
            message = f"metadata value of {key!r} is {len(value)} characters long; {limit}"
            problems.append((("metadata", key), message))
    return problems


def _file_list(doc: AssistantDoc) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, path in enumerate(doc.files):
        if path in seen:
            problems.append((("files", index), f"file {path!r} is listed twice"))
        seen.add(path)
    return problems


def retrieval_warnings(doc: AssistantDoc, api_version: str) -> list[Problem]:
    return [
        (
            ("tools", index, "type"),
            f"Azure rejects the retrieval tool on api-version {api_version}: 'Retrieval tools are not supported.'",
        )
        for index, tool in enumerate(doc.tools)
        if isinstance(tool, RetrievalDoc)
    ]
