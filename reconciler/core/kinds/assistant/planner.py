"""The planning of the assistant kind: what a plan does with each declared and each live assistant."""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.kinds.assistant.essence import SharedLists, live_essence
from reconciler.core.kinds.assistant.keys import DESIRED, LIVE, NAME, owned_copies
from reconciler.core.kinds.assistant.rules import file_ids_after, keep_ignored, likeness, prose
from reconciler.core.kinds.assistant.types import DesiredAssistant, LiveAssistant
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.file import LIVE as FILES
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.file import parse_name
from reconciler.core.marks import Marks, read_marks, unmarked
from reconciler.core.plan_types import ActionReason, ResourceChange
from reconciler.errors import PlanError


class Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.live = context.live.of(LIVE)
        self.desired = context.desired.of(DESIRED)
        self.by_id = {a.id: a for a in self.live}
        self.owned = owned_copies(self.live, context.owner)
        self.filename_of = {f.id: f.filename for f in context.live.of(FILES)}
        self.declared = {a.name for a in self.desired}
        self.keepers: dict[str, str] = {}  # logical name (live or declared) -> kept id
        self.kept_because: dict[str, str] = {}  # kept id -> why, when not for being the oldest
        self.unmarked_by_name: dict[str | None, str] = {}
        self.tools = SharedLists()  # both sides': equal tools, one list
        for live in self.live:
            if unmarked(live.metadata):
                self.unmarked_by_name.setdefault(live.name, live.id)

    def run(self) -> None:
        wanted = self.wanted()
        found = {d.name: self.keeper(d) for d in wanted}
        for desired in wanted:
            self.upsert(desired, *found[desired.name])
        self.removals()
        self.replacements()
        self.references()

    def replacements(self) -> None:
        """A create beside the delete of a look-alike of ours is most likely a rename: say so."""
        mine = self.context.of_kind(NAME)
        gone: dict[str, list[ResourceChange]] = {}
        for change in (c for c in mine if c.action_reason == "removed"):
            for key in likeness(change.before or {}):
                gone.setdefault(key, []).append(change)
        for new in (c for c in mine if c.action == "create"):
            alike = [c for key in likeness(new.after or {}) for c in gone.get(key, [])]
            for old in alike[:1]:  # a rename pairs one with one: the first look-alike says it
                self.context.notes.append(
                    f"{new.address} replaces {old.address} ({old.id}): a rename without "
                    f"renamed_from deletes the old assistant and creates one with a new id. "
                    f"To keep the id, declare renamed_from: [{old.name}] on {new.name}."
                )

    def references(self) -> None:
        """Tell the file kind what is referenced after this plan and what it stops using."""
        context, uploads = self.context, self.context.refs(FILE)
        mine = {c.id: c for c in context.of_kind(NAME) if c.id is not None}
        id_of = {f.filename: f.id for f in context.live.of(FILES)}
        for written in context.of_kind(NAME):
            rewritten = any(c.path == "files" for c in written.diff)
            if written.action == "create" or (written.action == "update" and rewritten):
                uploads.needed.update((written.after or {})["files"])
        for live in self.live:
            uploads.now.update(live.file_ids)
            change = mine.get(live.id)
            if change is None or change.action == "no-op":
                uploads.after.update(live.file_ids)
                continue
            now = file_ids_after(change, live, id_of)
            uploads.after.update(now)
            ours = read_marks(live.metadata) is not None and not change.importing
            for file_id in set(live.file_ids) - now:
                uploads.released[file_id] = uploads.released.get(file_id, False) or ours
            if change.importing:
                self.note_hand_made(change, set(live.file_ids) - now)

    def note_hand_made(self, change: ResourceChange, dropped: set[str]) -> None:
        """Adoption repoints an assistant at our uploads; the hand-made files it had stay."""
        left = sorted(
            f"{self.filename_of[i]!r} ({i})"
            for i in dropped
            if i in self.filename_of and parse_name(self.filename_of[i]) is None
        )
        if left:
            self.context.notes.append(
                f"{change.address} no longer uses the hand-made file(s) {', '.join(left)} once "
                "adopted: they stay on the endpoint; delete them when nothing uses them."
            )

    def wanted(self) -> list[DesiredAssistant]:
        if self.context.mode == "destroy":
            return []
        return [a for a in self.desired if self.context.targeted(a.name)]

    def keeper(self, desired: DesiredAssistant) -> tuple[LiveAssistant | None, ActionReason]:
        imported = self.imported(desired)
        if imported is not None:
            marks = read_marks(imported.metadata)
            moved = marks is not None and marks.name != desired.name
            return imported, "adopt" if marks is None else "moved" if moved else "drift"
        if desired.name in self.owned:
            return self.owned[desired.name][0], "drift"
        for old in desired.renamed_from:
            if old not in self.declared and old in self.owned:
                return self.owned[old][0], "moved"
        self.refuse_look_alike(desired)
        return None, "new"

    def imported(self, desired: DesiredAssistant) -> LiveAssistant | None:
        """The live assistant import_id names, when this environment may take it."""
        found = self.by_id.get(desired.import_id or "")
        if found is None:
            return None  # gone since the import: planned as if never imported
        if unmarked(found.metadata):
            return found
        marks = read_marks(found.metadata)
        if marks is not None and marks.owner == self.context.owner:
            return found
        project = self.context.desired.project
        if marks is not None and marks.owner.split("/", 1)[0] == project:
            return None  # another environment of this project adopted it: this one gets its own
        owner = marks.owner if marks is not None else "nobody (its marks are incomplete)"
        raise PlanError(
            f"assistant.{desired.name}: import_id {found.id} belongs to {owner}; "
            "an assistant managed elsewhere cannot be adopted. Remove import_id."
        )

    def refuse_look_alike(self, desired: DesiredAssistant) -> None:
        twin = self.unmarked_by_name.get(desired.api_name)
        if twin is not None:
            raise PlanError(
                f"assistant.{desired.name} is not on the endpoint with our marks, but the unmanaged "
                f"assistant {twin} has its name {desired.api_name!r} (were its marks removed "
                "in the portal?). Refusing to create a second one. To take it back, set "
                f"import_id: {twin} in the manifest; to keep both, give this one another "
                "display_name."
            )

    def upsert(
        self, desired: DesiredAssistant, live: LiveAssistant | None, reason: ActionReason
    ) -> None:
        after = self.desired_essence(desired)
        if live is None:
            self.context.add(
                ResourceChange(
                    address=f"{NAME}.{desired.name}",
                    kind=NAME,
                    name=desired.name,
                    action="create",
                    action_reason="new",
                    after=after,
                    reason="declared, not on the endpoint",
                )
            )
            return
        self.keepers[desired.name] = live.id
        if reason in ("adopt", "moved") or live.id == desired.import_id:
            self.kept_because[live.id] = "the one import_id or renamed_from names"
        before = live_essence(live, self.filename_of, self.tools)
        after = keep_ignored(before, after, desired.ignore_changes)
        diff = field_changes(before, after)
        after = after if diff else before  # equal: one copy, not two, per unchanged assistant
        marks = read_marks(live.metadata)
        if marks is not None:
            self.keepers.setdefault(marks.name, live.id)
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{desired.name}",
                kind=NAME,
                name=desired.name,
                action="update" if diff else "no-op",
                action_reason=reason if diff else None,
                importing=reason == "adopt",
                id=live.id,
                before=before,
                after=after,
                diff=diff,
                reason=prose(reason, live, marks) if diff else "",
            )
        )

    def removals(self) -> None:
        protected = {a.name for a in self.desired if a.prevent_destroy}
        for name, copies in sorted(self.owned.items()):
            if not self.context.targeted(name):
                continue
            for live in copies:
                if live.id in self.context.claimed:
                    continue
                kept = self.keepers.get(name)
                self.remove(live, name, kept, name in protected and kept is None)

    def remove(self, live: LiveAssistant, name: str, kept: str | None, declared: bool) -> None:
        marks = read_marks(live.metadata)
        if declared or (marks is not None and marks.protected):
            where = "" if declared else f" on the live object {live.id}"
            raise PlanError(
                f"{NAME}.{name} has lifecycle.prevent_destroy set{where}: refusing to plan its "
                f"deletion. If it was renamed, declare renamed_from: [{name}] on the new manifest; "
                "to release it, apply its manifest with prevent_destroy: false first."
            )
        destroy = self.context.mode == "destroy"
        reason: ActionReason = "duplicate" if kept else "destroy" if destroy else "removed"
        prose = {
            "duplicate": f"duplicate of {kept}, {self.kept_because.get(kept or '', 'the oldest')}, "
            "which is kept",
            "destroy": "destroy removes everything the environment owns",
            "removed": "no manifest declares it any more",
        }[reason]
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{name}" + (f"#{live.id}" if kept else ""),
                kind=NAME,
                name=name,
                action="delete",
                action_reason=reason,
                duplicate_of=kept,
                id=live.id,
                before=live_essence(live, self.filename_of, self.tools),
                reason=prose,
            )
        )

    def desired_essence(self, desired: DesiredAssistant) -> dict[str, Any]:
        files = sorted(self.context.desired.files[sha].upload_name for sha in desired.files)
        marks = Marks(self.context.owner, desired.name, desired.prevent_destroy)
        return {
            "name": desired.api_name,
            "description": desired.description,
            "model": desired.model,
            "instructions": desired.instructions,
            "tools": self.tools(desired.tools),
            "files": files,
            "metadata": {**desired.metadata, **marks.metadata()},
        }
