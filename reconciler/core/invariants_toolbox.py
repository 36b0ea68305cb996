"""The invariants of core/invariants.py for Foundry toolboxes, from the plan and the live state.

A toolbox is ours when the version its `default_version` names carries our marks (or import_id
names it and it carries none); a plan acts on no other. No toolbox is deleted while an agent
version of any owner uses it after the plan (an MCP tool pointing at its endpoint, or a toolbox
tool of a version the plan writes), while the plan points an agent at it, while the versions of
an agent that may have older ones are unknown, or while its live marks protect it.
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.core.invariants_foundry import _histories_unknown as histories_unknown
from reconciler.core.invariants_foundry import _owned as owned
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.toolbox.types import DesiredToolbox, LiveToolbox
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState

# Named here, apart from the kinds' modules, as invariants_foundry.py does.
AGENT, TOOLBOX = "agent", "toolbox"
AGENTS: Key[LiveAgent] = Key(AGENT)
TOOLBOXES: Key[LiveToolbox] = Key(TOOLBOX)
DESIRED_TOOLBOXES: Key[DesiredToolbox] = Key(TOOLBOX)
ENDPOINT = re.compile(r"/toolboxes/([^/?#]+)/mcp(?:\?|$)")


def toolbox_problems(plan: Plan, desired: DesiredState, live: LiveState) -> list[str]:
    toolboxes = {t.name: t for t in live.of(TOOLBOXES)}
    imports = {t.import_id for t in desired.of(DESIRED_TOOLBOXES) if t.import_id}
    found: list[str] = []
    deletes = [c for c in plan.actionable if c.kind == TOOLBOX and c.action == "delete"]
    for change in plan.actionable:
        if change.kind == TOOLBOX:
            found += _owned(change, toolboxes.get(change.name), desired.owner, imports)
    if not deletes:
        return found
    unread = histories_unknown(plan, live)
    used = _used_after(plan, live)
    for change in deletes:
        if unread:
            found.append(f"{change.address} is deleted while the versions of {unread} are unknown")
        if change.name in used:
            found.append(f"{change.address} is deleted while an agent version uses it")
        if change.name in plan.files:
            found.append(f"{change.address} is deleted while the plan points an agent at it")
    return found


def _owned(
    change: ResourceChange, toolbox: LiveToolbox | None, owner: str, imports: set[str]
) -> list[str]:
    if change.action == "create":
        exists = toolbox is not None
        return [f"{change.address} creates {change.name}, which exists"] if exists else []
    return owned(change, toolbox.default.metadata if toolbox else None, owner, imports)


def _used_after(plan: Plan, live: LiveState) -> set[str]:
    """The toolboxes agent versions use after the plan: retained ones, and the plan's writes."""
    changes = {c.id: c for c in plan.actionable if c.kind == AGENT and c.id}
    used: set[str] = set()
    for agent in live.of(AGENTS):
        change = changes.get(agent.name)
        if change is not None and change.action == "delete":
            continue
        for version in (agent, *(agent.history or ())):
            if f"{agent.name}:{version.version}" not in changes:
                used |= _toolboxes(version.definition)
    for change in plan.actionable:
        if change.kind == AGENT and change.action in ("create", "update"):
            used |= _toolboxes((change.after or {}).get("definition") or {})
    return used


def _toolboxes(definition: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for tool in definition.get("tools") or []:
        if tool.get("type") == TOOLBOX:
            found.add(str(tool.get("toolbox")))
        url = tool.get("server_url") if tool.get("type") == "mcp" else None
        if isinstance(url, str) and (match := ENDPOINT.search(url)):
            found.add(match.group(1))
    return found
