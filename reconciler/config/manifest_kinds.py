"""The kinds of manifest: one loader module each, registered here, and which API family serves
which (core/kinds/registry.py says, through each resource kind's `manifest_kind`).

A loader turns one interpolated document into the desired object of its resource kind and
checks what only its kind knows (claims made twice, names that clash between environments).
A new kind of manifest is its loader module plus one line in LOADERS.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter

from reconciler.config.agent import AgentLoader
from reconciler.config.agent_test_doc import AgentTestDoc
from reconciler.config.assistant import AssistantLoader
from reconciler.config.hosted_agent import HostedAgentLoader
from reconciler.config.loader import Loader
from reconciler.config.project import Project
from reconciler.config.toolbox import ToolboxLoader
from reconciler.config.workflow_agent import WorkflowAgentLoader
from reconciler.core.kinds.registry import manifest_kinds
from reconciler.core.model import Environment
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic

LOADERS: dict[str, Loader] = {loader.kind: loader for loader in (AssistantLoader(), AgentLoader())}
LOADERS[WorkflowAgentLoader.kind] = WorkflowAgentLoader()  # agent_space.py: one agent name space
LOADERS[HostedAgentLoader.kind] = HostedAgentLoader()
# Documents a manifest names by path, which may lie among the manifests: not manifests, skipped.
NAMED_FILE_KINDS = {WorkflowAgentLoader.file_kind}
LOADERS[ToolboxLoader.kind] = ToolboxLoader()  # issue 25


@contextmanager
def registered(loader: Loader) -> Iterator[Loader]:
    """Load manifests of a kind (a test's throwaway kind) while the block runs."""
    LOADERS[loader.kind] = loader
    try:
        yield loader
    finally:
        del LOADERS[loader.kind]


def served_kinds(project: Project) -> tuple[str, ...]:
    """The manifest kinds the project's environments serve, in the order their environments come."""
    apis = dict.fromkeys(env.api for env in project.doc.environments.values())
    served = [kind for api in apis for kind in manifest_kinds(api)]
    return tuple(dict.fromkeys(served)) or tuple(LOADERS)  # no environment: every kind


def served(project: Project) -> str:
    """The kinds the project's environments serve, as a manifest declares them."""
    return " or ".join(f"kind: {kind}" for kind in served_kinds(project))


def kind_problem(data: object, served: tuple[str, ...]) -> str | None:
    """Why a YAML document is not a manifest of a known kind, if it is not; `served` are the
    kinds the project's environments take, the ones worth suggesting."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind in LOADERS:
        return None
    known = " or ".join(f"kind: {k}" for k in served)
    if kind is None:
        return f"not a manifest: expected a mapping with {known}"
    kinds = list(LOADERS)
    close = [k for k in kinds if k.lower() == str(kind).lower()]
    close = close or difflib.get_close_matches(str(kind), kinds, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"use {known}"
    return f"unknown kind {kind!r}: {hint}"


def named_file(data: object) -> bool:
    """A document that a manifest names by path (a workflow agent's YAML), not a manifest."""
    return isinstance(data, dict) and data.get("kind") in NAMED_FILE_KINDS


def api_problem(kind: str, environment: Environment) -> str | None:
    """Why a manifest of this kind cannot go to this environment, if it cannot."""
    if kind in manifest_kinds(environment.api):
        return None
    return LOADERS[kind].wrong_api(environment)


def clashes(states: list[DesiredState]) -> list[Diagnostic]:
    return [problem for loader in LOADERS.values() for problem in loader.clashes(states)]


def empty_objects(environment: Environment) -> dict[str, list[Any]]:
    """An empty list for each resource kind the environment's manifests may declare."""
    return {kind.name: [] for kind in manifest_kinds(environment.api).values()}


def resource_kind(kind: str) -> str:
    """The resource kind a manifest kind declares."""
    return manifest_kinds()[kind].name


def documents() -> Iterable[type[BaseModel]]:
    return (loader.document for loader in LOADERS.values())


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of a manifest of any registered kind."""
    models = (*documents(), AgentTestDoc)  # tests sit among the manifests (agent_test.py)
    union: Any = models[0]
    for model in models[1:]:
        union = union | model
    return TypeAdapter(Annotated[union, Field(discriminator="kind")]).json_schema()
