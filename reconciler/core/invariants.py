"""The invariants no plan may break, stated once (DESIGN.md, "Invariants").

build_plan refuses any plan for which `violations` is not empty, and the property tests check
the same function over random and adversarial live states, together with convergence (apply,
then plan again: no changes), which no single plan can show. The checks are written from the
live state and the plan alone, apart from the kinds' planning code, so that a mistake there is
not repeated here.
"""

from __future__ import annotations

from collections import Counter

from reconciler.core.invariants_foundry import (
    foundry_file_references,
    foundry_held_by_ours,
    foundry_problems,
)
from reconciler.core.invariants_toolbox import toolbox_problems
from reconciler.core.invariants_workflow import workflow_problems
from reconciler.core.kinds.assistant import DESIRED as DESIRED_ASSISTANTS
from reconciler.core.kinds.assistant import LIVE as ASSISTANTS
from reconciler.core.kinds.assistant import NAME as ASSISTANT
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LIVE as FILES
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.file import parse_name
from reconciler.core.marks import read_marks, unmarked
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState


def violations(plan: Plan, desired: DesiredState, live: LiveState) -> list[str]:
    actionable = plan.actionable
    found = _acted_twice(actionable)
    by_id = {a.id: a for a in live.of(ASSISTANTS)}
    imports = {a.import_id for a in desired.of(DESIRED_ASSISTANTS) if a.import_id}
    held_by_ours = _held_by_ours(live.of(ASSISTANTS), desired.owner, actionable)
    held_by_ours |= foundry_held_by_ours(live, desired.owner, actionable)
    filename_of = {f.id: f.filename for f in live.of(FILES)}  # once: per delete is quadratic
    for change in actionable:
        if change.kind == ASSISTANT and change.id is not None:
            found += _assistant_problems(change, by_id.get(change.id), desired.owner, imports)
        if change.kind == FILE and change.action == "delete":
            found += _file_problems(change, live, held_by_ours, filename_of)
    found += foundry_problems(plan, desired, live)
    found += workflow_problems(plan, desired, live)
    found += toolbox_problems(plan, desired, live)
    found += _still_referenced(plan, live)
    return found


def _acted_twice(changes: list[ResourceChange]) -> list[str]:
    counts = Counter((c.kind, c.id) for c in changes if c.id is not None)
    return [f"{i} is acted on {n} times" for (_, i), n in sorted(counts.items()) if n > 1]


def _assistant_problems(
    change: ResourceChange, live: LiveAssistant | None, owner: str, imports: set[str]
) -> list[str]:
    if live is None:
        return [f"{change.address} acts on {change.id}, which is not on the endpoint"]
    marks = read_marks(live.metadata)
    ours = marks is not None and marks.owner == owner
    adopted = change.action == "update" and live.id in imports and unmarked(live.metadata)
    if not ours and not adopted:
        return [f"{change.address} would {change.action} {live.id}, which is not proven ours"]
    if change.action == "delete" and marks is not None and marks.protected:
        return [f"{change.address} would delete {live.id}, whose live marks protect it"]
    return []


def _held_by_ours(
    assistants: tuple[LiveAssistant, ...], owner: str, changes: list[ResourceChange]
) -> set[str]:
    adopting = {c.id for c in changes if c.importing}
    return {
        file_id
        for a in assistants
        if (marks := read_marks(a.metadata)) is not None
        and marks.owner == owner
        and a.id not in adopting
        for file_id in a.file_ids
    }


def _file_problems(
    change: ResourceChange, live: LiveState, held: set[str], filename_of: dict[str, str]
) -> list[str]:
    filename = filename_of.get(change.id or "")
    address = parse_name(filename or "", legacy=True)
    if filename is None or address is None:
        return [f"{change.address} would delete {change.id}, which is not named as our uploads are"]
    if change.id in held and not address.legacy:
        return []
    content = live.content.get(change.id or "")
    if content is None or not content.startswith(address.hash):
        return [f"{change.address} would delete {change.id} without proof that it is ours"]
    return []


def _still_referenced(plan: Plan, live: LiveState) -> list[str]:
    changes = {c.id: c for c in plan.actionable if c.kind == ASSISTANT and c.id}
    by_name = {f.filename: f.id for f in live.of(FILES)}
    referenced: set[str] = set()
    for assistant in live.of(ASSISTANTS):
        change = changes.get(assistant.id)
        if change is None:
            referenced.update(assistant.file_ids)
        elif change.action == "update" and any(c.path == "files" for c in change.diff):
            names = (change.after or {}).get("files", [])
            referenced.update(by_name.get(name, name) for name in names)
        elif change.action == "update":  # files not rewritten: the same ids stay attached
            referenced.update(assistant.file_ids)
    for change in plan.actionable:
        if change.kind == ASSISTANT and change.action == "create":
            referenced.update(by_name.get(n, n) for n in (change.after or {}).get("files", []))
    referenced |= foundry_file_references(plan, live)
    deleted = {c.id or "" for c in plan.actionable if c.kind == FILE and c.action == "delete"}
    return [f"file {i} is deleted while still referenced" for i in sorted(deleted & referenced)]
