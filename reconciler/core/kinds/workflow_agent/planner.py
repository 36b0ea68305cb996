"""The planning of the workflow agent kind: each declared workflow against the latest version of
its name, and what every workflow on the endpoint invokes.

As for prompt agents: a live workflow is ours by its marks, an update is one new version made
only when the normalised YAML, description or metadata differ, and ours that no manifest
declares go (unless protected, or another workflow invokes them). The agents a workflow invokes
are references (agent_space.py): each must be declared (of any kind) or on the endpoint, else
the plan fails at the action's line; and what the workflows of any owner invoke after the plan
is told to the kinds that could delete it, which keep it.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.kinds.agent_space import (
    ALL,
    SPACE,
    check_foreign,
    claim,
    declared,
    next_version,
    note_pins,
    removal,
)
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.workflow_agent.invocations import normalised
from reconciler.core.kinds.workflow_agent.keys import DEFINITION_KIND, DESIRED, LIVE, NAME
from reconciler.core.kinds.workflow_agent.types import DesiredWorkflow, Invocation, LiveWorkflow
from reconciler.core.marks import Marks, read_marks
from reconciler.core.plan_types import ResourceChange
from reconciler.errors import PlanError


class Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.live = {w.name: w for w in context.live.of(LIVE)}
        self.desired = context.desired.of(DESIRED)

    def run(self) -> None:
        names = declared(self.context)  # one name declared by two kinds fails here
        wanted = () if self.context.mode == "destroy" else self.desired
        wanted = tuple(w for w in wanted if self.context.targeted(w.name))
        on_endpoint = {a.name for a in self.context.live.of(ALL)}
        for desired in wanted:
            self.check_invoked(desired, set(names) | on_endpoint)
            self.upsert(desired)
        self.removals({w.name for w in wanted})
        self.references()

    def check_invoked(self, desired: DesiredWorkflow, known: set[str]) -> None:
        for invocation in desired.invokes:
            if invocation.agent not in known:
                raise PlanError(
                    f"{invocation.location}: {desired.address} invokes agent "
                    f"{invocation.agent!r}, which no manifest declares and the endpoint of "
                    f"environment {self.context.desired.environment.name!r} does not hold. "
                    "Declare it, or correct the name."
                )

    def upsert(self, desired: DesiredWorkflow) -> None:
        after = essence_of(desired, self.context.owner)
        live = self.live.get(desired.name)
        address = desired.address
        if live is None:
            check_foreign(self.context, DEFINITION_KIND, desired.name, address)
            self.context.add(
                ResourceChange(
                    address=address,
                    kind=NAME,
                    name=desired.name,
                    action="create",
                    action_reason="new",
                    after=after,
                    reason="declared, not on the endpoint: version 1",
                )
            )
            return
        reason = claim(self.context, address, live, desired.import_id)
        before = live_essence(live)
        diff = field_changes(before, after)
        version = next_version(live.version)
        change = ResourceChange(
            address=address,
            kind=NAME,
            name=desired.name,
            action="update" if diff else "no-op",
            action_reason=reason if diff else None,
            importing=reason == "adopt",
            id=live.name,
            version=live.version,
            before=before,
            after=after,
            diff=diff,
            reason=f"new version ({live.version} -> {version})" if diff else "",
        )
        self.context.add(change)
        if diff:
            note_pins(self.context, change, version)

    def removals(self, wanted: set[str]) -> None:
        protected = {w.name for w in self.desired if w.prevent_destroy}
        invoked_by_others = self.invoked_by_kept(wanted)
        for live in sorted(self.live.values(), key=lambda w: w.name):
            if live.name in wanted:
                continue
            if live.name in invoked_by_others:  # a workflow invoking a workflow: kept with it
                self.context.refs(SPACE).after.add(live.name)
            change = removal(self.context, NAME, live, protected, live_essence)
            if change is not None:
                self.context.add(change)

    def invoked_by_kept(self, wanted: set[str]) -> set[str]:
        """Workflows another workflow invokes, that one staying: not ours to delete then."""
        staying = [
            w for w in self.live.values() if w.name in wanted or not _ours(w, self.context.owner)
        ]
        names = {i.agent for w in staying for i in w.invokes or ()}
        names |= {i.agent for w in self.desired if w.name in wanted for i in w.invokes}
        return names

    def references(self) -> None:
        """What workflows of any owner invoke after the plan: kept by every kind of agent."""
        space = self.context.refs(SPACE)
        changes = {c.name: c for c in self.context.of_kind(NAME)}
        desired = {w.name: w for w in self.desired}
        for name, live in self.live.items():
            change = changes.get(name)
            if change is None or change.action == "no-op":
                self._tell(space, f"{NAME}.{name}", live.invokes or ())
        for name, change in changes.items():
            if change.action in ("create", "update", "no-op") and name in desired:
                self._tell(space, change.address, desired[name].invokes)

    @staticmethod
    def _tell(space: Any, address: str, invokes: tuple[Invocation, ...]) -> None:
        for invocation in invokes:
            space.after.add(invocation.agent)
            wanted = space.wanted.setdefault(invocation.agent, {"by": [], "pins": {}})
            if address not in wanted["by"]:
                wanted["by"].append(address)
            if invocation.version is not None:
                space.after.add(f"{invocation.agent}:{invocation.version}")
                wanted["pins"][address] = invocation.version


def essence_of(desired: DesiredWorkflow, owner: str) -> dict[str, Any]:
    marks = Marks(owner, desired.name, desired.prevent_destroy)
    return {
        "description": desired.description or None,
        "definition": {"kind": DEFINITION_KIND, "workflow": normalised(desired.workflow)},
        "metadata": {**desired.metadata, **marks.metadata()},
        "invokes": sorted(i.label for i in desired.invokes),
    }


def live_essence(live: LiveWorkflow) -> dict[str, Any]:
    text = live.definition.get("workflow")
    definition = {**live.definition, "kind": DEFINITION_KIND}
    definition["workflow"] = normalised(text) if isinstance(text, str) else text
    return {
        "description": live.description or None,
        "definition": definition,
        "metadata": dict(live.metadata),
        "invokes": None if live.invokes is None else sorted(i.label for i in live.invokes),
    }


def _ours(live: LiveWorkflow, owner: str) -> bool:
    marks = read_marks(live.metadata)
    return marks is not None and marks.owner == owner
