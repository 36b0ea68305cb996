"""Pure: fingerprints of what a plan was made from, and what moved since.

A saved plan records the SHA-256 of the resolved manifests and of every live object it depends
on: our assistants (by logical name, so one appearing counts too), assistants it adopts, the
users of files it deletes, and the files it relies on (by upload name, so one appearing or
vanishing counts). Applying the plan later re-reads the live state and refuses when any differs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reconciler.core.model import DesiredState, LiveState
from reconciler.core.plan_types import Plan

if TYPE_CHECKING:
    from reconciler.core.kinds.base import Kind


def digest(value: Any) -> str:
    return hashlib.sha256(_json(value).encode()).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def desired_fingerprint(desired: DesiredState) -> str:
    """digest() of {assistants, environment, files}, fed one assistant at a time: the same bytes,
    without holding the JSON of every assistant at once (15 MB for 5,000)."""
    hashed = hashlib.sha256(b'{"assistants":[')
    for index, assistant in enumerate(desired.assistants):
        text = _json({**raw(assistant), "location": None})
        hashed.update(("," + text if index else text).encode())
    files = {sha: raw(f) for sha, f in sorted(desired.files.items())}
    agents = f'"agents":{_json([raw(a) for a in desired.agents])},' if desired.agents else ""
    rest = f'],{agents}"environment":{_json(raw(desired.environment))},"files":{_json(files)}}}'
    hashed.update(rest.encode())
    return hashed.hexdigest()


def live_fingerprints(plan: Plan, live: LiveState, kinds: Sequence[Kind]) -> dict[str, str]:
    """Every kind's fingerprints of the live objects the plan depends on, in one mapping."""
    referenced = {a for kind in kinds for c in plan.changes for a in kind.references(c)}
    prints: dict[str, str] = {}
    for kind in kinds:
        prints.update(kind.fingerprints(plan, live, referenced))
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
