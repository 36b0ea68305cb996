"""The planner's invariants for workflow agents and the agents they invoke.

As tests/core/test_invariants_foundry.py, over the same in-memory Foundry project, with workflow
and hosted agents in the one agent name space: adversarial live states hold workflows of anyone (ours,
another environment's, hand-made) invoking agents of anyone, by name or pinned to a version
(which may not exist), workflows invoking workflows, names held by one kind of agent and
declared as another, and YAML that does not parse. Every plan keeps the invariants; after apply
no agent that a remaining workflow invokes is gone, and planning again changes nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from reconciler.api.dialects.hosted import live_hosted
from reconciler.api.dialects.workflows import live_workflows
from reconciler.core.invariants import violations
from reconciler.core.kinds import agent as agent_kind
from reconciler.core.kinds import hosted_agent as hosted_kind
from reconciler.core.kinds import workflow_agent as workflow_kind
from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.hosted_agent import DesiredHosted
from reconciler.core.kinds.workflow_agent import DesiredWorkflow, Invocation
from reconciler.core.marks import NAME_MARK, OWNER_MARK
from reconciler.core.plan_types import Mode, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.engine.apply import apply_plan
from tests.core.test_invariants_foundry import DECLARED, ENVIRONMENT, MARKS, OWNER
from tests.core.test_invariants_foundry import Project as FoundryProject
from tests.support.invariants import EXAMPLES, MODES, planned

PROMPTS = ("a", "b", "c")
WORKFLOWS = ("w1", "w2")
HOSTED = ("h1",)
NAMES = PROMPTS + WORKFLOWS + HOSTED
IMAGE = "r.io/app@sha256:" + "0" * 64
HOSTED_DEFINITION = {
    "kind": "hosted",
    "cpu": "0.5",
    "memory": "1Gi",
    "container_configuration": {"image": IMAGE},
}


def workflow_yaml(invokes: list[tuple[str, str | None]]) -> str:
    lines = ["kind: workflow", "trigger:", "  kind: OnConversationStart", "  actions:"]
    for index, (agent, version) in enumerate(invokes):
        lines += ["    - kind: InvokeAzureAgent", f"      id: step{index}", "      agent:"]
        lines += [f"        name: {agent}"] + ([f"        version: {version}"] if version else [])
    return "\n".join(lines if invokes else [*lines[:-1], "  actions: []"]) + "\n"


class Project(FoundryProject):
    """The Foundry project in memory, its workflow agents read as the dialect reads them."""

    def read_live(self) -> LiveState:
        live = super().read_live()
        agents = live.of(agent_kind.LIVE)
        hosted = live_hosted([], agents)
        objects = {workflow_kind.NAME: live_workflows(agents), hosted_kind.NAME: hosted}
        return LiveState({**live.objects, **objects})

    def listed(self, live: LiveState, holders: list[str]) -> LiveState:
        listed = super().listed(live, holders)
        agents = listed.of(agent_kind.LIVE)
        listed = listed.having(hosted_kind.LIVE, live_hosted([], agents))
        return listed.having(workflow_kind.LIVE, live_workflows(agents))

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        writers: dict[str, Kind] = {workflow_kind.NAME: workflow_kind.WorkflowAgentKind()}
        writers[hosted_kind.NAME] = hosted_kind.HostedAgentKind()
        if change.kind in writers and change.action != "delete":
            body = writers[change.kind].body(change, ids)
            return self._version(change.name, body)
        if change.kind in writers:  # a delete: the same endpoint call as an agent's
            change = dataclasses.replace(change, kind=agent_kind.NAME)
        return super().execute(change, ids)

    def _version(self, name: str, body: dict[str, Any]) -> str:
        self.clock += 1
        old = self.agents.get(name)
        self.counters[name] = self.counters.get(name, 0) + 1
        older = (*(old.history or ()), dataclasses.replace(old, history=None)) if old else ()
        self.agents[name] = LiveAgent(
            name,
            str(self.counters[name]),
            self.clock,
            body.get("description"),
            body["definition"],
            body["metadata"],
            older,
        )
        return name


INVOKES = st.lists(
    st.tuples(st.sampled_from([*NAMES, "gone"]), st.sampled_from([None, None, "1", "2", "4"])),
    max_size=3,
)


@st.composite
def live_agent(draw: st.DrawFn, name: str) -> LiveAgent:
    numbers = sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=3)))
    versions = []
    for number in numbers:
        if name in WORKFLOWS:
            text = draw(st.sampled_from([workflow_yaml(draw(INVOKES)), "kind: [unclosed"]))
            definition: dict[str, Any] = {"kind": "workflow", "workflow": text}
        elif name in HOSTED:
            definition = HOSTED_DEFINITION
        else:
            definition = {"kind": "prompt", "model": "m", "tools": []}
        marks = draw(MARKS)(name, draw(st.booleans()))
        versions.append(LiveAgent(name, str(number), number, None, definition, marks))
    return dataclasses.replace(versions[-1], history=tuple(versions[:-1]))


@st.composite
def desired_states(draw: st.DrawFn) -> DesiredState:
    # A name may be declared as the other kind than the endpoint holds it as.
    prompts = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    agents = tuple(
        DesiredAgent(
            name=n,
            model=draw(st.sampled_from(["m", "m2"])),
            prevent_destroy=draw(st.booleans()),
            retention=draw(st.sampled_from([1, 2, 10])),
        )
        for n in prompts
    )
    workflows = []
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=2)):
        invokes = tuple(Invocation(agent, version) for agent, version in draw(INVOKES))
        workflows.append(
            DesiredWorkflow(
                name=name,
                workflow=workflow_yaml([(i.agent, i.version) for i in invokes]),
                workflow_file="w.yaml",
                invokes=invokes,
                prevent_destroy=draw(st.booleans()),
                import_id=name if draw(st.booleans()) else None,
            )
        )
    hosted = tuple(
        DesiredHosted(name=n, image=IMAGE, cpu="0.5", memory="1Gi", import_id=n)
        for n in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=1))
    )
    objects = {agent_kind.NAME: agents, workflow_kind.NAME: tuple(workflows)}
    objects[hosted_kind.NAME] = hosted
    return DesiredState("p", ENVIRONMENT, objects, DECLARED)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DesiredState, Project, Mode]:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True))
    agents = [draw(live_agent(name)) for name in names]
    return draw(desired_states()), Project(agents, [], []), draw(st.sampled_from(MODES))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_workflow_plan_breaks_an_invariant_and_every_apply_converges(
    scenario: tuple[DesiredState, Project, Mode],
) -> None:
    desired, project, mode = scenario
    note(f"{mode} {dict(desired.objects)!r} {project!r}")
    plan = planned(project, desired, mode)
    event("refused" if plan is None else f"{len(plan.actionable) > 0} changes")
    if plan is None:
        return
    holders = [f"agent.{name}" for name in project.agents]
    everything = project.listed(project.read_live(), holders)
    assert violations(plan, desired, everything) == []
    before = _versions(project)
    outcomes = apply_plan(plan, project, parallelism=1, progress=lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    _nothing_invoked_lost(project, before)
    again = planned(project, desired, mode)
    assert again is not None, "a plan that applied cleanly must plan again"
    assert [c.address for c in again.actionable] == []


def _versions(project: Project) -> set[str]:
    """Every agent (`name`) and every version (`name:N`) on the endpoint."""
    agents = project.agents.values()
    return {
        *project.agents,
        *(f"{a.name}:{v.version}" for a in agents for v in (a, *(a.history or ()))),
    }


def _nothing_invoked_lost(project: Project, before: set[str]) -> None:
    """No agent, and no pinned version, that was there and that a workflow on the endpoint
    after the apply invokes, is gone."""
    after = _versions(project)
    for workflow in project.read_live().of(workflow_kind.LIVE):
        for invocation in workflow.invokes or ():
            wanted = {invocation.agent}
            if invocation.version is not None:
                wanted.add(f"{invocation.agent}:{invocation.version}")
            lost = (wanted & before) - after
            assert lost == set(), f"{workflow.name} invokes {sorted(lost)}, deleted"


def test_retention_keeps_a_version_a_workflow_pins() -> None:
    """An agent of ours beyond retention keeps the version another owner's workflow pins."""
    ours = {OWNER_MARK: OWNER, NAME_MARK: "a"}
    prompt = {"kind": "prompt", "model": "m", "tools": []}
    older = tuple(LiveAgent("a", str(n), n, None, prompt, ours) for n in (1, 2))
    agent = LiveAgent("a", "3", 3, None, prompt, ours, older)
    flow = {"kind": "workflow", "workflow": workflow_yaml([("a", "1")])}
    theirs = LiveAgent("w1", "1", 1, None, flow, {OWNER_MARK: "q/dev", NAME_MARK: "w1"})
    project = Project([agent, theirs], [], [])
    wanted = DesiredAgent(name="a", model="m2", retention=1)
    desired = DesiredState("p", ENVIRONMENT, {agent_kind.NAME: (wanted,)}, DECLARED)
    plan = planned(project, desired, "normal")
    assert plan is not None
    assert [c.address for c in plan.actionable] == ["agent.a", "agent.a#2", "agent.a#3"]
    assert any("pinned to version 1" in n for n in plan.notes)
