"""Pure: digests, and the fingerprint of the resolved manifests a plan was made from.

The kinds digest the live objects a plan depends on (their `fingerprints`); core/staleness.py
gathers those and says what moved since.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from reconciler.core.state import DesiredState
from reconciler.diagnostics import Location


def digest(value: Any) -> str:
    return hashlib.sha256(_json(value).encode()).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )


def _plain(value: Any) -> Any:
    """What JSON cannot hold: a nested dataclass (an agent's tool) as its fields, where a
    Location is left out: it spells the manifest's path as the directory was given to `plan`
    (`.` or absolute), so a saved plan would be stale from any other working directory."""
    if isinstance(value, Location):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return raw(value)
    return str(value)


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


def raw(instance: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without asdict's deep copy: the digest is the same."""
    return {f.name: getattr(instance, f.name) for f in dataclasses.fields(instance)}
