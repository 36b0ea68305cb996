"""The workflow agent kind (Foundry, preview): its types, the agents a workflow invokes, its
planning (planner.py) and its kind (kind.py)."""

from reconciler.core.kinds.workflow_agent.keys import DESIRED, LIVE, NAME, OPT_IN
from reconciler.core.kinds.workflow_agent.kind import WorkflowAgentKind
from reconciler.core.kinds.workflow_agent.types import DesiredWorkflow, Invocation, LiveWorkflow

__all__ = [
    "DESIRED",
    "LIVE",
    "NAME",
    "OPT_IN",
    "DesiredWorkflow",
    "Invocation",
    "LiveWorkflow",
    "WorkflowAgentKind",
]
