"""The file kind: content-addressed uploads, and deleting them once nothing references them.

Upload names keep the original readable and carry the content's SHA-256 behind a marker:
`docs/faq.md` -> `faq.sha256-3f9a2c1e77b0.md`. A person does not write `.sha256-` and twelve hex
digits by accident (a timestamp such as `notes.202402011200.md` is twelve hex digits too, which
is why the marker is there). A file is ours to delete only when its name follows the scheme and
either one of our assistants held it (we attached it) or its content, read back, has that hash.
Names from before the marker (`faq.3f9a2c1e77b0.md`) are deleted only after such a read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from reconciler.core.fingerprint import digest
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState


@dataclass(frozen=True)
class LiveFile:
    id: str
    filename: str
    bytes: int
    created_at: int
    purpose: str


NAME = "file"
LIVE: Key[LiveFile] = Key(NAME)
HASH_PREFIX = 12
# What holds uploads in each dialect, as a deleted file's reason names it.
USERS = {"assistants": "assistant", "foundry": "agent or vector store"}
MARKER = "sha256-"
CONTENT_ADDRESSED = re.compile(
    rf"^(?P<stem>.+)\.{MARKER}(?P<hash>[0-9a-f]{{{HASH_PREFIX}}})(?P<suffix>\.[^.]*)?$"
)
LEGACY = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_PREFIX}}})(?P<suffix>\.[^.]*)?$")
# Characters a multipart filename does not carry back unchanged (httpx escapes quotes, backslashes
# and control characters), so an upload name with them would never be found again.
UNSAFE = re.compile(r'["\\%/\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Address:
    """What an upload name says: its family (stem, suffix), its hash, and which scheme."""

    stem: str
    suffix: str
    hash: str
    legacy: bool

    @property
    def family(self) -> tuple[str, str]:
        return self.stem, self.suffix


def upload_name(relative: str, sha256: str) -> str:
    stem, suffix = _stem_and_suffix(relative)
    stem, suffix = UNSAFE.sub("_", stem), UNSAFE.sub("_", suffix)
    return f"{stem}.{MARKER}{sha256[:HASH_PREFIX]}{suffix}"


def _stem_and_suffix(relative: str) -> tuple[str, str]:
    """PurePosixPath(relative)'s stem and suffix, by text where that is the same: parsing a
    path for them was a sixth of describing a declared file."""
    name = relative.rpartition("/")[2]
    if name in ("", "."):  # pathlib reads the component before it: let it
        path = PurePosixPath(relative)
        return path.stem, path.suffix
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if 0 < dot < len(name) - 1 else (name, "")


def parse_name(filename: str, legacy: bool = False) -> Address | None:
    """The address in an upload name, or None when it is not one of ours."""
    match = CONTENT_ADDRESSED.match(filename)
    if match is None and legacy:
        match = LEGACY.match(filename)
        old = True
    else:
        old = False
    if match is None:
        return None
    return Address(match["stem"], match["suffix"] or "", match["hash"], old)


class FileKind:
    name = NAME
    depends_on: tuple[str, ...] = ()
    manifest_kind = None  # declared by the kinds that upload: content-addressed, shared
    versioned = False

    def plan(self, context: PlanContext) -> None:
        _Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return set()

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return set()  # uploads carry no marks: their names and content say they are ours

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return ()

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        return {}

    def requires(self, change: ResourceChange) -> set[str]:
        return set()

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        return {"filename": after["filename"], "path": after["path"], "sha256": after["sha256"]}

    def references(self, change: ResourceChange) -> set[str]:
        return set()

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        """The users of every file it deletes, and the id of every file it relies on, by upload
        name (so one appearing or vanishing counts)."""
        deleted = {c.id for c in plan.changes if c.kind == NAME and c.action == "delete" and c.id}
        users: dict[str, list[str]] = {}
        for user, held in seen.holders:
            for file_id in held & deleted:
                users.setdefault(file_id, []).append(user)
        prints = {f"users.{i}": digest(sorted(users.get(i, []))) for i in deleted}
        names = {c.name for c in plan.changes if c.kind == NAME}
        referenced = seen.referenced
        names |= {a.removeprefix(f"{NAME}.") for a in referenced if a.startswith(f"{NAME}.")}
        by_name = {f.filename: f.id for f in live.of(LIVE)}
        prints.update({f"{NAME}.{n}": by_name.get(n, "absent") for n in names})
        return prints

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        prefix, name = key.split(".", 1)
        if prefix == "users":
            return f"the assistants, agents or stores using file {name} changed"
        if prefix != NAME:
            return None
        what = "appeared" if then == "absent" else "is gone" if now == "absent" else "changed"
        return f"file {name} {what}"


class _Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.files = context.live.of(LIVE)
        self.by_name = {f.filename: f for f in self.files}
        self.by_id = {f.id: f for f in self.files}
        self.copies = Counter(f.filename for f in self.files)
        self.declared = {f.upload_name: f for f in context.desired.files.values()}
        self.refs = context.refs(NAME)

    def run(self) -> None:
        self.uploads()
        released = self.refs.released
        candidates = {i: released[i] for i in released if i not in self.refs.after}
        for file_id in self.orphans():
            candidates.setdefault(file_id, False)
        if candidates and self.context.unread:
            # A store whose files were not listed may hold any of them: list those first.
            self.context.to_read |= self.context.unread
            return
        for file_id in sorted(candidates):
            self.delete(file_id, attached=candidates[file_id], orphan=file_id not in released)

    def uploads(self) -> None:
        for name in sorted(self.refs.needed):
            if name in self.by_name:
                self.context.relied[name] = self.by_name[name].id
                continue
            file = self.declared.get(name)
            if file is None:
                continue  # an ignored attachment the endpoint no longer has: nothing to upload
            self.context.add(
                ResourceChange(
                    address=f"{NAME}.{name}",
                    kind=NAME,
                    name=name,
                    action="create",
                    action_reason="new",
                    after={
                        "filename": name,
                        "path": file.path,
                        "sha256": file.sha256,
                        "bytes": file.size,
                    },
                    reason=f"{file.path} has content no file on the endpoint holds",
                )
            )

    def orphans(self) -> list[str]:
        """Our uploads nothing references: content-addressed, named after a file we declare."""
        if self.context.targets or self.context.mode == "destroy":
            return []  # a partial plan leaves the rest of the endpoint alone
        families = {a.family for name in self.declared if (a := parse_name(name)) is not None}
        used = self.refs.after | self.refs.now
        relied = set(self.context.relied.values())
        return [
            f.id
            for f in self.files
            if f.id not in used
            and f.id not in relied  # another copy of a needed name is still an orphan
            and (address := parse_name(f.filename)) is not None
            and address.family in families
        ]

    def delete(self, file_id: str, attached: bool, orphan: bool) -> None:
        live = self.by_id.get(file_id)
        if live is None or file_id in self.context.relied.values():
            return
        address = parse_name(live.filename, legacy=not orphan)
        if address is None:
            return  # not our naming: a file someone made by hand stays
        if not (attached and not address.legacy):
            content = self.context.live.content.get(file_id)
            if content is None:
                self.context.unproven.add(file_id)
                return
            if not content.startswith(address.hash):
                self.context.notes.append(
                    f"file {live.filename} ({file_id}) looks like one of our uploads but its content "
                    "does not match its name: left alone"
                )
                return
        destroy = self.context.mode == "destroy"
        users = USERS.get(self.context.desired.environment.api, "object of ours")
        reason = (
            f"an upload of ours that no {users} uses, left by an interrupted apply"
            if orphan
            else f"no {users} uses it any more"
        )
        copies = self.copies.get(live.filename, 0) > 1
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{live.filename}" + (f"#{file_id}" if copies else ""),
                kind=NAME,
                name=live.filename,
                action="delete",
                action_reason="orphan" if orphan else "destroy" if destroy else "removed",
                id=file_id,
                before={"filename": live.filename},
                reason=reason,
            )
        )
