"""Two manifests may not claim one live object: by name, by import_id or by an old name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.kinds.assistant.types import DesiredAssistant
from reconciler.core.state import DesiredState, Key
from reconciler.diagnostics import Diagnostic, Location


class Declared(Protocol):
    @property
    def location(self) -> Location: ...


D = TypeVar("D", bound=Declared)


def assistant_duplicates(assistants: list[DesiredAssistant]) -> list[Diagnostic]:
    """Two manifests may not claim one live object: by name, by import_id or by an old name."""
    problems = claimed_twice(assistants, lambda a: [a.name], "assistant {!r} is declared twice")
    problems += claimed_twice(
        assistants,
        lambda a: [a.import_id] if a.import_id else [],
        "import_id {} is declared by two manifests: one live assistant can be adopted once",
    )
    problems += claimed_twice(
        assistants,
        lambda a: list(a.renamed_from),
        "renamed_from {!r} is declared by two manifests: one assistant can be renamed once",
    )
    declared = {a.name for a in assistants}
    for assistant in assistants:
        for old in assistant.renamed_from:
            if old in declared:
                message = f"renamed_from {old!r} names an assistant that is still declared"
                problems.append(Diagnostic(assistant.location, message))
    return problems


def agent_duplicates(agents: list[DesiredAgent]) -> list[Diagnostic]:
    problems = claimed_twice(agents, lambda a: [a.name], "agent {!r} is declared twice")
    problems += claimed_twice(
        agents,
        lambda a: [a.import_id] if a.import_id else [],
        "import_id {!r} is declared by two manifests: one live agent can be adopted once",
    )
    return problems


def claimed_twice(
    declared: list[D], keys: Callable[[D], list[str]], message: str
) -> list[Diagnostic]:
    first: dict[str, D] = {}
    problems = []
    for one in declared:
        for key in keys(one):
            if key in first:
                text = f"{message.format(key)} (first at {first[key].location})"
                problems.append(Diagnostic(one.location, text))
            first.setdefault(key, one)
    return problems


def shared_agent_names(
    states: list[DesiredState], of: Key[Any] = AGENTS, noun: str = "agent"
) -> list[Diagnostic]:
    """Agents two environments on one Foundry project would both claim: names are unique in a
    project, so the second environment's plan would find the first's agent, not its own."""
    first: dict[tuple[str, str], str] = {}  # (endpoint, agent name) -> the environment
    problems = []
    for state in states:
        environment = state.environment
        for agent in state.of(of):
            key = (environment.endpoint, agent.name)
            if first.setdefault(key, environment.name) != environment.name:
                message = (
                    f"{noun} {agent.name!r} is declared by environments {first[key]!r} and "
                    f"{environment.name!r}, which share the endpoint {environment.endpoint}: agent "
                    "names are unique in a Foundry project; give each environment its own "
                    "(name: ...-${env.name})"
                )
                problems.append(Diagnostic(agent.location, message))
    return problems
