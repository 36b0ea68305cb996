"""The invariants of core/invariants.py for the Foundry kinds: agents and vector stores.

Written from the live state and the plan alone, like the rest: an agent is ours when its latest
version carries our marks (or import_id names it and it carries none); a store when its marks
name this environment; nothing is deleted that an agent points at after the plan, and no file
that a store or an agent holds after it. Every version an agent retains after the plan counts
as an object that references (its older versions too, not only the latest), so nothing is
deleted while the versions of an agent that may have older ones are unknown, and a version is
deleted only when it is ours and (if it is the latest) the plan makes a newer one. Knowledge is
never built twice: no store is created under the name of a store of the project that is ready
or still ingesting (with no failed file), and no store the plan points agents at is deleted.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent
from reconciler.core.kinds.file import LiveFile
from reconciler.core.kinds.vector_store import LiveVectorStore
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState

# The checker names the kinds itself, apart from their modules, so that a mistake there (a
# renamed kind, a key read wrongly) is not repeated here.
AGENT, STORE, FILE = "agent", "vector_store", "file"
AGENTS: Key[LiveAgent] = Key(AGENT)
DESIRED_AGENTS: Key[DesiredAgent] = Key(AGENT)
STORES: Key[LiveVectorStore] = Key(STORE)
FILES: Key[LiveFile] = Key(FILE)


def foundry_problems(plan: Plan, desired: DesiredState, live: LiveState) -> list[str]:
    found: list[str] = []
    agents = {a.name: a for a in live.of(AGENTS)}
    stores = {s.id: s for s in live.of(STORES)}
    imports = {a.import_id for a in desired.of(DESIRED_AGENTS) if a.import_id}
    updated = {c.id for c in plan.actionable if c.kind == AGENT and c.action == "update"}
    for change in plan.actionable:
        if change.kind == AGENT and change.id is not None and ":" in change.id:
            found += _version_deleted(change, agents, updated, desired.owner)
        elif change.kind == AGENT and change.id is not None:
            agent = agents.get(change.id)
            found += _owned(change, agent.metadata if agent else None, desired.owner, imports)
        if change.kind == STORE and change.action == "delete":
            store = stores.get(change.id or "")
            owner = _store_owner(change, store.metadata if store else {}, plan, live, desired)
            found += _owned(change, store.metadata if store else None, owner, set())
        if change.kind == STORE and change.action == "update":
            found += _awaited(change, stores.get(change.id or ""), desired.project)
    found += _unknown_holders(plan, live)
    pointed = _stores_after(plan, live)
    relied = set(plan.files.values())
    for change in plan.actionable:
        if change.kind == STORE and change.action == "delete" and change.id in pointed:
            found.append(f"{change.address} is deleted while an agent points at it")
        if change.kind == STORE and change.action == "delete" and change.id in relied:
            found.append(f"{change.address} is deleted while the plan relies on it")
    return found + _knowledge_twice(plan, live, desired.project)


def _unknown_holders(plan: Plan, live: LiveState) -> list[str]:
    """Nothing goes while what may hold it is not known: a store's files, an agent's versions."""
    found: list[str] = []
    unknown = [s.id for s in live.of(STORES) if s.file_ids is None]
    deletes_files = any(c.kind == FILE and c.action == "delete" for c in plan.actionable)
    if unknown and deletes_files:
        found.append(f"files are deleted while the files of stores {unknown} are not known")
    deletes = any(c.kind in (FILE, STORE) and c.action == "delete" for c in plan.actionable)
    unread = _histories_unknown(plan, live)
    if unread and deletes:
        found.append(f"files or stores are deleted while the versions of {unread} are not known")
    return found


def _knowledge_twice(plan: Plan, live: LiveState, project: str) -> list[str]:
    """Stores created although one of that name, of the project, is ready or on its way."""
    building = {"completed", "in_progress"}
    held = {
        s.name
        for s in live.of(STORES)
        if (marks := read_marks(s.metadata)) is not None
        and marks.owner.split("/", 1)[0] == project
        and s.status in building
        and s.failed == 0
    }
    return [
        f"{c.address} builds knowledge a store of the project already holds or is ingesting"
        for c in plan.actionable
        if c.kind == STORE and c.action == "create" and c.name in held
    ]


def _version_deleted(
    change: ResourceChange, agents: dict[str, LiveAgent], updated: set[str | None], owner: str
) -> list[str]:
    """A version goes only when it is ours, and the latest only when a newer one is made."""
    name, _, number = (change.id or "").partition(":")
    agent = agents.get(name)
    versions = {v.version: v for v in (agent, *(agent.history or ()))} if agent else {}
    version = versions.get(number)
    if change.action != "delete":
        return [f"{change.address} would {change.action} version {change.id}"]
    if version is None:
        return [f"{change.address} acts on {change.id}, which is not on the endpoint"]
    if agent is not None and number == agent.version and name not in updated:
        return [f"{change.address} deletes the latest version of {name} and makes none"]
    return _owned(change, version.metadata, owner, set())


def _awaited(change: ResourceChange, store: LiveVectorStore | None, project: str) -> list[str]:
    """A store is only ever waited for, never changed: one of the project's, still ingesting."""
    marks = read_marks(store.metadata) if store else None
    if store is None or marks is None or marks.owner.split("/", 1)[0] != project:
        return [f"{change.address} would update {change.id}, which is not proven ours"]
    if store.status != "in_progress":
        return [f"{change.address} waits for {change.id}, which is not ingesting"]
    return []


def _histories_unknown(plan: Plan, live: LiveState) -> list[str]:
    """Agents that stay and may have versions besides the latest (numbers are never reused
    while an agent lives, so one at version 1 has no other) whose versions were not read."""
    deleted = {c.id for c in plan.actionable if c.kind == AGENT and c.action == "delete"}
    return sorted(
        a.name
        for a in live.of(AGENTS)
        if a.history is None
        and a.name not in deleted
        and (not a.version.isdigit() or int(a.version) > 1)
    )


def _store_owner(
    change: ResourceChange,
    metadata: dict[str, str],
    plan: Plan,
    live: LiveState,
    desired: DesiredState,
) -> str:
    """Whose store this may be deleted as: ours, or (shared knowledge) another environment's of
    the project that one of our agents, changed by this plan, held."""
    marks = read_marks(metadata)
    if marks is None or marks.owner.split("/", 1)[0] != desired.project:
        return desired.owner
    changed = {c.id for c in plan.actionable if c.kind == AGENT}
    held = any(
        (agent.name in changed or f"{agent.name}:{version.version}" in changed)
        and (m := read_marks(version.metadata)) is not None
        and m.owner == desired.owner
        and change.id in _definition_ids(version.definition)[1]
        for agent in live.of(AGENTS)
        for version in (agent, *(agent.history or ()))
    )
    return marks.owner if held else desired.owner


def _owned(
    change: ResourceChange, metadata: dict[str, str] | None, owner: str, imports: set[str]
) -> list[str]:
    if metadata is None:
        return [f"{change.address} acts on {change.id}, which is not on the endpoint"]
    marks = read_marks(metadata)
    adopted = change.action == "update" and change.id in imports and marks is None
    if (marks is None or marks.owner != owner) and not adopted:
        return [f"{change.address} would {change.action} {change.id}, which is not proven ours"]
    if change.action == "delete" and marks is not None and marks.protected:
        return [f"{change.address} would delete {change.id}, whose live marks protect it"]
    return []


def _definition_ids(definition: dict[str, Any]) -> tuple[set[str], set[str]]:
    files: set[str] = set()
    stores: set[str] = set()
    for tool in definition.get("tools") or []:
        container = tool.get("container")
        if isinstance(container, dict):
            files.update(container.get("file_ids") or [])
        stores.update(tool.get("vector_store_ids") or [])
    return files, stores


def _agents_after(plan: Plan, live: LiveState) -> list[dict[str, Any]]:
    """The definitions agents have after the plan, with ids where the live state knows them."""
    changes = {c.id: c for c in plan.actionable if c.kind == AGENT and c.id}
    # Names resolve as the applier resolves them: the plan's own ids first, then what it creates.
    made = {c.name: f"(new {c.name})" for c in plan.actionable if c.action == "create"}
    file_id = {**{f.filename: f.id for f in live.of(FILES)}, **made, **plan.files}
    store_id = {**{s.name: s.id for s in live.of(STORES) if s.name}, **made, **plan.files}
    after: list[dict[str, Any]] = []
    for agent in live.of(AGENTS):
        change = changes.get(agent.name)
        if change is not None and change.action == "delete":
            continue  # every version goes with the agent
        for version in (agent, *(agent.history or ())):  # retained versions keep theirs
            if f"{agent.name}:{version.version}" not in changes:
                after.append(version.definition)
        if change is not None and change.action == "update":
            after.append(_with_ids((change.after or {})["definition"], file_id, store_id))
    for change in plan.actionable:
        if change.kind == AGENT and change.action == "create":
            after.append(_with_ids((change.after or {})["definition"], file_id, store_id))
    return after


def _with_ids(
    definition: dict[str, Any], file_id: dict[str, str], store_id: dict[str, str]
) -> dict[str, Any]:
    tools = []
    for tool in definition.get("tools", []):
        named = dict(tool)
        container = tool.get("container")
        if isinstance(container, dict):
            ids = [file_id.get(n, n) for n in container.get("file_ids", [])]
            named["container"] = {**container, "file_ids": ids}
        if "vector_store_ids" in tool:
            named["vector_store_ids"] = [store_id.get(n, n) for n in tool["vector_store_ids"]]
        tools.append(named)
    return {**definition, "tools": tools}


def _stores_after(plan: Plan, live: LiveState) -> set[str]:
    return {i for d in _agents_after(plan, live) for i in _definition_ids(d)[1]}


def foundry_file_references(plan: Plan, live: LiveState) -> set[str]:
    """Files that agents (code interpreter) and kept stores hold after the plan."""
    referenced = {i for d in _agents_after(plan, live) for i in _definition_ids(d)[0]}
    deleted = {c.id for c in plan.actionable if c.kind == STORE and c.action == "delete"}
    for store in live.of(STORES):
        if store.id not in deleted:
            referenced.update(store.file_ids or ())
    return referenced


def foundry_held_by_ours(live: LiveState, owner: str, changes: list[ResourceChange]) -> set[str]:
    """Files one of our stores or agents holds: we put them there."""
    adopting = {c.id for c in changes if c.importing}
    held: set[str] = set()
    our_stores: set[str] = set()  # stores our agents use: shared knowledge of the project
    for agent in live.of(AGENTS):
        if agent.name in adopting:
            continue
        for version in (agent, *(agent.history or ())):
            marks = read_marks(version.metadata)
            if marks is not None and marks.owner == owner:
                files, stores = _definition_ids(version.definition)
                held.update(files)
                our_stores.update(stores)
    project = owner.split("/", 1)[0]
    for store in live.of(STORES):
        marks = read_marks(store.metadata)
        if marks is None:
            continue
        shared = marks.owner.split("/", 1)[0] == project and store.id in our_stores
        if marks.owner == owner or shared:
            held.update(store.file_ids or ())
    return held
