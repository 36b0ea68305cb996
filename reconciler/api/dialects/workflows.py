"""Workflow agents as the Foundry dialect reads and writes them.

They come from the one agents list (agent_space.py: every agent is under one name space), so
reading them costs no request. The agents a live workflow invokes are read from its YAML here,
at the edge (the core reads no YAML): a workflow whose YAML does not parse invokes nothing that
a plan could know (`invokes` None, shown as such). Writes carry the workflow opt-in.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.agent_space import definition_kind
from reconciler.core.kinds.workflow_agent import Invocation, LiveWorkflow
from reconciler.core.kinds.workflow_agent.invocations import dynamic, invocations
from reconciler.core.kinds.workflow_agent.keys import DEFINITION_KIND


def live_workflows(agents: tuple[LiveAgent, ...]) -> tuple[LiveWorkflow, ...]:
    return tuple(_workflow(a) for a in agents if definition_kind(a) == DEFINITION_KIND)


def _workflow(agent: LiveAgent) -> LiveWorkflow:
    return LiveWorkflow(
        name=agent.name,
        version=agent.version,
        created_at=agent.created_at,
        description=agent.description,
        definition=agent.definition,
        metadata=agent.metadata,
        invokes=invoked(agent.definition.get("workflow")),
    )


def invoked(text: Any) -> tuple[Invocation, ...] | None:
    """The agents a workflow's YAML names in its InvokeAzureAgent actions; None if unreadable."""
    if not isinstance(text, str):
        return None
    # On first use: a project without workflows never loads ruamel.
    from ruamel.yaml import YAML  # noqa: PLC0415
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except (YAMLError, RecursionError, ValueError):
        return None
    return tuple(
        Invocation(name, version)
        for _, name, version in invocations(data)
        if isinstance(name, str) and not dynamic(name)
    )
