"""Drafts of imported workflow agents (Foundry): a `kind: WorkflowAgent` manifest each, its YAML
written beside it in workflows/<name>.yaml (with `${` written `$${`, since the file is
interpolated), so that validate reads back exactly the workflow the endpoint runs.
"""

from __future__ import annotations

from reconciler.adoption.draft import Draft, Target, refuse_if, render, user_metadata, validated
from reconciler.config.agent_limits import AGENT_NAME_RULE, check_agent_name
from reconciler.config.workflow_agent import WorkflowAgentDoc, WorkflowAgentLoader, read_workflow
from reconciler.core.kinds.agent.types import LiveAgent

HEADER = (
    "# Written by `reconciler import`: the next apply adopts the workflow agent that import_id\n"
    "# names (a new version carrying the ownership marks) instead of creating a new one.\n"
)
FOLDER = "workflows"


def draft_workflows(chosen: list[LiveAgent], target: Target) -> list[Draft]:
    """A manifest and a workflow file for each chosen workflow agent; else every problem."""
    drafts: list[Draft] = []
    problems: list[str] = []
    for agent in chosen:
        draft, found = _draft(agent, target)
        drafts.append(draft)
        problems += [f"workflow agent {agent.name}: {message}" for message in found]
    refuse_if(problems)
    return drafts


def _draft(agent: LiveAgent, target: Target) -> tuple[Draft, list[str]]:
    draft = Draft(agent.name, agent.name)
    if check_agent_name(agent.name) is not None:
        return draft, [f"a manifest names an agent with {AGENT_NAME_RULE}: it cannot be adopted"]
    if (manifest_file := target.declared.get(agent.name)) is not None:
        return draft, [f"{manifest_file} declares it already: set import_id: {agent.name} there"]
    text = agent.definition.get("workflow")
    if not isinstance(text, str):
        return draft, ["its definition holds no workflow YAML to write"]
    path = f"{FOLDER}/{agent.name}.yaml"
    _, problems = read_workflow(path, text)
    if errors := [str(p) for p in problems if p.severity == "error"]:
        return draft, [f"its workflow YAML cannot be read back: {'; '.join(errors)}"]
    draft.texts.append((path, text.replace("${", "$${")))
    manifest: dict[str, object] = {"kind": WorkflowAgentLoader.kind, "name": agent.name}
    if agent.description:
        manifest["description"] = agent.description
    manifest["workflow_file"] = path
    if metadata := user_metadata(draft, agent.metadata):
        manifest["metadata"] = metadata
    manifest["import_id"] = {target.environment.name: agent.name}
    draft.manifest = manifest
    _, found = validated(WorkflowAgentDoc, draft)
    if not found:
        draft.text = render(manifest, HEADER)
    return draft, found
