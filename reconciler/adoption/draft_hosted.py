"""Drafts of imported hosted agents (Foundry): a `kind: HostedAgent` manifest each.

The image is written as the live version runs it (by digest when it is pinned). Environment
variables are never written down: the service gives their values out, but import cannot tell a
secret from a setting, so each becomes `{env: HOSTED_<AGENT>_<VARIABLE>}`, a variable to set
before the next plan (which compares it by hash with the live value), with a note. A definition
the manifest format cannot say (code_configuration, telemetry, a registry connection) refuses
that agent rather than let the adoption drop it.
"""

from __future__ import annotations

from typing import Any

from reconciler.adoption.draft import Draft, Target, refuse_if, render, user_metadata, validated
from reconciler.config.agent_limits import AGENT_NAME_RULE, check_agent_name
from reconciler.config.hosted_agent import HostedAgentDoc, HostedAgentLoader
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.tools import secret

HEADER = (
    "# Written by `reconciler import`: the next apply adopts the hosted agent that import_id\n"
    "# names (a new version carrying the ownership marks) instead of creating a new one.\n"
)
WRITTEN = {"kind", "cpu", "memory", "container_configuration", "environment_variables"}
WRITTEN |= {"protocol_versions"}


def draft_hosted(chosen: list[LiveAgent], target: Target) -> list[Draft]:
    drafts: list[Draft] = []
    problems: list[str] = []
    for agent in chosen:
        draft, found = _draft(agent, target)
        drafts.append(draft)
        problems += [f"hosted agent {agent.name}: {message}" for message in found]
    refuse_if(problems)
    return drafts


def _draft(agent: LiveAgent, target: Target) -> tuple[Draft, list[str]]:
    draft = Draft(agent.name, agent.name)
    definition = {k: v for k, v in agent.definition.items() if v not in (None, {}, [])}
    if check_agent_name(agent.name) is not None:
        return draft, [f"a manifest names an agent with {AGENT_NAME_RULE}: it cannot be adopted"]
    if (manifest_file := target.declared.get(agent.name)) is not None:
        return draft, [f"{manifest_file} declares it already: set import_id: {agent.name} there"]
    if unsaid := sorted(set(definition) - WRITTEN):
        return draft, [f"the manifest format cannot say its {', '.join(unsaid)}"]
    container = definition.get("container_configuration") or {}
    if set(container) != {"image"}:
        return draft, ["only an image-based agent (container_configuration: {image}) is written"]
    manifest: dict[str, Any] = {"kind": HostedAgentLoader.kind, "name": agent.name}
    if agent.description:
        manifest["description"] = agent.description
    manifest |= {"image": container["image"], "cpu": definition.get("cpu")}
    manifest["memory"] = definition.get("memory")
    if variables := definition.get("environment_variables"):
        manifest["environment_variables"] = _variables(draft, agent.name, variables)
    if protocols := definition.get("protocol_versions"):
        manifest["protocols"] = protocols
    if metadata := user_metadata(draft, agent.metadata):
        manifest["metadata"] = metadata
    manifest["import_id"] = {target.environment.name: agent.name}
    draft.manifest = manifest
    _, found = validated(HostedAgentDoc, draft)
    if not found:
        draft.text = render(manifest, HEADER)
    return draft, found


def _variables(draft: Draft, agent: str, variables: dict[str, Any]) -> dict[str, Any]:
    written = {k: {"env": secret.env_name("hosted", agent, k)} for k in sorted(variables)}
    names = ", ".join(v["env"] for v in written.values())
    draft.notes.append(
        f"{agent}: its environment variables are not written (any may be a secret): set {names} "
        "before the next plan, which compares each with the live value by its hash"
    )
    return written
