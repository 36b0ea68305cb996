"""The planning of the agent kind: what a plan does with each declared and each live agent."""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.kinds.agent.defaults import settled
from reconciler.core.kinds.agent.history import may_have_older, release, retention_deletes
from reconciler.core.kinds.agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.agent.rules import (
    SETTINGS,
    keep_ignored,
    next_version,
    present_settings,
    tool_key,
)
from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent
from reconciler.core.kinds.agent_space import check_foreign, claim, note_pins, of_kind, removal
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.connection import names as connection_names
from reconciler.core.kinds.deployment import NAME as DEPLOYMENT
from reconciler.core.kinds.file import LIVE as FILES
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.file import parse_name
from reconciler.core.kinds.vector_store import LIVE as STORES
from reconciler.core.kinds.vector_store import NAME as STORE
from reconciler.core.kinds.vector_store import usable
from reconciler.core.marks import Marks, read_marks
from reconciler.core.plan_types import ResourceChange
from reconciler.core.tools.base import Names
from reconciler.core.tools.registry import held, tool_type
from reconciler.core.tools.registry import references as tool_references


class Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.dropped: dict[str, set[str]] = {}  # agent -> versions the plan deletes
        self.agents = context.live.of(LIVE)  # every agent: what any of them holds counts
        self.prompts = of_kind(self.agents, "prompt")  # the agents this kind plans (agent_space)
        self.desired = context.desired.of(DESIRED)
        self.by_name = {a.name: a for a in self.prompts}
        self.filename_of = {f.id: f.filename for f in context.live.of(FILES)}
        # Only a ready store of ours is known by its name: any other stays its bare id, so that
        # an agent on a failed or foreign store differs from one on the store it should have.
        project = context.desired.project
        stores = {s.id: s.name for s in context.live.of(STORES) if s.name and usable(s, project)}
        self.names = Names(self.filename_of, stores, connection_names(context.live))

    def run(self) -> None:
        stores = self.context.refs(STORE).wanted
        for agent in self.desired:  # the knowledge each store of a declared agent holds
            for held_knowledge in agent.knowledge:
                store = {"files": held_knowledge.files, "chunking": held_knowledge.chunking}
                stores.setdefault(held_knowledge.name, store)
        wanted = () if self.context.mode == "destroy" else self.desired
        wanted = tuple(a for a in wanted if self.context.targeted(a.name))
        for desired in wanted:
            self.upsert(desired)
            _wanted_by(self.context, DEPLOYMENT, desired.model, desired.address)
        self.removals({a.name for a in wanted})
        self.references()

    def upsert(self, desired: DesiredAgent) -> None:
        after = self.desired_essence(desired)
        live = self.by_name.get(desired.name)
        if live is None:
            check_foreign(self.context, "prompt", desired.name, desired.address)
            self.context.add(
                ResourceChange(
                    address=f"{NAME}.{desired.name}",
                    kind=NAME,
                    name=desired.name,
                    action="create",
                    action_reason="new",
                    after=after,
                    reason="declared, not on the endpoint: version 1",
                )
            )
            return
        reason = claim(self.context, desired.address, live, desired.import_id)
        before = settled(self.live_essence(live), after)
        after = keep_ignored(before, after, desired.ignore_changes)
        diff = field_changes(before, after)
        versions = f"new version ({live.version} -> {next_version(live.version)})"
        if reason == "adopt":
            versions = (
                f"adopts the existing agent {live.name} (import_id): {versions} with our marks"
            )
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{desired.name}",
                kind=NAME,
                name=desired.name,
                action="update" if diff else "no-op",
                action_reason=reason if diff else None,
                importing=reason == "adopt",
                id=live.name,
                version=live.version,
                before=before,
                after=after,
                diff=diff,
                reason=versions if diff else "",
            )
        )
        if diff:
            note_pins(self.context, self.context.changes[-1], next_version(live.version))
            self.retain(desired, live)

    def retain(self, desired: DesiredAgent, live: LiveAgent) -> None:
        """A new version: the oldest versions of ours beyond retention go."""
        essence = self.live_essence
        self.dropped[live.name] = retention_deletes(self.context, desired.retention, live, essence)

    def removals(self, wanted: set[str]) -> None:
        """Ours that no manifest declares go (agent_space.removal: unless protected, or a
        workflow invokes them)."""
        protected = {a.name for a in self.desired if a.prevent_destroy}
        for live in sorted(self.prompts, key=lambda a: a.name):
            if live.name in wanted:
                continue
            change = removal(self.context, NAME, live, protected, self.live_essence)
            if change is not None:
                self.context.add(change)

    def references(self) -> None:
        """Tell stores and files what agents point at after this plan, and what they let go."""
        context = self.context
        uploads, knowledge = context.refs(FILE), context.refs(STORE)
        mine = {c.id: c for c in context.of_kind(NAME) if c.id is not None}
        file_id = {f.filename: f.id for f in context.live.of(FILES)}
        self.needs()
        for live in self.agents:
            change = mine.get(live.name)
            deleted = change is not None and change.action == "delete"
            if live.history is None and may_have_older(live):
                # Read before anything it may hold goes; when it goes, to let go of all it held.
                (context.to_read if deleted else context.unread).add(f"{NAME}.{live.name}")
            gone = self.gone(live, deleted)
            for version in (live, *(live.history or ())):
                holds = held(version.definition)
                uploads.now.update(holds.files)
                if version not in gone:  # retained: it keeps what it references
                    uploads.after.update(holds.files)
                    knowledge.after.update(holds.stores)
                for kind, _, name in (a.partition(".") for a in holds.others):
                    refs = context.refs(kind)  # a toolbox: never deleted while in use
                    refs.now.add(name)
                    if version not in gone:
                        refs.after.add(name)
            for version in gone:
                release(context, version, change is not None and change.importing)
            if change is None or change.action != "update":
                continue
            now = tool_references(change.after or {})
            prefix = f"{FILE}."
            kept = {
                file_id.get(a[len(prefix) :], a[len(prefix) :]) for a in now if a.startswith(prefix)
            }
            uploads.after.update(kept)
            if change.importing:
                holds = held(live.definition)
                still = {a.split(".", 1)[1] for a in now if a.startswith(f"{STORE}.")}
                self.note_hand_made(change, set(holds.files) - kept, set(holds.stores) - still)

    def gone(self, live: LiveAgent, deleted: bool) -> list[LiveAgent]:
        """The versions of an agent that the plan deletes: all of them with the agent, else
        those retention lets go."""
        versions = [live, *(live.history or ())]
        if deleted:
            return versions
        return [v for v in versions if v.version in self.dropped.get(live.name, set())]

    def needs(self) -> None:
        """What the agents the plan writes point at: uploads, stores by name or id, and the
        project connections their tools name (the environment's: resolved, never made)."""
        context = self.context
        uploads, knowledge = context.refs(FILE), context.refs(STORE)
        store_ids = {s.id for s in context.live.of(STORES)}
        for written in context.of_kind(NAME):
            if written.action in ("create", "update"):
                for address in tool_references(written.after or {}):
                    kind, name = address.split(".", 1)
                    if kind == FILE:
                        uploads.needed.add(name)
                    elif kind == STORE and name in store_ids:  # by its bare id:
                        knowledge.after.add(name)  # that very store stays
                    elif kind == STORE:  # by name: the store kind says which store that is
                        knowledge.needed.add(name)
                    else:  # a connection, a toolbox: its kind resolves it, or fails
                        _wanted_by(context, kind, name, written.address)

    def note_hand_made(self, change: ResourceChange, files: set[str], stores: set[str]) -> None:
        """Adoption points an agent at our uploads and store; what was made by hand stays."""
        live = self.context.live.of(STORES)
        unmarked = {s.id: s.name for s in live if read_marks(s.metadata) is None}
        left = [f"vector store {unmarked[i]!r} ({i})" for i in sorted(stores) if i in unmarked]
        left += [
            f"file {self.filename_of[i]!r} ({i})"
            for i in sorted(files)
            if i in self.filename_of and parse_name(self.filename_of[i]) is None
        ]
        if left:
            self.context.notes.append(
                f"{change.address}, once adopted, no longer uses the hand-made "
                f"{', '.join(left)}: left in the project, never deleted by apply; delete by hand "
                "what nothing uses."
            )

    def desired_essence(self, desired: DesiredAgent) -> dict[str, Any]:
        files = self.context.desired.files
        tools = [tool.essence(files) for tool in desired.tools]
        definition: dict[str, Any] = {"kind": "prompt", "model": desired.model}
        for key in ("instructions", "temperature", "top_p", "text", *SETTINGS):
            if getattr(desired, key) is not None:
                definition[key] = getattr(desired, key)
        definition = present_settings(definition)
        definition["tools"] = sorted(tools, key=tool_key)
        marks = Marks(self.context.owner, desired.name, desired.prevent_destroy)
        return {
            "description": desired.description or None,
            "definition": definition,
            "metadata": {**desired.metadata, **marks.metadata()},
        }

    def live_essence(self, live: LiveAgent) -> dict[str, Any]:
        definition = present_settings({k: v for k, v in live.definition.items() if v is not None})
        tools = [tool_type(t).named(t, self.names) for t in definition.get("tools", [])]
        definition["tools"] = sorted(tools, key=tool_key)
        definition.setdefault("kind", "prompt")
        return {
            "description": live.description or None,
            "definition": definition,
            "metadata": dict(live.metadata),
        }


def _wanted_by(context: PlanContext, kind: str, name: str, address: str) -> None:
    """Tell a kind of the environment's (connections, deployments) that `address` names one."""
    users = context.refs(kind).wanted.setdefault(name, {"by": []})["by"]
    if address not in users:
        users.append(address)
