"""The connection kind (Foundry): a project's connections, read-only, by the names tools use.

A connection is the environment's, made in the portal or by ARM, never by a plan: this kind
plans no change of its own. It resolves what agent tools name (`connection: bing`, the address
`connection.bing`) to the id of the project's connection of that name, for the request bodies
(the plan's `files` holds it under `connection.<name>`) and for the reviewer (a note shows it);
a name the project has none of fails the plan, naming the environment. Live tools read back the
other way: `names` maps each id to its name, so that environments whose ids differ hold the
same agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.core.fingerprint import digest
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.environment import EnvironmentKind
from reconciler.core.plan_types import Plan
from reconciler.core.state import Key, LiveState
from reconciler.errors import PlanError

NAME = "connection"
PREFIX = f"{NAME}."


@dataclass(frozen=True)
class LiveConnection:
    """A project connection as the data plane lists it (no credentials)."""

    name: str
    id: str
    type: str
    target: str


LIVE: Key[LiveConnection] = Key(NAME)


def read(live: LiveState) -> bool:
    """Whether the project's connections were read (an endpoint may not serve the list)."""
    return LIVE.kind in live.objects


def names(live: LiveState) -> dict[str, str]:
    """Connection id -> its name, for tools read back from the live state."""
    return {c.id: c.name for c in live.of(LIVE)}


class ConnectionKind(EnvironmentKind):
    name = NAME

    def plan(self, context: PlanContext) -> None:
        """Resolve the names the plan's writes point at (`refs(connection).wanted`: name ->
        {"by": [addresses]}), or fail naming the environment and the name."""
        wanted = context.refs(NAME).wanted
        if not wanted:
            return
        environment = context.desired.environment.name
        if not read(context.live):
            first = sorted(wanted)[0]
            raise PlanError(
                f"{_users(wanted[first])} names connection {first!r}, but the connections of "
                f"environment {environment!r} could not be read. Check that the credential may "
                "list the project's connections."
            )
        by_name = {c.name: c for c in context.live.of(LIVE)}
        for name in sorted(wanted):
            found = by_name.get(name)
            if found is None:
                raise PlanError(_missing(name, wanted[name], environment, sorted(by_name)))
            context.relied[f"{PREFIX}{name}"] = found.id
            context.notes.append(
                f"{PREFIX}{name} is {found.id} in environment {environment!r} "
                f"(for {_users(wanted[name])})."
            )

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        """The ids the plan resolved: a saved plan is stale once a name means another id."""
        now = names(live)
        by_name = {name: i for i, name in now.items()}
        resolved = [key for key in plan.files if key.startswith(PREFIX)]
        return {key: digest(by_name.get(key[len(PREFIX) :])) for key in resolved}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        if not key.startswith(PREFIX):
            return None
        return f"{key} was removed or replaced in the project"


def _users(wanted: dict[str, Any]) -> str:
    return ", ".join(sorted(wanted.get("by", []))) or "a tool"


def _missing(name: str, wanted: dict[str, Any], environment: str, known: list[str]) -> str:
    have = f"it has {', '.join(known)}" if known else "it has none"
    return (
        f"{_users(wanted)} names connection {name!r}, but the project of environment "
        f"{environment!r} has no connection of that name ({have}). Create it in the project, "
        "or correct the name."
    )
