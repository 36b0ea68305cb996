"""A `kind: WorkflowAgent` document (interpolated) -> a DesiredWorkflow, or every problem with
its location.

The workflow's YAML is kept in its own file in the repository (`workflow_file:`, relative to the
manifest) and sent as written, after `${env.name}`, `${var.NAME}` and `${env:NAME}` are resolved
as in manifests (so that each environment's workflow invokes that environment's agents; its own
`=...` expressions are PowerFx, untouched; `$${` is a literal `${`). It must be YAML, a mapping,
and each `InvokeAzureAgent` action must name its agent with a valid agent name; problems point
into the workflow file (path:line:column). An agent named by an expression is chosen at run time: a warning, since no
plan can keep it alive.
"""

from __future__ import annotations

import posixpath
from typing import Any, Literal

from pydantic import Field

from reconciler.config.agent_limits import check_agent_name
from reconciler.config.claims import claimed_twice, shared_agent_names
from reconciler.config.content import read_declared_text
from reconciler.config.document import Strict, check_document
from reconciler.config.interpolate import interpolate
from reconciler.config.limits import check_metadata
from reconciler.config.loader import Request
from reconciler.config.located import Document
from reconciler.config.source import load_documents
from reconciler.core.kinds.workflow_agent import DESIRED, DesiredWorkflow, Invocation
from reconciler.core.kinds.workflow_agent.invocations import dynamic, invocations
from reconciler.core.model import Environment
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic, Location

MAX_WORKFLOW_BYTES = 1_000_000  # a guard, not a documented service limit


class WorkflowLifecycleDoc(Strict):
    prevent_destroy: bool = Field(False, description="Refuse any plan that would delete it.")


class WorkflowAgentDoc(Strict):
    """One Foundry workflow agent (preview): its YAML kept in a file of the repository."""

    kind: Literal["WorkflowAgent"]
    name: str = Field(
        description="The Foundry agent name and the stable key (agent names are shared by "
        "prompt, workflow and hosted agents)."
    )
    workflow_file: str = Field(
        description="Path to the workflow's YAML (CSDL), relative to this manifest; sent as "
        "written. Its InvokeAzureAgent actions name the agents it calls."
    )
    description: str | None = Field(None, max_length=512)
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: WorkflowLifecycleDoc = Field(default_factory=WorkflowLifecycleDoc)
    import_id: str | dict[str, str] | None = Field(
        None,
        description="Name of an existing workflow agent that no project manages, or names by "
        "environment ({staging: ...}): the next apply adopts it. Must equal name. Written by "
        "`reconciler import`.",
    )


class WorkflowAgentLoader:
    """The loader of the Foundry workflow agent manifest kind."""

    kind = "WorkflowAgent"
    document = WorkflowAgentDoc
    file_kind = "workflow"  # the `kind:` of the workflow's own YAML (CSDL), never a manifest

    def resolve(self, request: Request) -> tuple[DesiredWorkflow | None, list[Diagnostic]]:
        source = request.source
        doc, problems = check_document(WorkflowAgentDoc, source)
        if doc is None:
            return None, problems
        problems += [Diagnostic(source.locate(p), m) for p, m in check_metadata(doc.metadata)]
        if message := check_agent_name(doc.name):
            problems.append(Diagnostic(source.locate(("name",)), message))
        import_id = doc.import_id
        environment = request.environment.name
        adopted = import_id.get(environment) if isinstance(import_id, dict) else import_id
        if adopted is not None and adopted != doc.name:
            at = ("import_id", environment) if isinstance(import_id, dict) else ("import_id",)
            message = f"import_id names {adopted!r}; an agent cannot be renamed: set name"
            problems.append(Diagnostic(source.locate(at), message))
        where = source.locate(("workflow_file",))
        text, found = read_declared_text(
            request.catalog, request.directory, doc.workflow_file, "workflow_file", where
        )
        problems += found
        if text is None:
            return None, problems
        shown = _shown(doc.workflow_file, where)
        if request.scope is not None:
            text, messages = interpolate(text, request.scope)
            problems += [Diagnostic(Location(shown), m) for m in messages]
        invokes, found = read_workflow(shown, text)
        problems += found
        desired = DesiredWorkflow(
            name=doc.name,
            workflow=text,
            workflow_file=doc.workflow_file,
            invokes=invokes,
            description=doc.description,
            metadata=dict(doc.metadata),
            prevent_destroy=doc.lifecycle.prevent_destroy,
            import_id=adopted,
            location=source.locate(("name",)),
        )
        return desired, problems

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return claimed_twice(objects, lambda w: [w.name], "workflow agent {!r} is declared twice")

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        return shared_agent_names(states, DESIRED, "workflow agent")

    def wrong_api(self, environment: Environment) -> str:
        return (
            f"kind: {self.kind} is a Foundry agent, and environment {environment.name!r} has api: "
            f"{environment.api}: set api: foundry on it (and a Foundry project endpoint)"
        )


def read_workflow(file: str, text: str) -> tuple[tuple[Invocation, ...], list[Diagnostic]]:
    """The agents a workflow's YAML invokes, or its problems, located in the workflow file."""
    if len(text.encode("utf-8")) > MAX_WORKFLOW_BYTES:
        return (), [Diagnostic(Location(file), f"over {MAX_WORKFLOW_BYTES} bytes")]
    documents, problems = load_documents(file, text)
    if problems:
        return (), problems
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        message = "a workflow file holds one YAML document, a mapping (kind: workflow, ...)"
        return (), [Diagnostic(Location(file, 1, 1), message)]
    return _invocations(documents[0])


def _invocations(document: Document) -> tuple[tuple[Invocation, ...], list[Diagnostic]]:
    found: list[Invocation] = []
    problems: list[Diagnostic] = []
    for path, name, version in invocations(document.data):
        where = document.locate(path)
        if dynamic(name):
            message = f"agent {name!r} is chosen at run time: no plan keeps it alive"
            problems.append(Diagnostic(where, message, severity="warning"))
            continue
        if not isinstance(name, str):
            problems.append(Diagnostic(where, "InvokeAzureAgent needs agent.name: a string"))
            continue
        if invalid := check_agent_name(name):
            problems.append(Diagnostic(where, invalid))
            continue
        found.append(Invocation(name, version, where))
    return tuple(found), problems


def _shown(declared: str, where: Location) -> str:
    """The workflow file's path as problems name it: beside the manifest that declares it."""
    if not where.path:
        return declared
    return posixpath.normpath(posixpath.join(posixpath.dirname(where.path), declared))
