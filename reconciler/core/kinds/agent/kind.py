"""The agent kind (Foundry): a declared prompt agent against the latest version of its name.

Agent names are the identity: a declared agent is the live agent of that name when its latest
version carries our marks; an update is one new version, written only when the normalised
definition differs. A live agent of that name without our marks (made by hand, or edited in the
portal so that the marks went) is reported, never overwritten, unless the manifest's import_id
names it: adoption is a new version carrying our marks, and the hand-made store and files it
stops using are noted, never deleted. Our agents that no manifest declares are deleted, unless
their marks protect them.

History (agent/history.py): every version an agent retains references what its definition
names, so a store or upload goes only when no retained version of any agent holds it. A new
version of ours beyond lifecycle.retention deletes the oldest versions of ours (by version id,
after the writes), which then release what they alone held. The versions list is read only for
the agents that need it: ours that get a new version while they may hold more versions than
retention, and, before any store or upload is deleted, every agent that may have older versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.agent.planner import Planner
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.connection import NAME as CONNECTION
from reconciler.core.kinds.deployment import NAME as DEPLOYMENT
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.toolbox import NAME as TOOLBOX
from reconciler.core.kinds.vector_store import NAME as STORE
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.core.tools.registry import held, tool_type
from reconciler.core.tools.registry import references as tool_references


class AgentKind:
    name = NAME
    depends_on = (FILE, STORE, CONNECTION, DEPLOYMENT, TOOLBOX)
    manifest_kind = "Agent"
    versioned = True
    # Rendering hint (core/rendering): a tool is named by its name (a function), its server's
    # label (MCP), the name inside its type's object (an OpenAPI spec), else by its type.
    element_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "definition.tools": ("name", "server_label", "{type}.name", "type")
    }

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return {a.name for a in desired.of(DESIRED)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return {
            a.name
            for a in live.of(LIVE)
            if (marks := read_marks(a.metadata)) is not None and marks.owner == owner
        }

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return [(agent.name, set(held(agent.definition).files)) for agent in live.of(LIVE)]

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        """Agents are named per environment: they match across environments by the manifest
        that declares them."""
        return {f"{NAME}.{a.name}": str(a.location) for a in desired.of(DESIRED)}

    def requires(self, change: ResourceChange) -> set[str]:
        if change.action == "delete":
            return set()
        return tool_references(change.after or {})

    def references(self, change: ResourceChange) -> set[str]:
        return tool_references(change.before or {}) | tool_references(change.after or {})

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        definition = {
            **after["definition"],
            "tools": [tool_type(t).with_ids(t, ids) for t in after["definition"]["tools"]],
        }
        body: dict[str, Any] = {"definition": definition, "metadata": after["metadata"]}
        if after.get("description") is not None:
            body["description"] = after["description"]
        return body

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        names = {c.name for c in plan.actionable if c.kind == NAME}
        by_name = {a.name: _latest(a) for a in live.of(LIVE)}
        return {f"{NAME}.{n}": digest(by_name.get(n)) for n in names}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{NAME}.") else None


def _latest(agent: LiveAgent) -> dict[str, Any]:
    """The agent as a saved plan depends on it: its latest version (its history is read only
    by the plans that need it, never by apply)."""
    return {k: v for k, v in raw(agent).items() if k != "history"}
