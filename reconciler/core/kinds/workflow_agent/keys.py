"""The workflow agent kind's name, its keys and its preview opt-in."""

from __future__ import annotations

from reconciler.core.kinds.workflow_agent.types import DesiredWorkflow, LiveWorkflow
from reconciler.core.state import Key

NAME = "workflow_agent"
DESIRED: Key[DesiredWorkflow] = Key(NAME)
LIVE: Key[LiveWorkflow] = Key(NAME)
# WorkflowAgentDefinition's required preview (models.tsp `required_previews`; the GA v1 spec's
# AgentDefinitionOptInKeys): without it the service answers 403 preview_feature_required.
OPT_IN = "WorkflowAgents=V1Preview"
DEFINITION_KIND = "workflow"
