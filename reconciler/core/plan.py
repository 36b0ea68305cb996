"""Pure: build_plan(desired, live) -> Plan. Destroy is a mode of the same function.

The planner loops over the dialect's resource kinds, dependants first, then checks the plan
against the invariants (core/invariants.py) before anyone sees it: a plan that would break one
is an internal error, never a plan.
"""

from __future__ import annotations

from reconciler.core.fingerprint import desired_fingerprint, live_fingerprints
from reconciler.core.invariants import violations
from reconciler.core.kinds import KINDS
from reconciler.core.kinds.assistant import owned_copies
from reconciler.core.kinds.base import Kind, PlanContext
from reconciler.core.marks import read_marks
from reconciler.core.model import DesiredState, LiveState
from reconciler.core.plan_types import Fingerprints, Mode, Plan
from reconciler.errors import PlanError


def build_plan(  # noqa: PLR0913, PLR0917 - the request's parts, then the dialect's kinds
    desired: DesiredState,
    live: LiveState,
    mode: Mode = "normal",
    targets: tuple[str, ...] = (),
    allow_empty: bool = False,
    kinds: tuple[Kind, ...] = KINDS,
    fingerprinted: bool = True,
) -> Plan:
    """The plan; `fingerprinted=False` leaves out what only a saved plan needs (the digests of
    the manifests and of the live objects it acts on), which costs a JSON encoding of each."""
    _check_request(desired, live, mode, targets, allow_empty)
    context = PlanContext(desired, live, mode, frozenset(targets))
    for kind in reversed(kinds):  # dependants first: they say what they reference
        kind.plan(context)
    order = {kind.name: index for index, kind in enumerate(kinds)}
    # The order apply runs them in: writes in dependency order, then deletes in reverse.
    changes = sorted(
        context.changes,
        key=lambda c: (1, -order[c.kind]) if c.action == "delete" else (0, order[c.kind]),
    )
    plan = Plan(
        mode=mode,
        project=desired.project,
        environment=desired.environment.name,
        endpoint=desired.environment.endpoint,
        targets=sorted(targets),
        changes=changes,
        files=dict(sorted(context.relied.items())),
        notes=context.notes,
        unverified=sorted(context.unproven),
        unread=sorted(context.to_read),
    )
    plan = plan.model_copy(update={"has_changes": bool(plan.actionable)})
    broken = violations(plan, desired, live)
    if broken:
        raise PlanError(f"internal safety check refused the plan: {'; '.join(broken)}")
    if not fingerprinted:
        return plan
    prints = Fingerprints(
        manifests=desired_fingerprint(desired), live=live_fingerprints(plan, live, kinds)
    )
    return plan.model_copy(update={"fingerprints": prints})


def _check_request(
    desired: DesiredState,
    live: LiveState,
    mode: Mode,
    targets: tuple[str, ...],
    allow_empty: bool,
) -> None:
    owned = set(owned_copies(live.assistants, desired.owner))
    agents = {a.name for a in live.agents if _owner(a.metadata) == desired.owner}
    declared = {a.name for a in desired.assistants} | {a.name for a in desired.agents}
    if mode == "normal" and not declared and (owned or agents) and not allow_empty:
        what = "assistant" if owned else "agent"
        raise PlanError(
            f"the manifests declare no {what}, but {desired.owner} owns {len(owned or agents)} on "
            "the endpoint: this plan would delete them all. "
            "Check the manifests path, or pass --allow-empty if that is intended."
        )
    unknown = sorted(set(targets) - declared - owned - agents)
    if unknown:
        what = "agent" if desired.agents or agents else "assistant"
        raise PlanError(f"--target names no {what} of this project: {', '.join(unknown)}")


def _owner(metadata: dict[str, str]) -> str | None:
    marks = read_marks(metadata)
    return marks.owner if marks is not None else None
