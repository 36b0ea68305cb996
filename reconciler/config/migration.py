"""v1 `kind: Assistant` documents -> `kind: Agent` documents, and the environments to match.

Works on the documents as written, before interpolation: `${var.model}` stays an expression,
so one migrated manifest still serves every environment. What Foundry has no place for (v1
import ids, renamed_from, API keys) is dropped and said in a note; nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reconciler.config.agent_limits import AGENT_NAME, agent_name_from
from reconciler.config.document import AssistantDoc, EnvironmentDoc, FunctionToolDoc
from reconciler.config.endpoints import LOCAL_ENDPOINT
from reconciler.core.tools.base import V1Tools
from reconciler.core.tools.registry import TOOL_TYPES

EXPRESSION = re.compile(r"\$\{[^{}]*\}")
PLACEHOLDER_PROJECT = "CHANGE-ME"
AZURE_OPENAI_HOST = re.compile(r"^https://([A-Za-z0-9-]+)\.openai\.azure\.com/?$")
# v1 fields whose drift an agent may ignore under another name, or not at all (None).
IGNORED_AS = {"display_name": None, "files": "tools"}


@dataclass
class Migrated:
    """One assistant as an agent document, the files it names, and what changed on the way."""

    logical: str
    agent: dict[str, Any]
    files: list[str] = field(default_factory=list)  # paths as written, relative to the manifest
    notes: list[str] = field(default_factory=list)


def migrate_assistant(doc: AssistantDoc, several_environments: bool, taken: set[str]) -> Migrated:
    """The agent for one assistant; `taken` holds the agent names given so far, and gets its."""
    name, changed = agent_name(doc.display_name or doc.name, several_environments)
    written = "display_name" if doc.display_name else "name"
    why = "is not a valid agent name"
    if several_environments and agent_name(doc.display_name or doc.name, False)[1] is False:
        why = (
            "is a valid agent name, but each environment needs its own (agent names are "
            "unique in a Foundry project, which environments may share)"
        )
    if name in taken:  # two display names read alike: the logical names are unique
        name, why = _unique(doc.name, several_environments, taken), f"gives {name!r} again"
        changed = True
    taken.add(name)
    agent: dict[str, Any] = {"kind": "Agent", "name": name, "model": doc.model}
    migrated = Migrated(doc.name, agent)
    if changed:
        migrated.notes.append(
            f"{written} {doc.display_name or doc.name!r} {why}: the agent is named {name!r}"
        )
    for key in ("description", "instructions", "instructions_file"):
        if getattr(doc, key) is not None:
            agent[key] = getattr(doc, key)
    if doc.instructions_file is not None:
        migrated.files.append(doc.instructions_file)
    tools = _tools(doc, migrated)
    if tools:
        agent["tools"] = tools
    if doc.metadata:
        agent["metadata"] = dict(doc.metadata)
    _lifecycle(doc, migrated)
    _dropped(doc, migrated)
    return migrated


def agent_name(written: str, several_environments: bool) -> tuple[str, bool]:
    """A valid agent name for what was written, expressions kept ("Bot (${env.name})" ->
    "bot-${env.name}"), and whether it differs. Agent names are unique in a Foundry project, so
    a project of several environments gets ${env.name} in every name."""
    parts = EXPRESSION.split(written)
    expressions = EXPRESSION.findall(written)
    name = ""
    for index, part in enumerate(parts):
        literal = re.sub(r"[^a-z0-9]+", "-", part.lower())
        name += literal + (expressions[index] if index < len(expressions) else "")
    name = re.sub(r"-{2,}", "-", name).strip("-")
    if not expressions:
        name = agent_name_from(written)
    if several_environments and "${env.name}" not in name:
        name = f"{name}-${{env.name}}"
    probe = EXPRESSION.sub("x", name)
    if not AGENT_NAME.match(probe):  # too long, or an expression at an edge: plain and safe
        name = agent_name_from(EXPRESSION.sub("", written))
    return name, name != written


def _unique(logical: str, several_environments: bool, taken: set[str]) -> str:
    base, _ = agent_name(logical, several_environments)
    name, count = base, 1
    while name in taken:
        count += 1
        name = (
            base.replace("-${env.name}", f"-{count}-${{env.name}}")
            if several_environments
            else f"{base}-{count}"
        )
    return name


def _tools(doc: AssistantDoc, migrated: Migrated) -> list[dict[str, Any]]:
    """Each tool type's entries for what the assistant had, in the registry's order."""
    types = {tool.type for tool in doc.tools}
    functions = tuple(
        {
            "name": t.function.name,
            "description": t.function.description,
            "parameters": t.function.parameters,
        }
        for t in doc.tools
        if isinstance(t, FunctionToolDoc)
    )
    v1 = V1Tools(frozenset(types), functions, tuple(doc.files))
    migrated.files += doc.files
    tools = [entry for kind in TOOL_TYPES.values() for entry in kind.migrate(v1)]
    migrated.notes += v1.notes
    if doc.files and not types & {"code_interpreter", "retrieval"}:
        migrated.notes.append("files without a tool that reads them are left out")
    return tools


def _lifecycle(doc: AssistantDoc, migrated: Migrated) -> None:
    lifecycle: dict[str, Any] = {}
    if doc.lifecycle.prevent_destroy:
        lifecycle["prevent_destroy"] = True
    ignored: list[str] = []
    for name in doc.lifecycle.ignore_changes:
        mapped = IGNORED_AS.get(name, name)
        if mapped is None:
            migrated.notes.append(f"ignore_changes: {name} dropped: an agent has no {name}")
        elif mapped not in ignored:
            ignored.append(mapped)
    if ignored:
        lifecycle["ignore_changes"] = ignored
    if lifecycle:
        migrated.agent["lifecycle"] = lifecycle


def _dropped(doc: AssistantDoc, migrated: Migrated) -> None:
    if doc.import_id is not None:
        migrated.notes.append(
            "import_id dropped: it names a v1 assistant; to adopt an existing agent, set import_id "
            "to its name"
        )
    if doc.renamed_from:
        migrated.notes.append("renamed_from dropped: an agent is known by its name alone")


def migrate_environment(name: str, env: EnvironmentDoc) -> tuple[dict[str, Any], list[str]]:
    """A Foundry environment for a v1 one, and what the user must do or know."""
    notes: list[str] = []
    migrated: dict[str, Any] = {"api": "foundry", "endpoint": LOCAL_ENDPOINT}
    if env.endpoint != LOCAL_ENDPOINT:
        match = AZURE_OPENAI_HOST.match(env.endpoint)
        account = match.group(1) if match else "ACCOUNT"
        endpoint = f"https://{account}.services.ai.azure.com/api/projects/{PLACEHOLDER_PROJECT}"
        migrated["endpoint"] = endpoint
        notes.append(
            f"environment {name!r}: endpoint {env.endpoint!r} is an Azure OpenAI resource; "
            f"replace the placeholder {endpoint!r} with its Foundry project's endpoint"
        )
    if env.auth == "token" or env.ad_token_env is not None:
        migrated["auth"] = "token"
        if env.ad_token_env is not None:
            migrated["ad_token_env"] = env.ad_token_env
    elif env.auth == "key" or env.api_key_env is not None:
        notes.append(
            f"environment {name!r}: API keys dropped (auth, api_key_env): Foundry projects take "
            "Entra ID only; the default is entra (az login, or GitHub OIDC in CI)"
        )
    if env.vars:
        migrated["vars"] = dict(env.vars)
    return migrated, notes
