"""`import` for Foundry agents: the project's agents, listed and drafted with their knowledge.

Listing costs the agent-list requests and nothing else. Drafting adds the vector-store list and
one file list of each store the chosen agents search (only when one of them searches), and the
project's file list; the downloads come after every check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from reconciler.adoption.draft import Draft, Target
from reconciler.adoption.draft_agent import Knowledge, draft_agents, searched_stores
from reconciler.adoption.draft_hosted import draft_hosted
from reconciler.adoption.draft_workflow import draft_workflows
from reconciler.adoption.listing import Entry, select, shown, unmanaged_listing, when
from reconciler.api.connect_foundry import open_foundry_client
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.foundry_responses import parse_agent
from reconciler.api.retry import RetryPolicy
from reconciler.config.agent_limits import AGENT_NAME_RULE, check_agent_name
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.agent_space import definition_kind
from reconciler.core.kinds.hosted_agent.keys import DEFINITION_KIND as HOSTED
from reconciler.core.kinds.workflow_agent.keys import DEFINITION_KIND as WORKFLOW
from reconciler.core.marks import unmarked
from reconciler.core.tools.registry import held

HEADER = ("NAME", "VERSION", "MODEL", "TOOLS", "STORES", "FILES", "UPDATED (UTC)")


class Agents:
    api = "foundry"  # the API family it reads
    folder = "agents"  # where import writes when the project's manifests are its folder
    noun = "agent"
    adoption = "a new version carrying the ownership marks"

    @classmethod
    @contextmanager
    def opened(cls, directory: Path, target: Target, retry: RetryPolicy) -> Iterator[Agents]:
        project, environment = target.project.doc.project, target.environment
        with open_foundry_client(directory, project, environment, os.environ, retry) as client:
            yield cls(client, target)

    def __init__(self, client: FoundryClient, target: Target) -> None:
        self.client, self.target = client, target

    @cached_property
    def live(self) -> list[LiveAgent]:
        return [parse_agent(item) for item in self.client.list_agents()]

    def listing(self, directory: Path) -> list[str]:
        notes = [
            note
            for agent in self.live
            if unmarked(agent.metadata) and (note := _not_importable(agent)) is not None
        ]
        return unmanaged_listing(self._entries(), HEADER, self.noun, self.target, directory, notes)

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]:
        by_name = {a.name: a for a in self.live}
        picked = [by_name[n] for n in select(self._entries(), selections, self.target, self.noun)]
        flows = [a for a in picked if definition_kind(a) == WORKFLOW]
        hosted = [a for a in picked if definition_kind(a) == HOSTED]
        chosen = [a for a in picked if a not in flows and a not in hosted]
        searched = [s for agent in chosen for s in searched_stores(agent)]
        stores = {str(s["id"]): s for s in self.client.list_stores()} if searched else {}
        store_files = {
            s: self.client.list_store_files(s) for s in dict.fromkeys(searched) if s in stores
        }
        filenames = {f.id: f.filename for f in self.client.list_files()}
        drafts = draft_agents(chosen, self.target, Knowledge(filenames, stores, store_files))
        return drafts + draft_workflows(flows, self.target) + draft_hosted(hosted, self.target)

    def download_file(self, file_id: str) -> bytes:
        return self.client.download_file(file_id)

    def _entries(self) -> list[Entry]:
        return [Entry(a.name, a.name, a.metadata, _row(a)) for a in self.live]


def _row(agent: LiveAgent) -> tuple[str, ...]:
    holds = held(agent.definition)
    files, stores = holds.files, holds.stores
    tools = agent.definition.get("tools") or []
    model = agent.definition.get("model")
    return (
        shown(agent.name),
        shown(agent.version),
        shown(model if isinstance(model, str) else None),
        str(len(tools)),
        str(len(stores)),
        str(len(files)),
        when(agent.created_at),
    )


def _not_importable(agent: LiveAgent) -> str | None:
    kind = definition_kind(agent)
    if kind not in ("prompt", WORKFLOW, HOSTED):
        return f"{agent.name} is a {kind} agent: import takes prompt, workflow and hosted agents."
    if check_agent_name(agent.name) is not None:
        return (
            f"{agent.name} cannot be imported: a manifest names an agent with {AGENT_NAME_RULE}, "
            "and Foundry cannot rename one."
        )
    return None
