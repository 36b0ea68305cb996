"""Pure: build_plan(desired, live) -> Plan. Destroy is a mode of the same function.

Our assistants are those whose owner mark names this project and environment; anything else is
read (to know which files are still referenced) but never changed. Two live assistants with one
logical name are planned down to the oldest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reconciler.core.diff import field_changes, live_essence, normalise_tools
from reconciler.core.fingerprint import desired_fingerprint, live_fingerprints
from reconciler.core.model import (
    NAME_MARK,
    OWNER_MARK,
    DesiredAssistant,
    DesiredState,
    LiveAssistant,
    LiveState,
)
from reconciler.core.plan_types import Fingerprints, Mode, Plan, ResourceChange
from reconciler.errors import PlanError


@dataclass
class _Builder:
    desired: DesiredState
    live: LiveState
    mode: Mode
    targets: frozenset[str]
    changes: list[ResourceChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_filename = {f.filename: f for f in self.live.files}
        self.filename_of = {f.id: f.filename for f in self.live.files}
        self.owned = _owned(self.live.assistants, self.desired.owner)

    def wanted(self) -> list[DesiredAssistant]:
        if self.mode == "destroy":
            return []
        return [a for a in self.desired.assistants if self._targeted(a.name)]

    def _targeted(self, name: str) -> bool:
        return not self.targets or name in self.targets

    def build(self) -> Plan:
        wanted = self.wanted()
        self._uploads(wanted)
        for assistant in wanted:
            self._assistant(assistant, self.owned.get(assistant.name, []))
        self._removals({a.name for a in wanted})
        self._file_deletes()
        return Plan(
            mode=self.mode,
            project=self.desired.project,
            environment=self.desired.environment.name,
            changes=self.changes,
            files={f.filename: f.id for f in self.live.files},
        )

    def _uploads(self, wanted: list[DesiredAssistant]) -> None:
        needed = dict.fromkeys(sha for assistant in wanted for sha in assistant.files)
        for sha in needed:
            file = self.desired.files[sha]
            if file.upload_name in self.by_filename:
                continue
            after = {
                "filename": file.upload_name,
                "path": file.path,
                "sha256": sha,
                "bytes": file.size,
            }
            reason = f"{file.path} has content no file on the endpoint holds"
            self.changes.append(
                ResourceChange(
                    address=f"file.{file.upload_name}",
                    kind="file",
                    action="create",
                    after=after,
                    reason=reason,
                )
            )

    def _assistant(self, assistant: DesiredAssistant, live: list[LiveAssistant]) -> None:
        after = self.essence_of_desired(assistant)
        adopted = self._adoptable(assistant) if not live else None
        if not live and adopted is None:
            change = ResourceChange(
                address=assistant.address,
                kind="assistant",
                action="create",
                after=after,
                reason="declared, not on the endpoint",
            )
            self.changes.append(change)
            return
        keep = live[0] if live else adopted
        assert keep is not None
        before = self.essence_of_live(keep)
        diff = field_changes(before, after, assistant.ignore_changes)
        reason = "differs from its manifest" if diff else ""
        if adopted is not None:
            diff = field_changes(before, after)  # adoption writes the marks, whatever is ignored
            reason = f"adopts the existing assistant {keep.id} (import_id): same id, now managed"
        change = ResourceChange(
            address=assistant.address,
            kind="assistant",
            action="update" if diff else "no-op",
            id=keep.id,
            before=before,
            after=after,
            diff=diff,
            reason=reason,
        )
        self.changes.append(change)

    def _adoptable(self, assistant: DesiredAssistant) -> LiveAssistant | None:
        """The unmanaged live assistant a manifest's import_id names, to be taken over."""
        if assistant.import_id is None:
            return None
        found = next((a for a in self.live.assistants if a.id == assistant.import_id), None)
        if found is None:
            return None  # gone since the import: create it anew
        owner = found.metadata.get(OWNER_MARK)
        if (
            owner is not None
            and owner.split("/", 1)[0] == self.desired.project
            and owner != self.desired.owner
        ):
            return None  # another environment of this project adopted it: this one gets its own
        if owner is not None and owner != self.desired.owner:
            raise PlanError(
                f"{assistant.address}: import_id {found.id} belongs to {owner}; "
                "an assistant managed elsewhere cannot be adopted. Remove import_id."
            )
        return found

    def _removals(self, wanted: set[str]) -> None:
        protected = {a.name for a in self.desired.assistants if a.prevent_destroy}
        for name, live in sorted(self.owned.items()):
            if not self._targeted(name):
                continue
            doomed = live if name not in wanted else live[1:]
            for index, assistant in enumerate(doomed):
                duplicate = name in wanted or index > 0
                if name in protected and not duplicate:
                    raise PlanError(
                        f"assistant.{name} has lifecycle.prevent_destroy set: refusing to plan its deletion. "
                        "Remove prevent_destroy from its manifest first."
                    )
                reason = (
                    f"duplicate of {live[0].id}, the oldest, which is kept"
                    if duplicate
                    else self._gone_reason()
                )
                address = f"assistant.{name}" + (f"#{assistant.id}" if duplicate else "")
                before = self.essence_of_live(assistant)
                self.changes.append(
                    ResourceChange(
                        address=address,
                        kind="assistant",
                        action="delete",
                        id=assistant.id,
                        before=before,
                        reason=reason,
                    )
                )

    def _gone_reason(self) -> str:
        return (
            "destroy removes everything the environment owns"
            if self.mode == "destroy"
            else "no manifest declares it any more"
        )

    def _file_deletes(self) -> None:
        """Delete files our assistants stop using, once no assistant of any owner uses them."""
        changed = {c.id: c for c in self.changes if c.kind == "assistant" and c.id}
        still_used: set[str] = set()
        released: set[str] = set()
        for assistant in self.live.assistants:
            change = changed.get(assistant.id)
            if change is None or change.action == "no-op":
                still_used.update(assistant.file_ids)
                continue
            released.update(assistant.file_ids)
            if change.action == "update":
                still_used.update(self._ids_of(change.after or {}))
        for change in self.changes:
            if change.action == "create" and change.kind == "assistant":
                still_used.update(self._ids_of(change.after or {}))
        for file_id in sorted(released - still_used):
            # Only our uploads (content-addressed): files an adopted assistant had stay.
            if file_id in self.filename_of and _family(self.filename_of[file_id]) is not None:
                self._delete_file(file_id, "no assistant uses it any more")
        for file_id in sorted(self._orphans(still_used | released)):
            self._delete_file(
                file_id, "an upload of ours that no assistant uses, left by an interrupted apply"
            )

    def _orphans(self, used: set[str]) -> set[str]:
        """Our uploads that nothing references: content-addressed, named after a file we declare."""
        if self.targets:
            return set()  # a partial plan leaves the rest of the endpoint alone
        ours = {_family(f.upload_name) for f in self.desired.files.values()}
        needed = {c.after["filename"] for c in self.changes if c.kind == "file" and c.after}
        needed |= {name for a in self.wanted() for name in self.essence_of_desired(a)["files"]}
        referenced = used | {i for a in self.live.assistants for i in a.file_ids}
        return {
            f.id
            for f in self.live.files
            if f.id not in referenced and f.filename not in needed and _family(f.filename) in ours
        }

    def _delete_file(self, file_id: str, reason: str) -> None:
        name = self.filename_of[file_id]
        self.changes.append(
            ResourceChange(
                address=f"file.{name}",
                kind="file",
                action="delete",
                id=file_id,
                before={"filename": name},
                reason=reason,
            )
        )

    def _ids_of(self, essence: dict[str, Any]) -> set[str]:
        return {
            self.by_filename[name].id
            for name in essence.get("files", [])
            if name in self.by_filename
        }

    def essence_of_desired(self, assistant: DesiredAssistant) -> dict[str, Any]:
        files = sorted(self.desired.files[sha].upload_name for sha in assistant.files)
        marks = {OWNER_MARK: self.desired.owner, NAME_MARK: assistant.name}
        return {
            "name": assistant.api_name,
            "description": assistant.description,
            "model": assistant.model,
            "instructions": assistant.instructions,
            "tools": normalise_tools(assistant.tools),
            "files": files,
            "metadata": {**assistant.metadata, **marks},
        }

    def essence_of_live(self, assistant: LiveAssistant) -> dict[str, Any]:
        return live_essence(assistant, self.filename_of)


CONTENT_ADDRESSED = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{12}(?P<suffix>\.[^.]*)?$")


def _family(filename: str) -> tuple[str, str] | None:
    """(stem, suffix) of a content-addressed upload name: faq.3f9a2c1e77b0.md -> (faq, .md)."""
    match = CONTENT_ADDRESSED.match(filename)
    return (match["stem"], match["suffix"] or "") if match else None


def _owned(assistants: tuple[LiveAssistant, ...], owner: str) -> dict[str, list[LiveAssistant]]:
    """Our assistants by logical name, oldest first.

    Ties in created_at (one-second resolution) keep the list's order, which is creation order.
    """
    owned: dict[str, list[LiveAssistant]] = {}
    for assistant in sorted(assistants, key=lambda a: a.created_at):
        name = assistant.metadata.get(NAME_MARK)
        if assistant.metadata.get(OWNER_MARK) == owner and name:
            owned.setdefault(name, []).append(assistant)
    return owned


def build_plan(
    desired: DesiredState,
    live: LiveState,
    mode: Mode = "normal",
    targets: tuple[str, ...] = (),
    allow_empty: bool = False,
) -> Plan:
    owned = _owned(live.assistants, desired.owner)
    if mode == "normal" and not desired.assistants and owned and not allow_empty:
        raise PlanError(
            f"the manifests declare no assistant, but {desired.owner} owns {len(owned)} on the endpoint: "
            "this plan would delete them all. "
            "Check the manifests path, or pass --allow-empty if that is intended."
        )
    unknown = sorted(set(targets) - {a.name for a in desired.assistants} - set(owned))
    if unknown:
        raise PlanError(f"--target names no assistant of this project: {', '.join(unknown)}")
    plan = _Builder(desired, live, mode, frozenset(targets)).build()
    plan = plan.model_copy(
        update={
            "endpoint": desired.environment.endpoint,
            "targets": sorted(targets),
            "has_changes": bool(plan.actionable),
        }
    )
    prints = Fingerprints(
        manifests=desired_fingerprint(desired), live=live_fingerprints(plan, live)
    )
    return plan.model_copy(update={"fingerprints": prints})
