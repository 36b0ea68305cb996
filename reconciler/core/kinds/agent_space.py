"""One name space, several kinds: prompt, workflow and hosted agents all live under `/agents`.

The endpoint lists every agent in one list (one request, whatever its kind), and a name is one
agent whatever its `definition.kind`. So the dialect keeps every live agent under the prompt
kind's key (`agent`), each kind of this space takes the agents of its own `definition.kind`
from there, and no kind claims, diffs or deletes an agent of another definition kind: a name
declared by one kind and held on the endpoint by an agent of another is a plan error, and so is
one name declared by two kinds (both locations named).

What other kinds say of agent names goes to one bucket, `PlanContext.refs(SPACE)`, whatever
kind the named agent is: `after` holds the names (`name`) and pinned versions (`name:3`) that
workflows of any owner invoke after the plan, which no kind deletes; `wanted` maps an invoked
name to the workflows that pin a version of it, so the kind that makes a new version of it
says so in the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import ActionReason, Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState
from reconciler.diagnostics import Location
from reconciler.errors import PlanError

SPACE = "agent"  # the refs bucket of agent names, and the key every live agent is held under
# The kinds whose manifests declare agents, by the `definition.kind` each writes.
MEMBERS = {"prompt": "agent", "workflow": "workflow_agent", "hosted": "hosted_agent"}


class Declared(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def location(self) -> Location: ...


class Live(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def definition(self) -> dict[str, Any]: ...


ALL: Key[Live] = Key(SPACE)


def definition_kind(agent: Live) -> str:
    """What kind of agent a live one is (a definition without `kind` is a prompt agent's)."""
    kind = agent.definition.get("kind")
    return kind if isinstance(kind, str) and kind else "prompt"


def of_kind(agents: Iterable[Live], kind: str) -> list[Any]:
    return [a for a in agents if definition_kind(a) == kind]


def declared(context: PlanContext) -> dict[str, tuple[str, Declared]]:
    """Every agent name the manifests declare, of any kind: name -> (address kind, object);
    the same name declared by two kinds is a plan error naming both places."""
    found: dict[str, tuple[str, Declared]] = {}
    for kind in MEMBERS.values():
        for one in context.desired.of(Key[Declared](kind)):
            if one.name in found and found[one.name][0] != kind:
                first_kind, first = found[one.name]
                raise PlanError(
                    f"{kind}.{one.name} ({one.location}) and {first_kind}.{one.name} "
                    f"({first.location}) declare one agent name: prompt, workflow and hosted "
                    "agents share the project's agent names. Rename one of them."
                )
            found.setdefault(one.name, (kind, one))
    return found


def check_foreign(context: PlanContext, kind: str, name: str, address: str) -> None:
    """Refuse to declare an agent whose name the endpoint holds as another kind of agent."""
    declared(context)  # two kinds declaring one name: both places named
    for live in context.live.of(ALL):
        if live.name == name and definition_kind(live) != kind:
            raise PlanError(
                f"{address} declares a {kind} agent, but agent {name} on the endpoint is a "
                f"{definition_kind(live)} agent (version {live.version}): refusing to replace "
                "one kind of agent with another. Give it another name, or delete that agent."
            )


def invoked(context: PlanContext, name: str) -> bool:
    """Whether a workflow of any owner invokes this agent after the plan."""
    return name in context.refs(SPACE).after


def pinned(context: PlanContext, name: str, version: str) -> bool:
    """Whether a workflow of any owner invokes this version of the agent after the plan."""
    return f"{name}:{version}" in context.refs(SPACE).after


def kept_invoked(context: PlanContext, address: str, name: str) -> bool:
    """Whether a delete of a whole agent must wait: a workflow still invokes it. Noted."""
    if not invoked(context, name):
        return False
    users = ", ".join(sorted(context.refs(SPACE).wanted.get(name, {}).get("by", [])))
    context.notes.append(
        f"{address} is not deleted: {users or 'a workflow'} still invokes it "
        "(an agent goes once no workflow of any owner invokes it)."
    )
    return True


def note_pins(context: PlanContext, change: ResourceChange, version: str) -> None:
    """A new version of an agent that workflows invoke pinned to an older version: said."""
    pins = context.refs(SPACE).wanted.get(change.name, {}).get("pins", {})
    for address, at in sorted(pins.items()):
        context.notes.append(
            f"{change.address} gets version {version}, but {address} invokes it pinned to "
            f"version {at}: that workflow keeps calling version {at} until its YAML says "
            "otherwise."
        )


def claim(context: PlanContext, address: str, live: Any, import_id: str | None) -> ActionReason:
    """Why a declared agent acts on the live one of its name: ours (drift), adopted by
    import_id (adopt), or refused (made by hand, or another environment's)."""
    marks = read_marks(live.metadata)
    name = address.split(".", 1)[1]
    if marks is not None and marks.owner == context.owner and marks.name == name:
        return "drift"
    if marks is None and import_id == live.name:
        return "adopt"
    if marks is None:
        raise PlanError(
            f"{address}: the latest version ({live.version}) of agent {live.name} carries no "
            "marks of ours (made by hand, or edited in the portal?): refusing to overwrite it. "
            f"To take it over, set import_id: {live.name} in the manifest."
        )
    raise PlanError(
        f"{address}: agent {live.name} belongs to {marks.owner}. Agent names are unique in a "
        "project: give each environment its own (name: ...-${env.name})."
    )


def removal(
    context: PlanContext,
    kind: str,
    live: Any,
    protected: set[str],
    essence: Callable[[Any], dict[str, Any]],
) -> ResourceChange | None:
    """The delete of a live agent of ours that no manifest declares, unless it is protected (an
    error) or a workflow still invokes it (kept, noted); None when it stays."""
    address = f"{kind}.{live.name}"
    marks = read_marks(live.metadata)
    if marks is None or marks.owner != context.owner or not context.targeted(live.name):
        return None
    if marks.protected or live.name in protected:
        raise PlanError(
            f"{address} has lifecycle.prevent_destroy set on the live object: refusing to plan "
            "its deletion. To release it, apply its manifest with prevent_destroy: false first."
        )
    if kept_invoked(context, address, live.name):
        return None
    destroy = context.mode == "destroy"
    return ResourceChange(
        address=address,
        kind=kind,
        name=live.name,
        action="delete",
        action_reason="destroy" if destroy else "removed",
        id=live.name,
        version=live.version,
        before=essence(live),
        reason="destroy removes everything the environment owns"
        if destroy
        else "no manifest declares it any more",
    )


def next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else "next"


class SpaceKind:
    """What the workflow and hosted agent kinds answer alike: names declared and owned, match
    keys, fingerprints of their latest versions; they hold no uploads."""

    name: str
    desired_key: Key[Any]
    live_key: Key[Any]

    def declared(self, desired: DesiredState) -> set[str]:
        return {one.name for one in desired.of(self.desired_key)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return {
            one.name
            for one in live.of(self.live_key)
            if (marks := read_marks(one.metadata)) is not None and marks.owner == owner
        }

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return []

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        """Named per environment: matched across environments by the declaring manifest."""
        return {one.address: str(one.location) for one in desired.of(self.desired_key)}

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        names = {c.name for c in plan.actionable if c.kind == self.name}
        by_name = {one.name: raw(one) for one in live.of(self.live_key)}
        return {f"{self.name}.{n}": digest(by_name.get(n)) for n in names}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{self.name}.") else None
