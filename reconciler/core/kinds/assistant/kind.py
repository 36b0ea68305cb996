"""The assistant kind (Assistants v1): which live assistant each manifest keeps, and what changes.

Each declared assistant claims at most one live object, found in this order: the one its
import_id names (adopted when unmarked, moved when ours under another name), our oldest copy of
its logical name, our oldest copy of a name it was `renamed_from`. Without any of them it is
created, unless an unmarked assistant already has its API name: that look-alike is reported,
never silently duplicated. Our copies that no manifest claims are deleted, unless their live
marks protect them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.assistant.keys import DESIRED, LIVE, NAME, owned_copies
from reconciler.core.kinds.assistant.planner import Planner
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState


class AssistantKind:
    name = NAME
    depends_on = (FILE,)
    manifest_kind = "Assistant"
    versioned = False
    # Rendering hint (core/rendering): a tool is named by its function's name, else its type.
    element_names: ClassVar[dict[str, tuple[str, ...]]] = {"tools": ("function.name", "type")}

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return {a.name for a in desired.of(DESIRED)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return set(owned_copies(live.of(LIVE), owner))

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return [(a.id, set(a.file_ids)) for a in live.of(LIVE)]

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        return {}  # logical names are the same in every environment

    def requires(self, change: ResourceChange) -> set[str]:
        if change.action == "delete":
            return set()
        return {f"{FILE}.{name}" for name in (change.after or {}).get("files", [])}

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        fields = {c.path.split(".")[0] for c in change.diff} if change.id else set(after)
        body: dict[str, Any] = {}
        for field in sorted(fields):
            if field == "files":
                body["file_ids"] = [ids.get(name, name) for name in after["files"]]
            elif change.id is not None or after.get(field) is not None:
                body[field] = after.get(field)
        return body

    def references(self, change: ResourceChange) -> set[str]:
        sides = (change.before or {}, change.after or {})
        return {f"{FILE}.{name}" for side in sides for name in side.get("files", [])}

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        """Our copies of every logical name the plan acts on (so one appearing counts too), and
        every assistant it adopts. A name it leaves alone is not its business when applied."""
        owner = f"{plan.project}/{plan.environment}"
        names = {c.name for c in plan.actionable if c.kind == NAME}
        ours: dict[str, list[LiveAssistant]] = {}
        assistants = live.of(LIVE)
        for assistant in assistants:  # one pass: a scan per name is quadratic
            marks = read_marks(assistant.metadata)
            if marks is not None and marks.owner == owner and marks.name in names:
                ours.setdefault(marks.name, []).append(assistant)
        prints = {f"{NAME}.{n}": digest([raw(a) for a in ours.get(n, [])]) for n in names}
        by_id = {a.id: a for a in assistants}
        for change in plan.changes:
            if change.kind == NAME and change.id and change.importing:
                found = by_id.get(change.id)
                prints[f"adopted.{change.id}"] = digest(raw(found) if found else None)
        return prints

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        prefix, name = key.split(".", 1)
        if prefix == "adopted":
            return f"assistant {name} (to adopt) changed"
        return f"{key} changed" if prefix == NAME else None
