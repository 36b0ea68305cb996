"""Pure: fingerprints of what a plan was made from, and what moved since.

A saved plan records the SHA-256 of the resolved manifests and of every live object it depends
on, kind by kind: our assistants (by logical name, so one appearing counts too), assistants it adopts, the
users of files it deletes, and the files it relies on (by upload name, so one appearing or
vanishing counts). Applying the plan later re-reads the live state and refuses when any differs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reconciler.core.plan_types import Plan
from reconciler.core.state import DesiredState, LiveState

if TYPE_CHECKING:
    from reconciler.core.kinds.base import Kind


@dataclass(frozen=True)
class Seen:
    """What the whole plan points at and what holds uploads, for the kinds' fingerprints."""

    referenced: set[str]  # addresses any change points at
    holders: list[tuple[str, set[str]]]  # (holder, upload ids it holds), of every kind


def digest(value: Any) -> str:
    return hashlib.sha256(_json(value).encode()).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def desired_fingerprint(desired: DesiredState) -> str:
    """digest() of {<kind>s: [...] for each kind, environment, files}, fed one object at a time:
    the same bytes, without holding the JSON of every object at once (15 MB for 5,000)."""
    hashed = hashlib.sha256(b"{")
    for kind, objects in desired.objects.items():
        hashed.update(f'"{kind}s":['.encode())
        for index, one in enumerate(objects):
            text = _json({**raw(one), "location": None})
            hashed.update(("," + text if index else text).encode())
        hashed.update(b"],")
    files = {sha: raw(f) for sha, f in sorted(desired.files.items())}
    rest = f'"environment":{_json(raw(desired.environment))},"files":{_json(files)}}}'
    hashed.update(rest.encode())
    return hashed.hexdigest()


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


def raw(instance: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without asdict's deep copy: the digest is the same."""
    return {f.name: getattr(instance, f.name) for f in dataclasses.fields(instance)}
