"""Drafts of imported agents (Foundry): a `kind: Agent` manifest each, with its knowledge.

An agent's name is its identity and Foundry cannot rename one, so the manifest's name is the
agent's, and an agent whose name a manifest cannot take cannot be imported. The latest
version's definition becomes the manifest; the files its code interpreter reads and the files
of the vector stores its file_search searches become the tools' files, downloaded beside it,
with the stores' chunking when it is not the default. A tool of a type no module claims, and
one its typed entry cannot say (a container by id, an option newer than its module), is
written verbatim (core/tools/verbatim.py), ids as they are, so no agent is refused for its
tools; anything else the manifest format cannot say is a problem, not a silent change: adoption
would otherwise rewrite the agent without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

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
from reconciler.config import limits
from reconciler.config.agent_doc import agent_doc
from reconciler.config.agent_limits import AGENT_NAME_RULE, check_agent, check_agent_name
from reconciler.config.content import unreadable
from reconciler.core.kinds.agent.rules import present_settings, tool_key
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.marks import read_marks
from reconciler.core.model import Path
from reconciler.core.tools.base import Drafting, Resolve
from reconciler.core.tools.registry import TOOL_TYPES, VERBATIM, held, tool_type

HEADER = (
    "# Written by `reconciler import`: the next apply adopts the agent that import_id names\n"
    "# (a new version carrying the ownership marks) instead of creating a new one.\n"
)


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
    """The vector stores the agent's tools name."""
    return _stores(agent.definition.get("tools") or [])


def _stores(tools: list[dict[str, Any]]) -> list[str]:
    return [str(store_id) for tool in tools for store_id in tool_type(tool).held(tool).stores]


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
        # Sampling, text, reasoning and the other settings; anything else validation objects to.
        manifest.update(present_settings(definition))
        if tools:
            manifest["tools"] = self._tools(tools)
        if metadata := user_metadata(draft, agent.metadata):
            manifest["metadata"] = metadata
        # Scoped to the environment it was found in, as for assistants.
        manifest["import_id"] = {self.target.environment.name: agent.name}
        self._note_environments()

    def _tools(self, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The tools in the manifest's shape, each by its type (files by path), or verbatim
        where its typed entry cannot say it."""
        known = self.knowledge
        drafting = Drafting(self.agent.name, known.filenames, known.stores, known.store_files)
        loose = {id(t): self._verbatim(t, why) for t in tools if (why := _untyped(t, drafting))}
        typed = [t for t in tools if id(t) not in loose]
        # Files in the order of the tools' sort key (the order the agent kind writes them).
        wanted = [i for t in sorted(typed, key=tool_key) for i in tool_type(t).files(t, drafting)]
        self._take(drafting)
        self.result.files = file_paths(
            self.result, list(dict.fromkeys(wanted)), known.filenames, self.problems
        )
        self._note_replaced(typed)
        paths = dict(self.result.files)
        written = [loose.get(id(t)) or tool_type(t).draft(t, paths, drafting) for t in tools]
        self._take(drafting)
        return written

    def _verbatim(self, tool: dict[str, Any], why: str) -> dict[str, Any]:
        known = self.knowledge
        drafting = Drafting(self.agent.name, known.filenames, known.stores, known.store_files)
        entry = {"type": VERBATIM.name, "tool": tool_type(tool).verbatim(tool, drafting)}
        self.result.notes.append(
            f"{self.agent.name}: its {tool.get('type')} tool is written verbatim (type: "
            f"verbatim), compared as data: {why}"
        )
        self.result.notes += drafting.notes
        return entry

    def _take(self, drafting: Drafting) -> None:
        """What the tools found to say, in the order they said it."""
        self.problems += drafting.problems
        self.result.notes += drafting.notes
        drafting.problems.clear()
        drafting.notes.clear()

    def _note_replaced(self, tools: list[dict[str, Any]]) -> None:
        """Apply gathers the knowledge into a store of ours and points the agent at copies of
        its files; what someone made by hand stays: say what."""
        stores = [
            f"{(s.get('name') or '')!r} ({store_id})"
            for store_id in dict.fromkeys(_stores(tools))
            if (s := self.knowledge.stores.get(store_id)) is not None
            and read_marks(s.get("metadata") or {}) is None
        ]
        files = hand_made(list(held({"tools": tools}).files), self.knowledge.filenames)
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


def _untyped(tool: dict[str, Any], drafting: Drafting) -> str | None:
    """Why the tool's typed entry cannot say it (its first problem), or None when it can."""
    kind = tool_type(tool)
    if kind is VERBATIM:
        return None  # a type no module claims: its own draft writes it verbatim
    probe = Drafting(drafting.agent, drafting.filenames, drafting.stores, drafting.store_files)
    found = kind.files(tool, probe)
    entry = kind.draft(tool, {i: f"{i}.file" for i in found}, probe)
    if probe.problems:
        return probe.problems[0].removeprefix("its ")
    try:
        doc = kind.doc.model_validate(entry)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(step) for step in first["loc"])
        return f"{where}: {first['msg']}".lower() if where else first["msg"].lower()
    problems = kind.check(doc, limits, set())
    return problems[0][1] if problems else None


def _validation_problems(draft: Draft) -> list[str]:
    """What `reconciler validate` would object to in this manifest, files aside."""
    doc, problems = validated(agent_doc(), draft)
    if doc is None:
        return problems
    instructions = draft.prompt if draft.prompt is not None else doc.instructions
    problems = [message for _, message in check_agent(doc, instructions)]
    for tool in doc.tools:
        TOOL_TYPES[tool.type].desired(tool, _named_files(tool.type, problems))
    return problems


def _named_files(tool: str, problems: list[str]) -> Resolve:
    return _NamedFiles(tool, problems)


class _NamedFiles:
    """What validate says of a tool's files by their names (they are not read here). Drafts
    write no spec_file, and name the secrets they leave out: those are read by the next plan."""

    def __init__(self, tool: str, problems: list[str]) -> None:
        self.tool, self.problems = tool, problems

    def __call__(
        self, entries: Sequence[str], at: Path, limit: int, reads: frozenset[str]
    ) -> tuple[str, ...]:
        found = (unreadable(p, {self.tool: reads}) for p in entries)
        self.problems.extend(m for m in found if m is not None)
        if len(entries) > limit:
            self.problems.append(f"{len(entries)} {self.tool} files; it takes at most {limit}")
        return ()

    def document(self, entry: str, at: Path) -> None:
        return None

    def secret(self, name: str, at: Path) -> str:
        return ""

    def problem(self, at: Path, message: str) -> None:
        self.problems.append(message)
