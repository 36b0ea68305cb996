"""The invariants of core/invariants.py for workflow agents and the agents they invoke.

Written from the live state and the plan alone, like the rest: a workflow agent is acted on
only when its marks are ours (or import_id names it and it carries none); every agent of the
project's one name space (prompt, workflow, hosted) is acted on by one kind at most; and no
agent, and no pinned version of one, is deleted while a workflow of any owner that stays after
the plan (kept, or as the plan writes it) invokes it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState

# Named here, apart from the kinds' modules, as core/invariants_foundry.py does.
WORKFLOW = "workflow_agent"
AGENT_KINDS = ("agent", WORKFLOW, "hosted_agent")


@dataclass(frozen=True)
class _Invoked:
    agent: str
    version: str | None


def workflow_problems(plan: Plan, desired: DesiredState, live: LiveState) -> list[str]:
    found = _one_kind_per_name(plan.actionable)
    workflows = {w.name: w for w in live.of(Key[Any](WORKFLOW))}
    imports = {w.import_id for w in desired.of(Key[Any](WORKFLOW)) if w.import_id}
    for change in plan.actionable:
        if change.kind == WORKFLOW and change.action != "create":
            found += _owned(change, workflows.get(change.name), desired.owner, imports)
    invoked = _invoked_after(plan, workflows)
    for change in plan.actionable:
        if change.kind not in AGENT_KINDS or change.action != "delete" or change.id is None:
            continue
        name, _, version = change.id.partition(":")
        if any(i.agent == name and (not version or i.version == version) for i in invoked):
            found.append(f"{change.address} is deleted while a workflow invokes {change.id}")
    return found


def _one_kind_per_name(changes: list[ResourceChange]) -> list[str]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        if change.kind in AGENT_KINDS:
            kinds[change.name].add(change.kind)
    return [f"agent {n} is acted on by {sorted(k)}" for n, k in kinds.items() if len(k) > 1]


def _owned(change: ResourceChange, live: Any, owner: str, imports: set[str]) -> list[str]:
    if live is None:
        return [f"{change.address} acts on {change.name}, which is not on the endpoint"]
    marks = read_marks(live.metadata)
    adopted = change.action == "update" and change.name in imports and marks is None
    if (marks is None or marks.owner != owner) and not adopted:
        return [f"{change.address} would {change.action} {change.name}, not proven ours"]
    if change.action == "delete" and marks is not None and marks.protected:
        return [f"{change.address} would delete {change.name}, whose live marks protect it"]
    return []


def _invoked_after(plan: Plan, workflows: dict[str, Any]) -> list[_Invoked]:
    """What the workflows that exist after the plan invoke (a live one whose YAML does not
    parse invokes nothing a plan can know)."""
    changed = {c.name: c for c in plan.actionable if c.kind == WORKFLOW}
    invoked: list[_Invoked] = []
    for name, workflow in workflows.items():
        if name not in changed:
            invoked += [_Invoked(i.agent, i.version) for i in workflow.invokes or ()]
    for change in changed.values():
        if change.action != "delete":
            for label in (change.after or {}).get("invokes") or []:
                agent, _, version = str(label).partition("@")
                invoked.append(_Invoked(agent, version or None))
    return invoked
