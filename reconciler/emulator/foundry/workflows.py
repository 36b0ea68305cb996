"""Workflow agent definitions (preview, `WorkflowAgents=V1Preview`): `{kind: workflow,
workflow: <YAML>}` (WorkflowAgentDefinition; `workflow` is "the CSDL YAML definition").

The YAML must parse to a mapping (400 `invalid_value` on `definition.workflow` otherwise). With
`check_references`, each `InvokeAzureAgent` action's agent (by a plain name, not a `=` Power Fx
expression) must exist in the project, and a pinned `version` must be one of its versions: a
reading, since no source says what the service checks, that keeps clients ordering their work
(agents first) as they must anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.foundry.state import Foundry

PARAM = "definition.workflow"
AGENT, VERSION = "foundry.agent", "foundry.agent.version"


def check_workflow(fd: Foundry, definition: dict[str, Any]) -> None:
    text = definition.get("workflow")
    if text is None:
        return
    if not isinstance(text, str):
        raise bad_request(f"Invalid '{PARAM}': expected a string of YAML.", PARAM, "invalid_type")
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except (YAMLError, RecursionError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = f"Invalid '{PARAM}': not YAML ({reason})."
        raise bad_request(message, PARAM, "invalid_value") from None
    if not isinstance(data, dict):
        raise bad_request(f"Invalid '{PARAM}': expected a YAML mapping.", PARAM, "invalid_value")
    if fd.options.check_references:
        for name, version in _invoked(data):
            _exists(fd, name, version)


def _invoked(data: Any) -> Iterator[tuple[str, str | None]]:
    if isinstance(data, dict):
        agent = data.get("agent")
        if data.get("kind") == "InvokeAzureAgent" and isinstance(agent, dict):
            name, version = agent.get("name"), agent.get("version")
            if isinstance(name, str) and not name.startswith("="):
                yield name, None if version is None else str(version)
        for value in data.values():
            yield from _invoked(value)
    elif isinstance(data, list):
        for value in data:
            yield from _invoked(value)


def _exists(fd: Foundry, name: str, version: str | None) -> None:
    if fd.state.db.get(AGENT, fd.scope(), name) is None:
        message = f"Invalid '{PARAM}': InvokeAzureAgent names agent '{name}', not in this project."
        raise bad_request(message, PARAM, "invalid_value")
    if (
        version is not None
        and fd.state.db.get(VERSION, fd.scope(name), f"{name}:{version}") is None
    ):
        message = f"Invalid '{PARAM}': agent '{name}' has no version '{version}'."
        raise bad_request(message, PARAM, "invalid_value")
