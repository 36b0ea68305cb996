"""Drafts of imported agents (Foundry): a `kind: Agent` manifest each, with its knowledge.

An agent's name is its identity and Foundry cannot rename one, so the manifest's name is the
agent's, and an agent whose name a manifest cannot take cannot be imported. The latest
version's definition becomes the manifest; the files its code interpreter reads and the files
of the vector stores its file_search searches become the tools' files, downloaded beside it,
with the stores' chunking when it is not the default. What the manifest format cannot say is a
problem, not a silent change: adoption would otherwise rewrite the agent without it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.adoption.draft import (
    Draft,
    Target,
    file_paths,
    hand_made,
    refuse_if,
    render,
    user_metadata,
    validated,
)
from reconciler.config.agent import KNOWLEDGE_MAX
from reconciler.config.agent_doc import (
    AgentCodeInterpreterDoc,
    AgentDoc,
    AgentFileSearchDoc,
    StaticChunkingStrategyDoc,
)
from reconciler.config.agent_limits import AGENT_NAME_RULE, check_agent, check_agent_name
from reconciler.config.content import type_problem
from reconciler.config.limits import FILES_MAX
from reconciler.core.foundry import LiveAgent
from reconciler.core.marks import read_marks

HEADER = (
    "# Written by `reconciler import`: the next apply adopts the agent that import_id names\n"
    "# (a new version carrying the ownership marks) instead of creating a new one.\n"
)
# What the service chunks with when asked for `auto` (and what it reports then): no need to say it.
DEFAULT_CHUNKING = StaticChunkingStrategyDoc(type="static").model_dump()
LEFT_OUT = ("failed", "cancelled")  # store files that were never searchable
CONTAINER_KEYS = {"type", "file_ids"}
SEARCH_KEYS = {"type", "vector_store_ids", "max_num_results"}


@dataclass(frozen=True)
class Knowledge:
    """What the project holds that the chosen agents' tools point at, as listed."""

    filenames: Mapping[str, str]  # file id -> its name, every file of the project
    stores: Mapping[str, dict[str, Any]]  # store id -> the store, every store of the project
    store_files: Mapping[str, list[dict[str, Any]]]  # store id -> its files (the stores searched)


def draft_agents(chosen: list[LiveAgent], target: Target, knowledge: Knowledge) -> list[Draft]:
    """A manifest for each chosen agent, checked as validate will check it; else every problem."""
    drafts: list[Draft] = []
    problems: list[str] = []
    for agent in chosen:
        draft, found = _Drafter(agent, target, knowledge).draft()
        drafts.append(draft)
        problems += [f"agent {agent.name}: {message}" for message in found]
    refuse_if(problems)
    return drafts


def searched_stores(agent: LiveAgent) -> list[str]:
    """The vector stores the agent's file_search tools name."""
    return [
        str(store_id)
        for tool in agent.definition.get("tools") or []
        if tool.get("type") == "file_search"
        for store_id in tool.get("vector_store_ids") or []
    ]


class _Drafter:
    def __init__(self, agent: LiveAgent, target: Target, knowledge: Knowledge) -> None:
        self.agent, self.target, self.knowledge = agent, target, knowledge
        self.result = Draft(agent.name, agent.name)
        self.problems: list[str] = []

    def draft(self) -> tuple[Draft, list[str]]:
        definition = {k: v for k, v in self.agent.definition.items() if v is not None}
        kind = definition.pop("kind", "prompt")
        if kind != "prompt":
            return self.result, [f"it is a {kind} agent; import writes prompt agents only"]
        if check_agent_name(self.agent.name) is not None:
            return self.result, [
                f"a manifest names an agent with {AGENT_NAME_RULE}, and Foundry cannot rename "
                "an agent (a new name is a new agent): it cannot be adopted"
            ]
        if (manifest_file := self.target.declared.get(self.agent.name)) is not None:
            return self.result, [
                f"{manifest_file} declares it already: set import_id: {self.agent.name} there"
            ]
        self._manifest(definition)
        self.problems += _validation_problems(self.result)
        if not self.problems:
            self.result.text = render(self.result.manifest, HEADER)
        return self.result, self.problems

    def _manifest(self, definition: dict[str, Any]) -> None:
        draft, agent = self.result, self.agent
        manifest: dict[str, Any] = {"kind": "Agent", "name": agent.name}
        draft.manifest = manifest
        manifest["model"] = definition.pop("model", None)  # the deployment, as it is
        if agent.description:
            manifest["description"] = agent.description
        draft.instructions(definition.pop("instructions", None))
        tools = definition.pop("tools", [])
        manifest.update(definition)  # sampling, text; anything else validation objects to
        if tools:
            manifest["tools"] = self._tools(tools)
        if metadata := user_metadata(draft, agent.metadata):
            manifest["metadata"] = metadata
        # Scoped to the environment it was found in, as for assistants.
        manifest["import_id"] = {self.target.environment.name: agent.name}
        self._note_environments()

    def _tools(self, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The tools in the manifest's shape: files by path, knowledge by its files."""
        code = [i for t in tools if t.get("type") == "code_interpreter" for i in self._code(t)]
        searched = [t for t in tools if t.get("type") == "file_search"]
        knowledge = [i for t in searched for i in self._searched(t)]
        wanted = list(dict.fromkeys([*code, *knowledge]))
        self.result.files = file_paths(self.result, wanted, self.knowledge.filenames, self.problems)
        path_of = dict(self.result.files)
        self._note_replaced(code)
        written: list[dict[str, Any]] = []
        for tool in tools:
            if tool.get("type") == "code_interpreter":
                paths = [path_of[i] for i in dict.fromkeys(code) if i in path_of]
                written.append({"type": "code_interpreter", **({"files": paths} if paths else {})})
            elif tool.get("type") == "file_search":
                written.append(
                    self._search_tool(tool, [path_of[i] for i in knowledge if i in path_of])
                )
            else:
                written.append(dict(tool))  # function tools are flat in both; others are refused
        return written

    def _code(self, tool: dict[str, Any]) -> list[str]:
        container = tool.get("container")
        if container is None:
            return []
        if (
            not isinstance(container, dict)
            or not set(container) <= CONTAINER_KEYS
            or (container.get("type", "auto") != "auto")
        ):
            self.problems.append(
                f"its code_interpreter container {json.dumps(container)} cannot be expressed: "
                "a manifest's code interpreter is an auto container with files"
            )
            return []
        return [str(i) for i in container.get("file_ids") or []]

    def _searched(self, tool: dict[str, Any]) -> list[str]:
        """The files of the stores a file_search tool names, those ever ingested."""
        for key in sorted(set(tool) - SEARCH_KEYS):
            self.problems.append(
                f"its file_search {key} cannot be expressed: the manifest format has no place for it"
            )
        found: list[str] = []
        stores = [str(s) for s in tool.get("vector_store_ids") or []]
        for store_id in stores:
            files = self.knowledge.store_files.get(store_id)
            if files is None:
                self.problems.append(f"its vector store {store_id} is not in the project")
                continue
            found += self._ingested(store_id, files)
        if len(stores) > 1:
            self.result.notes.append(
                f"{self.agent.name}: the files of its {len(stores)} vector stores become one "
                "knowledge store"
            )
        present = [s for s in stores if s in self.knowledge.store_files]
        if present and not found:
            self.problems.append(
                f"no vector store it searches ({', '.join(present)}) holds an ingested file, and "
                "a manifest's file_search declares at least one"
            )
        return list(dict.fromkeys(found))

    def _ingested(self, store_id: str, files: list[dict[str, Any]]) -> list[str]:
        kept = [str(f["id"]) for f in files if f.get("status") not in LEFT_OUT]
        store = f"{self.knowledge.stores[store_id].get('name') or ''!r} ({store_id})"
        for dropped in (f for f in files if f.get("status") in LEFT_OUT):
            file_id = str(dropped["id"])
            what = "failed ingestion" if dropped.get("status") == "failed" else "was cancelled"
            self.result.notes.append(
                f"{self.agent.name}: its file {self.knowledge.filenames.get(file_id, '?')!r} "
                f"({file_id}) in vector store {store} {what}: left out of its knowledge (it "
                "was never searchable)"
            )
        return kept

    def _search_tool(self, tool: dict[str, Any], paths: list[str]) -> dict[str, Any]:
        written: dict[str, Any] = {"type": "file_search", "files": paths}
        if tool.get("max_num_results") is not None:
            written["max_num_results"] = tool["max_num_results"]
        if (chunking := self._chunking(tool)) is not None:
            written["chunking"] = chunking
        return written

    def _chunking(self, tool: dict[str, Any]) -> dict[str, Any] | None:
        """The stores' chunking, when the service's default would not give the same chunks."""
        strategies = [
            f["chunking_strategy"]
            for store_id in tool.get("vector_store_ids") or []
            for f in self.knowledge.store_files.get(str(store_id), [])
            if f.get("status") not in LEFT_OUT and isinstance(f.get("chunking_strategy"), dict)
        ]
        used = Counter(json.dumps(s, sort_keys=True) for s in strategies)
        if not used:
            return None
        key = used.most_common(1)[0][0]
        commonest = next(s for s in strategies if json.dumps(s, sort_keys=True) == key)
        if len(used) > 1:
            self.result.notes.append(
                f"{self.agent.name}: its knowledge files were chunked {len(used)} ways; the "
                f"manifest takes the commonest for all: {json.dumps(commonest)}"
            )
        if commonest.get("type") != "static" or commonest == DEFAULT_CHUNKING:
            return None
        return dict(commonest)

    def _note_replaced(self, code: list[str]) -> None:
        """Apply gathers the knowledge into a store of ours and points the agent at copies of
        its files; what someone made by hand stays: say what."""
        stores = [
            f"{(s.get('name') or '')!r} ({store_id})"
            for store_id in dict.fromkeys(searched_stores(self.agent))
            if (s := self.knowledge.stores.get(store_id)) is not None
            and read_marks(s.get("metadata") or {}) is None
        ]
        files = hand_made(list(dict.fromkeys(code)), self.knowledge.filenames)
        left = [f"vector store {', '.join(stores)}"] if stores else []
        left += [f"file(s) {', '.join(files)}"] if files else []
        if left:
            self.result.notes.append(
                f"{self.agent.name}: after apply it uses uploaded copies in a store of ours, no "
                f"longer the hand-made {' and '.join(left)}: left in the project, never deleted "
                "by apply; delete by hand what nothing uses"
            )

    def _note_environments(self) -> None:
        """The manifest serves every environment; only this one adopts. Where another shares
        this Foundry project, the name is taken there: its plan refuses it, and says so."""
        here, name = self.target.environment.name, self.agent.name
        environments = self.target.project.doc.environments
        shared = [e for e, d in environments.items() if d.endpoint == environments[here].endpoint]
        shared = sorted(set(shared) - {here})
        apart = sorted(set(environments) - {here, *shared})
        if apart:
            self.result.notes.append(
                f"{name}: adopted in {here} only; the manifest declares it in "
                f"{', '.join(apart)} too, where apply creates an agent of that name"
            )
        if shared:
            self.result.notes.append(
                f"{name}: {', '.join(shared)} share {here}'s Foundry project, where agent names "
                f"are unique: their plans refuse {name} (it is {here}'s) until the manifest "
                "names it per environment (name: ${var.NAME}, a value in each one's vars)"
            )


def _validation_problems(draft: Draft) -> list[str]:
    """What `reconciler validate` would object to in this manifest, files aside."""
    doc, problems = validated(AgentDoc, draft)
    if doc is None:
        return problems
    instructions = draft.prompt if draft.prompt is not None else doc.instructions
    problems = [message for _, message in check_agent(doc, instructions)]
    for tool in doc.tools:
        if isinstance(tool, AgentCodeInterpreterDoc | AgentFileSearchDoc):
            problems += [m for p in tool.files if (m := type_problem(p, {tool.type})) is not None]
            limit = FILES_MAX if isinstance(tool, AgentCodeInterpreterDoc) else KNOWLEDGE_MAX
            if len(tool.files) > limit:
                problems.append(f"{len(tool.files)} {tool.type} files; it takes at most {limit}")
    return problems
