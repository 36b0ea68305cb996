"""The toolbox kind (Foundry): a declared toolbox against the version its endpoint serves.

Planning is planner.py's. Toolboxes come before the agents that use them (agents depend on
this kind) and go after them; their tools name project connections (resolved per environment)
and hold no uploads of ours, but what a hand-made toolbox's tools hold stays while they hold it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds.base import PlanContext, Seen
from reconciler.core.kinds.connection import NAME as CONNECTION
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.toolbox.planner import Planner, tool_references
from reconciler.core.kinds.toolbox.types import DESIRED, LIVE, NAME
from reconciler.core.kinds.vector_store import NAME as STORE
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.core.tools.registry import held, tool_type


class ToolboxKind:
    name = NAME
    depends_on = (FILE, STORE, CONNECTION)
    manifest_kind = "Toolbox"
    versioned = True

    def plan(self, context: PlanContext) -> None:
        Planner(context).run()

    def declared(self, desired: DesiredState) -> set[str]:
        return {t.name for t in desired.of(DESIRED)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        return {
            t.name
            for t in live.of(LIVE)
            if (marks := read_marks(t.default.metadata)) is not None and marks.owner == owner
        }

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return [
            (f"{NAME}.{t.name}", {i for v in (t.default, t.latest) for i in _held(v.tools)})
            for t in live.of(LIVE)
        ]

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        """Toolboxes are named per environment: matched by the manifest that declares them."""
        return {f"{NAME}.{t.name}": str(t.location) for t in desired.of(DESIRED)}

    def requires(self, change: ResourceChange) -> set[str]:
        return set() if change.action == "delete" else tool_references(change.after or {})

    def references(self, change: ResourceChange) -> set[str]:
        return tool_references(change.before or {}) | tool_references(change.after or {})

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        after = change.after or {}
        body: dict[str, Any] = {
            "tools": [tool_type(t).with_ids(t, ids) for t in after["tools"]],
            "metadata": after["metadata"],
        }
        for key in ("description", "skills", "policies"):
            if after.get(key) is not None:
                body[key] = after[key]
        return body

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        names = {c.name for c in plan.actionable if c.kind == NAME}
        names |= {a.split(".", 1)[1] for a in seen.referenced if a.startswith(f"{NAME}.")}
        # Not the endpoint's URL: a `local` emulator's port differs between plan and apply.
        by_name = {t.name: {**raw(t), "mcp_url": None} for t in live.of(LIVE)}
        return {f"{NAME}.{n}": digest(by_name.get(n)) for n in names}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{NAME}.") else None


def _held(tools: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    return held({"tools": list(tools)}).files
