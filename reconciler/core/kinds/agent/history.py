"""Pure rules of an agent's history: which versions retention keeps, and which may hold more.

Versions are numbered 1, 2, ... and a number is never reused while the agent exists, so an agent
whose latest version is 1 has no other; any other may, and its versions list is read before
anything they might reference is deleted. Retention counts the versions of ours (our owner mark):
the newest `retention` stay, the new version a plan makes among them; older ones of ours go, and
only then what they alone referenced. Versions without our marks (made in the portal) or whose
marks protect them are never deleted by a plan, and keep what they reference like any other
object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.core.kinds.agent.keys import NAME
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.agent_space import SPACE
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.vector_store import NAME as STORE
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import ResourceChange
from reconciler.core.tools.registry import held


def may_have_older(agent: LiveAgent) -> bool:
    """Whether other versions than the latest may exist (numbers never reused while it lives)."""
    return not agent.version.isdigit() or int(agent.version) > 1


def number(version: str) -> int:
    return int(version) if version.isdigit() else -1


@dataclass(frozen=True)
class Pruning:
    kept: tuple[LiveAgent, ...]  # versions that stay besides the new one
    dropped: tuple[LiveAgent, ...]  # versions of ours that the plan deletes


def prune(older: tuple[LiveAgent, ...], latest: LiveAgent, owner: str, retention: int) -> Pruning:
    """What a new version leaves of `latest` and the `older` versions: the new one counts first
    among the `retention` versions of ours that stay."""
    versions = sorted((latest, *older), key=lambda v: number(v.version), reverse=True)
    slots = retention - 1
    kept: list[LiveAgent] = []
    dropped: list[LiveAgent] = []
    for version in versions:
        marks = read_marks(version.metadata)  # protected ones stay, as the agent would
        ours = marks is not None and marks.owner == owner and not marks.protected
        if ours and slots <= 0:
            dropped.append(version)
            continue
        kept.append(version)
        slots -= 1 if ours else 0
    return Pruning(tuple(kept), tuple(dropped))


def retention_deletes(
    context: PlanContext,
    retention: int,
    live: LiveAgent,
    essence: Callable[[LiveAgent], dict[str, Any]],
) -> set[str]:
    """The deletes of the versions of ours that a new version pushes beyond retention (the
    versions list is asked for first when the agent may hold more than that); their numbers."""
    if live.history is None and may_have_older(live):
        if number(live.version) + 1 > retention or number(live.version) < 0:
            context.to_read.add(f"{NAME}.{live.name}")
        return set()
    pruning = prune(live.history or (), live, context.owner, retention)
    pruning = Pruning(pruning.kept, tuple(v for v in pruning.dropped if not pinned(context, v)))
    for version in sorted(pruning.dropped, key=lambda v: number(v.version)):
        context.add(
            ResourceChange(
                address=f"{NAME}.{live.name}#{version.version}",
                kind=NAME,
                name=live.name,
                action="delete",
                action_reason="retention",
                id=f"{live.name}:{version.version}",
                version=version.version,
                before=essence(version),
                reason=f"older than the {retention} newest versions of ours that "
                "lifecycle.retention keeps",
            )
        )
    return {v.version for v in pruning.dropped}


def pinned(context: PlanContext, version: LiveAgent) -> bool:
    """A version a workflow of any owner invokes by number stays (agent_space.py)."""
    return f"{version.name}:{version.version}" in context.refs(SPACE).after


def release(context: PlanContext, version: LiveAgent, importing: bool) -> None:
    """What a deleted version of ours held is ours to delete once nothing else holds it (a
    store may be another environment's: shared knowledge)."""
    marks = read_marks(version.metadata)
    ours = marks is not None and marks.owner == context.owner and not importing
    holds = held(version.definition)
    uploads, knowledge = context.refs(FILE), context.refs(STORE)
    for file_id in holds.files:
        uploads.released[file_id] = uploads.released.get(file_id, False) or ours
    if ours:
        knowledge.released.update(dict.fromkeys(holds.stores, True))
