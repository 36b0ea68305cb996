"""Pure: fingerprints of the live objects a plan depends on, and what moved since it was made.

A saved plan records the SHA-256 of the resolved manifests and of every live object it depends
on, kind by kind: our assistants (by logical name, so one appearing counts too), assistants it
adopts, the users of files it deletes, and the files it relies on (by upload name, so one
appearing or vanishing counts). Applying the plan later re-reads the live state and refuses
when any differs.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.core.kinds.base import Kind, Seen
from reconciler.core.plan_types import Plan
from reconciler.core.state import LiveState


def live_fingerprints(plan: Plan, live: LiveState, kinds: Sequence[Kind]) -> dict[str, str]:
    """Every kind's fingerprints of the live objects the plan depends on, in one mapping."""
    referenced = {a for kind in kinds for c in plan.changes for a in kind.references(c)}
    seen = Seen(referenced, [held for kind in kinds for held in kind.holders(live)])
    prints: dict[str, str] = {}
    for kind in kinds:
        prints.update(kind.fingerprints(plan, live, seen))
    return dict(sorted(prints.items()))


def moved(plan: Plan, live: LiveState, kinds: Sequence[Kind]) -> list[str]:
    """What changed on the endpoint since the plan was made, in words."""
    now = live_fingerprints(plan, live, kinds)
    then = plan.fingerprints.live
    return [
        next(d for kind in kinds if (d := kind.describe(key, then.get(key), now.get(key))))
        for key in sorted(set(then) | set(now))
        if then.get(key) != now.get(key)
    ]
