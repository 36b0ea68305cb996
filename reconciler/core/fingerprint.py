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
from typing import Any

from reconciler.core.marks import read_marks
from reconciler.core.model import DesiredState, LiveAssistant, LiveState
from reconciler.core.plan_types import Plan


def digest(value: Any) -> str:
    return hashlib.sha256(_json(value).encode()).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def desired_fingerprint(desired: DesiredState) -> str:
    """digest() of {assistants, environment, files}, fed one assistant at a time: the same bytes,
    without holding the JSON of every assistant at once (15 MB for 5,000)."""
    hashed = hashlib.sha256(b'{"assistants":[')
    for index, assistant in enumerate(desired.assistants):
        text = _json({**_raw(assistant), "location": None})
        hashed.update(("," + text if index else text).encode())
    files = {sha: _raw(f) for sha, f in sorted(desired.files.items())}
    rest = f'],"environment":{_json(_raw(desired.environment))},"files":{_json(files)}}}'
    hashed.update(rest.encode())
    return hashed.hexdigest()


def live_fingerprints(plan: Plan, live: LiveState) -> dict[str, str]:
    owner = f"{plan.project}/{plan.environment}"
    prints: dict[str, str] = {}
    names = {c.name for c in plan.changes if c.kind == "assistant"}
    ours: dict[str, list[LiveAssistant]] = {}
    users: dict[str, list[str]] = {}
    for assistant in live.assistants:  # one pass: a scan per name or per file is quadratic
        marks = read_marks(assistant.metadata)
        if marks is not None and marks.owner == owner and marks.name in names:
            ours.setdefault(marks.name, []).append(assistant)
        for file_id in assistant.file_ids:
            users.setdefault(file_id, []).append(assistant.id)
    for name in sorted(names):
        prints[f"assistant.{name}"] = digest([_raw(a) for a in ours.get(name, [])])
    by_id = {a.id: a for a in live.assistants}
    for change in plan.changes:
        if change.kind == "assistant" and change.id and change.importing:
            prints[f"adopted.{change.id}"] = digest(
                _raw(by_id[change.id]) if change.id in by_id else None
            )
        if change.kind == "file" and change.action == "delete" and change.id:
            prints[f"users.{change.id}"] = digest(sorted(users.get(change.id, [])))
    by_name = {f.filename: f.id for f in live.files}
    for filename in sorted(_relied_files(plan)):
        prints[f"file.{filename}"] = by_name.get(filename, "absent")
    return prints


def moved(plan: Plan, live: LiveState) -> list[str]:
    """What changed on the endpoint since the plan was made, in words."""
    now = live_fingerprints(plan, live)
    then = plan.fingerprints.live
    return [
        _describe(key, then.get(key), now.get(key))
        for key in sorted(set(then) | set(now))
        if then.get(key) != now.get(key)
    ]


def _describe(key: str, then: str | None, now: str | None) -> str:
    kind, name = key.split(".", 1)
    if kind == "file":
        return f"file {name} {'appeared' if then == 'absent' else 'is gone' if now == 'absent' else 'changed'}"
    if kind == "users":
        return f"the assistants using file {name} changed"
    if kind == "adopted":
        return f"assistant {name} (to adopt) changed"
    return f"assistant.{name} changed"


def _relied_files(plan: Plan) -> set[str]:
    names: set[str] = set()
    for change in plan.changes:
        for side in (change.before, change.after):
            names.update((side or {}).get("files", []))
        if change.kind == "file":
            names.add(change.name)
    return names - {""}


def _raw(instance: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without asdict's deep copy: the digest is the same."""
    return {f.name: getattr(instance, f.name) for f in dataclasses.fields(instance)}
