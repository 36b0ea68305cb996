"""The planner's invariants for the Foundry dialect: agents, vector stores and their files.

As tests/core/test_invariants.py, with an in-memory Foundry project as the dialect. Adversarial live
states: agents whose latest version lost its marks or belongs to another environment, stores
named like ours but unfinished, failed, foreign or forged, hand-made stores (whose files are
not listed up front) holding our uploads, agents of anyone pointing at anything; agent histories
(older versions of anyone, read only when the planner asks, pointing at anything, beyond or
within retention), reverts to knowledge an older version holds, and stores still ingesting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from reconciler.core.invariants import violations
from reconciler.core.kinds import agent as agent_kind
from reconciler.core.kinds import file as file_kind
from reconciler.core.kinds import vector_store as store_kind
from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent
from reconciler.core.kinds.file import LiveFile, upload_name
from reconciler.core.kinds.registry import kind_named, kinds_of
from reconciler.core.kinds.vector_store import STORE_PREFIX, LiveVectorStore, store_name
from reconciler.core.marks import NAME_MARK, OWNER_MARK, read_marks
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.plan_types import Mode, Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.core.tools.code_interpreter import CodeInterpreter
from reconciler.core.tools.file_search import FileSearch
from reconciler.engine.apply import apply_plan
from tests.support.invariants import EXAMPLES, MODES, planned, sha

OWNER = "p/dev"
NAMES = ("a", "b", "c")
CONTENTS = (b"one\n", b"two\n", b"three\n")
IGNORABLE = ("description", "metadata", "model", "instructions", "temperature", "tools")
ENVIRONMENT = Environment("dev", "memory", "v1", None, None, None, "foundry")


DECLARED = {
    sha(c): DesiredFile(f"docs/f{i}.md", sha(c), len(c), upload_name(f"docs/f{i}.md", sha(c)))
    for i, c in enumerate(CONTENTS)
}


class Project:
    """A Foundry project in memory: agents by name (latest version), stores, files."""

    kinds = kinds_of("foundry")

    def __init__(
        self,
        agents: list[LiveAgent],
        stores: list[LiveVectorStore],
        files: list[tuple[LiveFile, bytes]],
    ) -> None:
        self.agents = {a.name: a for a in agents}  # with their histories
        self.counters = {a.name: max(_numbers(a)) for a in agents}
        self.stores = {s.id: s for s in stores}
        self.files = {f.id: (f, content) for f, content in files}
        self.clock = 10_000

    def __repr__(self) -> str:
        files = {f.id: f.filename for f, _ in self.files.values()}
        return f"Project({list(self.agents.values())!r}, {list(self.stores.values())!r}, {files!r})"

    def read_live(self) -> LiveState:
        stores = tuple(
            s if (s.name or "").startswith(STORE_PREFIX) else dataclasses.replace(s, file_ids=None)
            for s in self.stores.values()
        )
        files = tuple(f for f, _ in self.files.values())
        agents = tuple(dataclasses.replace(a, history=None) for a in self.agents.values())
        return LiveState({file_kind.NAME: files, agent_kind.NAME: agents, store_kind.NAME: stores})

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        content = {i: sha(self.files[i][1]) for i in ids if i in self.files}
        return dataclasses.replace(live, content={**live.content, **content})

    def watch(self, progress: Callable[[str], None]) -> None:
        pass  # everything here happens at once

    def listed(self, live: LiveState, holders: list[str]) -> LiveState:
        known = tuple(self.stores[s.id] if s.id in holders else s for s in live.of(store_kind.LIVE))
        agents = tuple(
            self.agents[a.name] if f"agent.{a.name}" in holders else a
            for a in live.of(agent_kind.LIVE)
        )
        return live.having(store_kind.LIVE, known).having(agent_kind.LIVE, agents)

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        self.clock += 1
        if change.action == "delete":
            assert change.id is not None
            if change.kind == "file":
                self.files.pop(change.id)
            elif change.kind == "vector_store":
                self.stores.pop(change.id)
            elif ":" in change.id:  # one version of an agent: never its latest here
                name, _, number = change.id.partition(":")
                agent = self.agents[name]
                assert number != agent.version, f"latest version {change.id} deleted"
                older = tuple(v for v in agent.history or () if v.version != number)
                assert len(older) + 1 == len(agent.history or ()), f"{change.id} not there"
                self.agents[name] = dataclasses.replace(agent, history=older)
            else:
                self.agents.pop(change.id)
                self.counters.pop(change.id)
            return change.id
        if change.kind == "vector_store" and change.action == "update":  # waited for: ready
            assert change.id is not None
            self.stores[change.id] = dataclasses.replace(self.stores[change.id], status="completed")
            return change.id
        body = kind_named(change.kind).body(change, ids)
        if change.kind == "file":
            made = LiveFile(f"file-{self.clock}", body["filename"], 1, self.clock, "assistants")
            self.files[made.id] = (made, next(c for c in CONTENTS if sha(c) == body["sha256"]))
            return made.id
        if change.kind == "vector_store":
            store = LiveVectorStore(
                f"vs-{self.clock}",
                body["name"],
                self.clock,
                "completed",
                body["metadata"],
                tuple(body["file_ids"]),
            )
            self.stores[store.id] = store
            return store.id
        old = self.agents.get(change.name)
        self.counters[change.name] = self.counters.get(change.name, 0) + 1
        older = (*(old.history or ()), dataclasses.replace(old, history=None)) if old else ()
        self.agents[change.name] = LiveAgent(
            change.name,
            str(self.counters[change.name]),
            self.clock,
            body.get("description"),
            body["definition"],
            body["metadata"],
            older,
        )
        return change.name


def _numbers(agent: LiveAgent) -> list[int]:
    return [int(v.version) for v in (agent, *(agent.history or ()))]


MARKS = st.sampled_from(
    [
        lambda n, p: {OWNER_MARK: OWNER, NAME_MARK: n + (";prevent_destroy" if p else "")},
        lambda n, p: {OWNER_MARK: "p/prod", NAME_MARK: n},
        lambda n, p: {OWNER_MARK: "q/dev", NAME_MARK: n},
        lambda n, p: {"edited": "in the portal"},
        lambda n, p: {},
    ]
)


@st.composite
def live_files(draw: st.DrawFn) -> list[tuple[LiveFile, bytes]]:
    made = []
    for index in range(draw(st.integers(0, 4))):
        content = draw(st.sampled_from([*CONTENTS, b"hand made\n"]))
        named = draw(st.sampled_from(["ours", "wrong", "plain"]))
        digest = sha(content if named != "wrong" else b"else")[:12]
        filename = f"f{index % 2}.md" if named == "plain" else f"f{index % 2}.sha256-{digest}.md"
        made.append((LiveFile(f"lf-{index}", filename, 1, index, "assistants"), content))
    return made


@st.composite
def live_stores(draw: st.DrawFn, file_ids: list[str]) -> list[LiveVectorStore]:
    names = [store_name((sha(c),), None) for c in CONTENTS] + [f"{STORE_PREFIX}000000000000"]
    made = []
    for index in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from([*names, "hand made", None]))
        held = (
            draw(st.lists(st.sampled_from(file_ids), unique=True, max_size=2)) if file_ids else []
        )
        made.append(
            LiveVectorStore(
                f"vs-{index}",
                name,
                index,
                draw(st.sampled_from(["completed", "in_progress"])),
                draw(MARKS)(name or "", False),
                tuple(held),
                draw(st.sampled_from([0, 0, 1])),
            )
        )
    return made


@st.composite
def live_versions(
    draw: st.DrawFn, name: str, number: int, store_ids: list[str], file_ids: list[str]
) -> LiveAgent:
    tools: list[dict[str, Any]] = []
    search, code = draw(st.booleans()), draw(st.booleans())
    if store_ids and search:
        tools.append(
            {"type": "file_search", "vector_store_ids": [draw(st.sampled_from(store_ids))]}
        )
    if file_ids and code:
        held = draw(st.lists(st.sampled_from(file_ids), unique=True, max_size=2))
        tools.append({"type": "code_interpreter", "container": {"type": "auto", "file_ids": held}})
    definition = {"kind": "prompt", "model": draw(st.sampled_from(["m", "m2"])), "tools": tools}
    marks = draw(MARKS)(name, draw(st.booleans()))
    return LiveAgent(name, str(number), number, None, definition, marks)


@st.composite
def live_agents(draw: st.DrawFn, store_ids: list[str], file_ids: list[str]) -> list[LiveAgent]:
    """Agents with histories: older versions (some deleted already: gaps), of anyone."""
    made = []
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True)):
        numbers = sorted(draw(st.sets(st.integers(1, 5), min_size=1, max_size=4)))
        versions = [draw(live_versions(name, n, store_ids, file_ids)) for n in numbers]
        made.append(dataclasses.replace(versions[-1], history=tuple(versions[:-1])))
    return made


@st.composite
def desired_states(draw: st.DrawFn) -> DesiredState:
    agents = []
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True)):
        knowledge = tuple(
            draw(st.lists(st.sampled_from(sorted(DECLARED)), unique=True, max_size=2))
        )
        code = tuple(draw(st.lists(st.sampled_from(sorted(DECLARED)), unique=True, max_size=1)))
        agents.append(
            DesiredAgent(
                name=name,
                model=draw(st.sampled_from(["m", "m2"])),
                instructions=draw(st.sampled_from([None, "Help."])),
                tools=(
                    *((CodeInterpreter(code),) if code else ()),
                    *(
                        (FileSearch(knowledge, draw(st.sampled_from([None, 5]))),)
                        if knowledge
                        else ()
                    ),
                ),
                prevent_destroy=draw(st.booleans()),
                ignore_changes=tuple(draw(st.lists(st.sampled_from(IGNORABLE), unique=True))),
                import_id=name if draw(st.booleans()) else None,
                retention=draw(st.sampled_from([1, 2, 10])),
            )
        )
    return DesiredState("p", ENVIRONMENT, {agent_kind.NAME: tuple(agents)}, DECLARED)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DesiredState, Project, Mode]:
    files = draw(live_files())
    file_ids = [f.id for f, _ in files]
    stores = draw(live_stores(file_ids))
    agents = draw(live_agents([s.id for s in stores], file_ids))
    mode = draw(st.sampled_from(MODES))
    return draw(desired_states()), Project(agents, stores, files), mode


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_foundry_plan_breaks_an_invariant_and_every_apply_converges(
    scenario: tuple[DesiredState, Project, Mode],
) -> None:
    desired, project, mode = scenario
    note(f"{mode} {desired.of(agent_kind.DESIRED)!r} {project!r}")
    agents, stores = dict(project.agents), dict(project.stores)
    files = {i: f for i, (f, _) in project.files.items()}
    plan = planned(project, desired, mode)
    event("refused" if plan is None else f"{len(plan.actionable) > 0} changes")
    if plan is None:
        return
    holders = [*stores, *(f"agent.{name}" for name in agents)]
    everything = project.listed(project.verified(project.read_live(), list(files)), holders)
    assert violations(plan, desired, everything) == []
    outcomes = apply_plan(plan, project, parallelism=1, progress=lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    _nothing_foreign_touched(agents, stores, project, plan)
    _nothing_referenced_lost(files, stores, project)
    _retention_kept(desired, project, plan)
    again = planned(project, desired, mode)
    assert again is not None, "a plan that applied cleanly must plan again"
    assert [c.address for c in again.actionable] == []


def _nothing_foreign_touched(
    agents: dict[str, LiveAgent], stores: dict[str, LiveVectorStore], project: Project, plan: Plan
) -> None:
    adopted = {c.id for c in plan.changes if c.importing}
    for name, agent in agents.items():
        marks = read_marks(agent.metadata)
        if (marks is None or marks.owner != OWNER) and name not in adopted:
            assert project.agents.get(name) == agent, name
        if marks is not None and marks.protected:
            assert name in project.agents, f"protected agent {name} deleted"
    # A store another environment of the project built is shared knowledge: the last agent of
    # ours to leave it may delete it. Any other store not marked by us stays as it was.
    ours_held = {  # by any version of ours: an older one let go by retention too
        i
        for agent in agents.values()
        for version in (agent, *(agent.history or ()))
        if (marks := read_marks(version.metadata)) is not None and marks.owner == OWNER
        for tool in version.definition.get("tools", [])
        for i in tool.get("vector_store_ids", [])
    }
    awaited = {c.id for c in plan.actionable if c.kind == "vector_store" and c.action == "update"}
    for store_id, store in stores.items():
        marks = read_marks(store.metadata)
        shared = marks is not None and marks.owner.startswith("p/") and store_id in ours_held
        now = project.stores.get(store_id)
        if now is not None and store_id in awaited:  # waited for: the service finished it
            now = dataclasses.replace(now, status=store.status)
        if (marks is None or marks.owner != OWNER) and not shared:
            assert now == store, store_id


def _retention_kept(desired: DesiredState, project: Project, plan: Plan) -> None:
    """An agent given a new version keeps at most `retention` versions of ours (protected ones
    aside), and never loses one made by hand."""
    written = {c.name for c in plan.actionable if c.kind == "agent" and c.action != "delete"}
    for wanted in desired.of(agent_kind.DESIRED):
        if wanted.name not in written:
            continue
        live = project.agents[wanted.name]
        ours = [
            v
            for v in (live, *(live.history or ()))
            if (m := read_marks(v.metadata)) is not None and m.owner == OWNER and not m.protected
        ]
        assert len(ours) <= wanted.retention, f"{wanted.name}: {len(ours)} versions of ours"


def _nothing_referenced_lost(
    files: dict[str, LiveFile], stores: dict[str, LiveVectorStore], project: Project
) -> None:
    held = {i for s in project.stores.values() for i in s.file_ids or ()}
    pointed: set[str] = set()
    versions = [v for a in project.agents.values() for v in (a, *(a.history or ()))]
    for agent in versions:  # every retained version references what it names
        for tool in agent.definition.get("tools", []):
            held.update(tool.get("container", {}).get("file_ids", []))
            pointed.update(tool.get("vector_store_ids", []))
    lost = {i for i in held if i in files and i not in project.files}
    assert lost == set(), f"files deleted while held: {lost}"
    gone = {s for s in pointed if s in stores and s not in project.stores}
    assert gone == set(), f"stores deleted while an agent points at them: {gone}"
