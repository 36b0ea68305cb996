"""The planner's invariants with toolboxes: agent -> toolbox references (issue 25).

The Foundry project in memory of test_invariants_foundry.py, with toolboxes: live ones of anyone
(marks of this environment, another, another project, none; protected or not), whose default
version may lag behind a latest version (an apply stopped between its two calls, or a hand
edit), and agent versions of anyone (older ones too) that use them through their MCP endpoint.
Declared toolboxes and agents that use declared, live or missing toolboxes. Every plan keeps
the invariants (core/invariants_toolbox.py), applies cleanly and then plans no change; no
toolbox an agent version still uses is deleted, and nothing not ours is touched.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from reconciler.core.invariants import violations
from reconciler.core.kinds import agent as agent_kind
from reconciler.core.kinds import toolbox as toolbox_kind
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.registry import kind_named
from reconciler.core.kinds.toolbox import (
    DesiredToolbox,
    LiveToolbox,
    LiveToolboxVersion,
    ToolboxTool,
)
from reconciler.core.marks import NAME_MARK, OWNER_MARK, read_marks
from reconciler.core.plan_types import Mode, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.core.tools.connection import Declared
from reconciler.engine.apply import apply_plan
from tests.core.test_invariants_foundry import (
    MARKS,
    OWNER,
    Project,
    desired_states,
    live_agents,
)
from tests.support.invariants import EXAMPLES, MODES, planned

TOOLBOXES = ("t1", "t2", "t3")
TOOLS: tuple[dict[str, Any], ...] = (
    {"type": "web_search", "name": "web"},
    {"type": "code_interpreter", "container": {"type": "auto", "file_ids": []}},
)


# Ours half the time (else MARKS's five owners), so that updates and moves are common.
OURS = st.just(lambda n, p: {OWNER_MARK: OWNER, NAME_MARK: n + (";prevent_destroy" if p else "")})
TOOLBOX_MARKS = st.one_of(OURS, MARKS)


TOOL: st.SearchStrategy[dict[str, Any]] = st.sampled_from(TOOLS)


def url(name: str) -> str:
    return f"https://acct.services.ai.azure.com/api/projects/p/toolboxes/{name}/mcp?api-version=v1"


def use(name: str) -> dict[str, Any]:
    return {"type": "mcp", "server_label": name, "server_url": url(name)}


class ToolboxProject(Project):
    def __init__(self, agents: list[LiveAgent], toolboxes: list[LiveToolbox]) -> None:
        super().__init__(agents, [], [])
        self.toolboxes = {t.name: t for t in toolboxes}

    def __repr__(self) -> str:
        return f"{super().__repr__()} {list(self.toolboxes.values())!r}"

    def read_live(self) -> LiveState:
        live = super().read_live()
        return live.having(toolbox_kind.LIVE, tuple(self.toolboxes.values()))

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        if change.kind != toolbox_kind.NAME:
            return super().execute(change, ids)
        self.clock += 1
        if change.action == "delete":
            del self.toolboxes[change.name]
            return change.name
        body = kind_named(change.kind).body(change, ids)
        old = self.toolboxes.get(change.name)
        number = int(old.latest.version) + 1 if old else 1
        made = LiveToolboxVersion(
            str(number),
            self.clock,
            body.get("description"),
            tuple(body["tools"]),
            tuple(body.get("skills") or ()),
            body.get("policies"),
            body["metadata"],
        )
        if old is not None and _holds(old.latest, body):
            made = old.latest  # the dialect moves the default to it, no new version
        self.toolboxes[change.name] = LiveToolbox(change.name, made, made, url(change.name))
        return url(change.name)


def _holds(version: LiveToolboxVersion, body: dict[str, Any]) -> bool:
    return bool(list(version.tools) == body["tools"] and version.metadata == body["metadata"])


@st.composite
def live_toolboxes(draw: st.DrawFn) -> list[LiveToolbox]:
    made = []
    for name in draw(st.lists(st.sampled_from(TOOLBOXES), unique=True)):
        marks = draw(TOOLBOX_MARKS)(name, draw(st.booleans()))
        tools = tuple(draw(st.lists(TOOL, min_size=1, max_size=1)))
        default = LiveToolboxVersion("1", 1, None, tools, (), None, marks)
        latest = default
        if draw(st.booleans()):  # the default lags behind a newer version
            tools = tuple(draw(st.lists(TOOL, min_size=1, max_size=1)))
            latest = dataclasses.replace(default, version="2", tools=tools)
            latest = dataclasses.replace(latest, metadata=draw(TOOLBOX_MARKS)(name, False))
        made.append(LiveToolbox(name, default, latest, url(name)))
    return made


def _using(draw: st.DrawFn, version: LiveAgent) -> LiveAgent:
    if not draw(st.booleans()):
        return version
    tools = [*version.definition.get("tools", []), use(draw(st.sampled_from(TOOLBOXES)))]
    return dataclasses.replace(version, definition={**version.definition, "tools": tools})


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DesiredState, ToolboxProject, Mode]:
    agents = [
        dataclasses.replace(
            _using(draw, a), history=tuple(_using(draw, v) for v in a.history or ())
        )
        for a in draw(live_agents([], []))
    ]
    desired = draw(desired_states())
    declared = [
        DesiredToolbox(
            name=name,
            tools=tuple(
                ToolboxTool(Declared(t["type"], t), t.get("name"))
                for t in draw(st.lists(TOOL, min_size=1, max_size=1))
            ),
            prevent_destroy=draw(st.booleans()),
            import_id=name if draw(st.booleans()) else None,
        )
        for name in draw(st.lists(st.sampled_from(TOOLBOXES), unique=True))
    ]
    users = []
    for declared_agent in desired.of(agent_kind.DESIRED):
        wanted = declared_agent
        if draw(st.booleans()):
            ref = Declared(
                "toolbox", {"type": "toolbox", "toolbox": draw(st.sampled_from(TOOLBOXES))}
            )
            wanted = dataclasses.replace(wanted, tools=(*wanted.tools, ref))
        users.append(wanted)
    objects = {agent_kind.NAME: tuple(users), toolbox_kind.NAME: tuple(declared)}
    desired = dataclasses.replace(desired, objects=objects)
    return desired, ToolboxProject(agents, draw(live_toolboxes())), draw(st.sampled_from(MODES))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_plan_deletes_a_toolbox_in_use_or_not_ours_and_every_apply_converges(
    scenario: tuple[DesiredState, ToolboxProject, Mode],
) -> None:
    desired, project, mode = scenario
    note(f"{mode} {desired.objects!r} {project!r}")
    before = dict(project.toolboxes)
    plan = planned(project, desired, mode)
    event("refused" if plan is None else "planned")
    if plan is None:
        return
    for change in plan.actionable:
        if change.kind == toolbox_kind.NAME:
            event(f"toolbox {change.action} {change.action_reason}")
    holders = [f"agent.{name}" for name in project.agents]
    everything = project.listed(project.read_live(), holders)
    assert violations(plan, desired, everything) == []
    outcomes = apply_plan(plan, project, parallelism=1, progress=lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    used = {
        tool["server_label"]
        for agent in project.agents.values()
        for version in (agent, *(agent.history or ()))
        for tool in version.definition.get("tools", [])
        if tool.get("type") == "mcp"
    }
    assert {name for name in used if name in before} <= set(project.toolboxes)
    adopted = {c.name for c in plan.changes if c.importing}
    for name, toolbox in before.items():
        marks = read_marks(toolbox.default.metadata)
        if (marks is None or marks.owner != OWNER) and name not in adopted:
            assert project.toolboxes.get(name) == toolbox, name
        if marks is not None and marks.protected:
            assert name in project.toolboxes, f"protected toolbox {name} deleted"
    again = planned(project, desired, mode)
    assert again is not None, "a plan that applied cleanly must plan again"
    assert [c.address for c in again.actionable] == []
