"""The registry: each dialect's kinds, in dependency order. A new kind is one line here.

The planner, the applier, fingerprints, promotion and the manifest loader loop over these; a
kind registered later (a test's throwaway kind) is seen by all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reconciler.core.kinds.agent import AgentKind
from reconciler.core.kinds.assistant import AssistantKind
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.connection import ConnectionKind
from reconciler.core.kinds.deployment import DeploymentKind
from reconciler.core.kinds.file import FileKind
from reconciler.core.kinds.hosted_agent import HostedAgentKind
from reconciler.core.kinds.toolbox import ToolboxKind
from reconciler.core.kinds.vector_store import VectorStoreKind
from reconciler.core.kinds.workflow_agent import WorkflowAgentKind

# By dialect (an environment's `api`): what each API family serves.
DIALECT_KINDS: dict[str, list[Kind]] = {
    "assistants": [FileKind(), AssistantKind()],
    "foundry": [FileKind(), VectorStoreKind(), ConnectionKind(), DeploymentKind(), AgentKind()],
}
DIALECT_KINDS["foundry"].append(WorkflowAgentKind())  # the agent name space: agent_space.py
DIALECT_KINDS["foundry"].append(HostedAgentKind())
DIALECT_KINDS["foundry"].append(ToolboxKind())  # issue 25: agents use toolboxes (depends_on)


def kinds_of(api: str) -> tuple[Kind, ...]:
    """A dialect's kinds in dependency order: each after the kinds it depends on (and otherwise
    in the order they were registered)."""
    kinds = DIALECT_KINDS.get(api, [])
    by_name = {kind.name: kind for kind in kinds}
    ordered: dict[str, Kind] = {}

    def place(kind: Kind, path: tuple[str, ...]) -> None:
        if kind.name in ordered:
            return
        if kind.name in path:
            raise ValueError(f"kinds depend on each other in a circle: {' -> '.join(path)}")
        for name in kind.depends_on:
            if name in by_name:
                place(by_name[name], (*path, kind.name))
        ordered[kind.name] = kind

    for kind in kinds:
        place(kind, ())
    return tuple(ordered.values())


def all_kinds() -> dict[str, Kind]:
    """Every registered kind by name (a kind served by two dialects is one kind)."""
    return {kind.name: kind for kinds in DIALECT_KINDS.values() for kind in kinds}


def kind_named(name: str) -> Kind:
    return all_kinds()[name]


def manifest_kinds(api: str | None = None) -> dict[str, Kind]:
    """The kinds manifests declare (by their `kind:`), of one dialect or of all."""
    kinds = kinds_of(api) if api is not None else tuple(all_kinds().values())
    return {k.manifest_kind: k for k in kinds if k.manifest_kind is not None}


@contextmanager
def registered(api: str, kind: Kind) -> Iterator[Kind]:
    """Serve a kind in a dialect (a new one too) while the block runs."""
    kinds = DIALECT_KINDS.setdefault(api, [])
    kinds.append(kind)
    try:
        yield kind
    finally:
        kinds.remove(kind)
        if not kinds:
            del DIALECT_KINDS[api]
