"""Pure: build_plan(desired, live) -> Plan. Destroy is a mode of the same function.

The planner loops over the dialect's resource kinds, dependants first, then checks the plan
against the invariants (core/invariants.py) before anyone sees it: a plan that would break one
is an internal error, never a plan.
"""

from __future__ import annotations

from reconciler.core.fingerprint import desired_fingerprint
from reconciler.core.invariants import violations
from reconciler.core.kinds.base import Kind, PlanContext
from reconciler.core.kinds.registry import kinds_of
from reconciler.core.plan_types import Fingerprints, Mode, Plan
from reconciler.core.staleness import live_fingerprints
from reconciler.core.state import DesiredState, LiveState
from reconciler.errors import PlanError


def build_plan(  # noqa: PLR0913, PLR0917 - the request's parts, then the dialect's kinds
    desired: DesiredState,
    live: LiveState,
    mode: Mode = "normal",
    targets: tuple[str, ...] = (),
    allow_empty: bool = False,
    kinds: tuple[Kind, ...] | None = None,
    fingerprinted: bool = True,
) -> Plan:
    """The plan; `kinds` are the dialect's (default: those the environment's `api` serves);
    `fingerprinted=False` leaves out what only a saved plan needs (the digests of the manifests
    and of the live objects it acts on), which costs a JSON encoding of each."""
    kinds = kinds_of(desired.environment.api) if kinds is None else kinds
    _check_request(desired, live, mode, targets, allow_empty, kinds)
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
    kinds: tuple[Kind, ...],
) -> None:
    declarers = [kind for kind in kinds if kind.manifest_kind is not None]
    declared = {name for kind in declarers for name in kind.declared(desired)}
    owned = {kind.name: kind.owned(live, desired.owner) for kind in declarers}
    held = next(((name, names) for name, names in owned.items() if names), None)
    if mode == "normal" and not declared and held is not None and not allow_empty:
        raise PlanError(
            f"the manifests declare no {held[0]}, but {desired.owner} owns {len(held[1])} on "
            "the endpoint: this plan would delete them all. "
            "Check the manifests path, or pass --allow-empty if that is intended."
        )
    unknown = sorted(set(targets) - declared - {n for names in owned.values() for n in names})
    if unknown:
        used = [k.name for k in declarers if k.declared(desired) or owned[k.name]]
        what = " or ".join(used or [k.name for k in declarers[:1]])
        raise PlanError(f"--target names no {what} of this project: {', '.join(unknown)}")
