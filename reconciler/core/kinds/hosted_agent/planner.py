"""The planning of the hosted agent kind: each declared hosted agent against the latest version
of its name, its image pinned to a digest.

An image given by tag is resolved at plan time: the plan asks the dialect to read the tag
(`image:<ref>` in `unread`), then plans again with the digest it names now, which the plan
shows (a note) and sends, so what runs is exactly what was reviewed and a moved tag is a
change. A live version that runs another image is drift like any other field. Secrets among
the environment variables are compared by hash (core/tools/secret.py). A latest version that
failed to start is replaced (its status is part of what is compared); one still `creating` is
left to finish, with a note. Ownership, adoption, pruning and the name space are agent_space's.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.kinds.agent_space import (
    check_foreign,
    claim,
    next_version,
    note_pins,
    removal,
)
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.hosted_agent.keys import (
    DEFINITION_KIND,
    DESIRED,
    IMAGE_PREFIX,
    IMAGES,
    LIVE,
    NAME,
    pinned,
    with_digest,
)
from reconciler.core.kinds.hosted_agent.types import DesiredHosted, LiveHosted
from reconciler.core.marks import Marks
from reconciler.core.plan_types import ResourceChange
from reconciler.core.tools import secret
from reconciler.errors import PlanError


class Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.live = {h.name: h for h in context.live.of(LIVE)}
        self.desired = context.desired.of(DESIRED)
        self.images = {i.image: i for i in context.live.of(IMAGES)}

    def run(self) -> None:
        wanted = () if self.context.mode == "destroy" else self.desired
        wanted = tuple(h for h in wanted if self.context.targeted(h.name))
        for desired in wanted:
            self.upsert(desired)
        protected = {h.name for h in self.desired if h.prevent_destroy}
        names = {h.name for h in wanted}
        for live in sorted(self.live.values(), key=lambda h: h.name):
            if live.name not in names:
                change = removal(self.context, NAME, live, protected, live_essence)
                if change is not None:
                    self.context.add(change)

    def image(self, desired: DesiredHosted) -> str:
        """The image by digest: as declared, or the digest its tag names now."""
        if pinned(desired.image):
            return desired.image
        found = self.images.get(desired.image)
        if found is None:  # not read yet: the next round of planning has it
            self.context.to_read.add(IMAGE_PREFIX + desired.image)
            return desired.image
        if found.digest is None:
            raise PlanError(
                f"{desired.location}: {desired.address}: the registry has no image "
                f"{desired.image}. Push it, or correct the tag."
            )
        self.context.notes.append(
            f"{desired.address}: image {desired.image} is {found.digest} now: the version runs "
            "that digest."
        )
        return with_digest(desired.image, found.digest)

    def upsert(self, desired: DesiredHosted) -> None:
        after = essence_of(desired, self.image(desired), self.context.owner)
        live = self.live.get(desired.name)
        address = desired.address
        if live is None:
            check_foreign(self.context, DEFINITION_KIND, desired.name, address)
            reason = "declared, not on the endpoint: version 1"
            self.context.add(_change(desired, "create", after=after, reason=reason))
            return
        adopt = claim(self.context, address, live, desired.import_id) == "adopt"
        before = live_essence(live)
        if live.status == "creating":
            before["status"] = "active"  # left to finish: not a second version meanwhile
            self.context.notes.append(
                f"{address}: version {live.version} is still being provisioned (creating)."
            )
        diff = field_changes(before, after)
        version = next_version(live.version)
        why = f"new version ({live.version} -> {version})"
        if live.status == "failed":
            why += f"; version {live.version} failed to start: {live.error or 'no reason given'}"
        change = ResourceChange(
            address=address,
            kind=NAME,
            name=desired.name,
            action="update" if diff else "no-op",
            action_reason=("adopt" if adopt else "drift") if diff else None,
            importing=adopt,
            id=live.name,
            version=live.version,
            before=before,
            after=after,
            diff=diff,
            reason=why if diff else "",
        )
        self.context.add(change)
        if diff:
            note_pins(self.context, change, version)


def _change(desired: DesiredHosted, action: Any, *, after: Any, reason: str) -> ResourceChange:
    return ResourceChange(
        address=desired.address,
        kind=NAME,
        name=desired.name,
        action=action,
        action_reason="new",
        after=after,
        reason=reason,
    )


def essence_of(desired: DesiredHosted, image: str, owner: str) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "kind": DEFINITION_KIND,
        "cpu": desired.cpu,
        "memory": desired.memory,
        "container_configuration": {"image": image},
    }
    if desired.environment:
        definition["environment_variables"] = dict(sorted(desired.environment))
    if desired.protocols:
        definition["protocol_versions"] = [
            {"protocol": p, "version": v} for p, v in desired.protocols
        ]
    marks = Marks(owner, desired.name, desired.prevent_destroy)
    return {
        "description": desired.description or None,
        "definition": definition,
        "metadata": {**desired.metadata, **marks.metadata()},
        "status": "active",
    }


def live_essence(live: LiveHosted) -> dict[str, Any]:
    definition = {k: v for k, v in live.definition.items() if v not in (None, {}, [])}
    variables = definition.get("environment_variables")
    if isinstance(variables, dict):
        definition["environment_variables"] = {
            k: secret.compared(str(v), at(live.name, k)) for k, v in sorted(variables.items())
        }
    return {
        "description": live.description or None,
        "definition": definition,
        "metadata": dict(live.metadata),
        "status": live.status,
    }


def at(agent: str, variable: str) -> str:
    """Where a secret goes, as core/tools/secret.py remembers it."""
    return f"hosted_agent {agent} {variable}"
