"""The vector store kind (Foundry): content-addressed knowledge, shared when equal.

A store is named after the hash of its files and chunking (store_name), carries our marks,
and is used once its ingestion completed with no failed file. A store of ours still ingesting
the wanted knowledge (an apply stopped waiting for it) is that knowledge's store too: the plan
relies on it and waits for it (an update that only waits, before any agent points at it), never
builds a second one and never deletes it while it is wanted. Anything else of that name (failed,
expired, foreign) is not pointed at. A store is deleted when it is ours (its owner mark names
this environment), no agent of any owner points at it after the plan, and no declared agent
needs it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.marks import Marks, read_marks
from reconciler.core.plan_types import FieldChange, Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState

# A store's name carries the hash of what it holds (its files' SHA-256s and the chunking), so
# equal knowledge is one store and a change of knowledge is a new store.
STORE_PREFIX = "knowledge/sha256-"  # "/" is never in an upload name: no clash with files
STORE_HASH = 12


def store_name(file_shas: tuple[str, ...], chunking: dict[str, Any] | None) -> str:
    content = json.dumps({"files": sorted(set(file_shas)), "chunking": chunking}, sort_keys=True)
    return f"{STORE_PREFIX}{hashlib.sha256(content.encode()).hexdigest()[:STORE_HASH]}"


@dataclass(frozen=True)
class LiveVectorStore:
    id: str
    name: str | None
    created_at: int
    status: str  # in_progress | completed | expired
    metadata: dict[str, str]
    # The files it holds. Listed up front only for stores named as ours; None: not read yet, and
    # the planner asks for the list before it deletes any file (one list per such store).
    file_ids: tuple[str, ...] | None = None
    failed: int = 0  # files whose ingestion failed


NAME = "vector_store"
LIVE: Key[LiveVectorStore] = Key(NAME)


def usable(store: LiveVectorStore, project: str) -> bool:
    return _of_project(store, project) and store.status == "completed" and store.failed == 0


def ingesting(store: LiveVectorStore, project: str) -> bool:
    """A store of the project still ingesting, no file failed so far: it becomes usable."""
    return _of_project(store, project) and store.status == "in_progress" and store.failed == 0


def _of_project(store: LiveVectorStore, project: str) -> bool:
    marks = read_marks(store.metadata)
    return marks is not None and marks.owner.split("/", 1)[0] == project


class VectorStoreKind:
    name = NAME
    depends_on = (FILE,)
    manifest_kind = None  # declared by the agents whose knowledge it holds
    versioned = False

    def plan(self, context: PlanContext) -> None:
        _Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return set()

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return set()  # shared across environments: what agents let go, not a name, decides

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return [(s.id, set(s.file_ids)) for s in live.of(LIVE) if s.file_ids is not None]

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        return {}

    def requires(self, change: ResourceChange) -> set[str]:
        return {f"{FILE}.{n}" for n in (change.after or {}).get("files", [])}

    def references(self, change: ResourceChange) -> set[str]:
        sides = (change.before or {}, change.after or {})
        return {f"{FILE}.{n}" for side in sides for n in side.get("files", [])}

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        body: dict[str, Any] = {
            "name": after["name"],
            "file_ids": [ids.get(n, n) for n in after["files"]],
            "metadata": after["metadata"],
        }
        if after.get("chunking") is not None:
            body["chunking_strategy"] = after["chunking"]
        return body

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        names = {c.name for c in plan.actionable if c.kind == NAME}
        names |= {a.split(".", 1)[1] for a in seen.referenced if a.startswith(f"{NAME}.")}
        by_name: dict[str, list[dict[str, Any]]] = {}
        for store in live.of(LIVE):
            by_name.setdefault(store.name or "", []).append(_settled(store))
        return {f"{NAME}.{n}": digest(by_name.get(n, [])) for n in names}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{NAME}.") else None


def _settled(store: LiveVectorStore) -> dict[str, Any]:
    """A store as a saved plan depends on it: one that finished ingesting since the plan was
    made is the store the plan waits for, not a change."""
    fields = raw(store)
    return {**fields, "status": "completed"} if fields["status"] == "in_progress" else fields


class _Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.project = context.desired.project
        self.stores = context.live.of(LIVE)
        self.refs = context.refs(NAME)
        self.ready: dict[str, LiveVectorStore] = {}
        self.pending: dict[str, LiveVectorStore] = {}  # still ingesting: waited for, not made
        for store in sorted(self.stores, key=lambda s: s.created_at):
            if store.name and usable(store, self.project):
                self.ready.setdefault(store.name, store)
            elif store.name and ingesting(store, self.project):
                self.pending.setdefault(store.name, store)
        for name in set(self.pending) & set(self.ready):  # a ready copy is the one used
            del self.pending[name]

    def run(self) -> None:
        for name in sorted(self.refs.needed):
            if name in self.ready:
                self.context.relied[name] = self.ready[name].id
            elif name in self.pending:
                self.context.relied[name] = self.pending[name].id
                self.wait(self.pending[name])
            elif name in self.refs.wanted:
                self.create(name, self.refs.wanted[name])
        self.deletes()
        self.references()

    def wait(self, store: LiveVectorStore) -> None:
        """The store an earlier apply stopped waiting for: apply waits for it (and fails it as a
        create would, should a file fail) before the agents that need it are written."""
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{store.name}",
                kind=NAME,
                name=store.name or store.id,
                action="update",
                action_reason="ingesting",
                id=store.id,
                before={"name": store.name, "status": store.status},
                after={"name": store.name, "status": "completed"},
                diff=[FieldChange(op="change", path="status", old=store.status, new="completed")],
                reason="still ingesting since an earlier apply: apply waits for it, "
                "no second store is made",
            )
        )

    def create(self, name: str, wanted: dict[str, Any]) -> None:
        """A store of the knowledge a dependant wants: {"files": [sha256...], "chunking": ...}."""
        declared = [self.context.desired.files[sha] for sha in set(wanted["files"])]
        files = sorted(f.upload_name for f in declared)
        marks = Marks(self.context.owner, name)
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{name}",
                kind=NAME,
                name=name,
                action="create",
                action_reason="new",
                after={
                    "name": name,
                    "files": files,
                    "paths": {
                        f.upload_name: f.path for f in sorted(declared, key=lambda f: f.path)
                    },
                    "chunking": wanted.get("chunking"),
                    "metadata": marks.metadata(),
                },
                reason=f"knowledge of {len(files)} file(s) that no ready store holds",
            )
        )

    def deletes(self) -> None:
        kept = {store.id for store in self.ready.values()}
        doomed = [s for s in sorted(self.stores, key=lambda s: s.id) if self.doomed(s, kept)]
        if doomed and self.context.unread:
            # What an agent's older versions reference is not known yet: read them first.
            self.context.to_read |= self.context.unread
            return
        for store in doomed:
            self.delete(store, broken=not usable(store, self.project))
        if self.context.mode == "destroy":
            self.kept_for_others(doomed)

    def kept_for_others(self, doomed: list[LiveVectorStore]) -> None:
        """Destroy leaves a store of ours that another environment's agent still uses: say so.
        Its mark keeps naming this environment, which orphans nothing: `ours` lets any
        environment of the project delete it once its own agent lets it go, so the last user
        deletes it, as with every shared store."""
        going = {store.id for store in doomed}
        for store in sorted(self.stores, key=lambda s: s.id):
            marks = read_marks(store.metadata)
            mine = marks is not None and marks.owner == self.context.owner
            if mine and store.id not in going and store.id in self.refs.after:
                self.context.notes.append(
                    f"{NAME}.{store.name} ({store.id}) and its files stay: an agent of another "
                    f"environment still uses them. The store keeps the mark of "
                    f"{self.context.owner}; the last environment of {self.project} to let it "
                    "go deletes it."
                )

    def doomed(self, store: LiveVectorStore, kept: set[str]) -> bool:
        if not self.ours(store) or not (store.name or "").startswith(STORE_PREFIX):
            return False
        in_use = store.id in self.refs.after
        needed = store.id in kept and store.name in self.refs.needed
        return not (in_use or needed or self.awaited(store) or self.retained(store))

    def retained(self, store: LiveVectorStore) -> bool:
        """A ready store that no latest version uses and that this plan does not let go is
        taken to be an older version's (read only when something goes): it stays until the
        version that holds it is deleted, or destroy."""
        released = self.refs.released.get(store.id, False)
        normal = self.context.mode == "normal"
        return normal and usable(store, self.project) and not released

    def awaited(self, store: LiveVectorStore) -> bool:
        """Still ingesting knowledge a declared agent wants (targeted now or not): kept."""
        pending = self.pending.get(store.name or "")
        wanted = store.name in self.refs.wanted and self.context.mode != "destroy"
        return pending is not None and pending.id == store.id and wanted

    def ours(self, store: LiveVectorStore) -> bool:
        """Marked by this environment, or by another of the project while an agent of ours is
        the one letting it go: equal knowledge is shared across environments, so the last user
        deletes it, whoever built it."""
        marks = read_marks(store.metadata)
        if marks is None:
            return False
        if marks.owner == self.context.owner:
            return True
        same_project = marks.owner.split("/", 1)[0] == self.project
        return same_project and self.refs.released.get(store.id, False)

    def delete(self, store: LiveVectorStore, broken: bool) -> None:
        destroy = self.context.mode == "destroy"
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{store.name}#{store.id}",
                kind=NAME,
                name=store.name or store.id,
                action="delete",
                action_reason="destroy" if destroy else "orphan" if broken else "removed",
                id=store.id,
                before={"name": store.name, "status": store.status, "failed": store.failed},
                reason="an unfinished or failed store of ours that nothing uses"
                if broken
                else "no agent uses it (any more, or another copy is used)",
            )
        )

    def references(self) -> None:
        """Tell the file kind which uploads stores hold after the plan, and which they let go."""
        context, files = self.context, self.context.refs(FILE)
        deleted = {c.id for c in context.of_kind(NAME) if c.action == "delete"}
        for change in context.of_kind(NAME):
            if change.action == "create":
                files.needed.update((change.after or {})["files"])
        for store in self.stores:
            if store.file_ids is None:
                context.unread.add(store.id)
                continue
            files.now.update(store.file_ids)
            if store.id not in deleted:
                files.after.update(store.file_ids)
                continue
            for file_id in store.file_ids:
                files.released[file_id] = True  # our store: we put the file there
