"""A resource kind defined here, with its manifest loader, joins reconciler by registration alone:
`kind: Widget` manifests load (errors at their location), plan, apply and converge against an
endpoint in memory, beside the kinds of the dialect it joins; a hand-made widget is never
touched, a protected one never deleted, destroy removes only ours, and a saved plan notices a
widget that moved. Nothing in reconciler/ names a widget.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict

from reconciler.config import manifest_kinds
from reconciler.config.desired import load_desired
from reconciler.config.document import check_document
from reconciler.config.loader import Request
from reconciler.core import staleness
from reconciler.core.diff import field_changes
from reconciler.core.fingerprint import digest, raw
from reconciler.core.kinds import registry
from reconciler.core.kinds.base import Kind, PlanContext, Seen
from reconciler.core.marks import Marks, read_marks
from reconciler.core.model import Environment
from reconciler.core.plan_types import Action, Mode, Plan, ResourceChange
from reconciler.core.state import DesiredState, Key, LiveState
from reconciler.diagnostics import Diagnostic, Location
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live
from reconciler.errors import PlanError, ProjectError

API = "assistants"  # the dialect the widget joins, beside files and assistants
NAME = "widget"


@dataclasses.dataclass(frozen=True)
class DesiredWidget:
    name: str
    colour: str
    prevent_destroy: bool = False
    location: Location = Location("")


@dataclasses.dataclass(frozen=True)
class LiveWidget:
    id: str
    colour: str
    metadata: dict[str, str]


DESIRED: Key[DesiredWidget] = Key(NAME)
LIVE: Key[LiveWidget] = Key(NAME)


class WidgetKind:
    name = NAME
    depends_on: tuple[str, ...] = ()
    manifest_kind = "Widget"
    versioned = False

    def plan(self, context: PlanContext) -> None:
        ours = {
            marks.name: live
            for live in context.live.of(LIVE)
            if (marks := read_marks(live.metadata)) and marks.owner == context.owner
        }
        wanted = () if context.mode == "destroy" else context.desired.of(DESIRED)
        for desired in wanted:
            self._upsert(context, desired, ours.pop(desired.name, None))
        protected = {d.name for d in context.desired.of(DESIRED) if d.prevent_destroy}
        for name, live in sorted(ours.items()):
            marks = read_marks(live.metadata)
            if name in protected or (marks is not None and marks.protected):
                raise PlanError(f"{NAME}.{name} is protected: refusing to delete it")
            context.add(self._change(name, "delete", "removed", live.id, self._essence(live)))

    def _upsert(
        self, context: PlanContext, desired: DesiredWidget, live: LiveWidget | None
    ) -> None:
        marks = Marks(context.owner, desired.name, desired.prevent_destroy).metadata()
        after = {"colour": desired.colour, "metadata": marks}
        if live is None:
            context.add(self._change(desired.name, "create", "new", None, None, after))
            return
        before = self._essence(live)
        diff = field_changes(before, after)
        action: Action = "update" if diff else "no-op"
        change = self._change(desired.name, action, "drift" if diff else None, live.id, before)
        context.add(dataclasses.replace(change, after=after, diff=diff))

    @staticmethod
    def _change(
        name: str,
        action: Action,
        reason: Literal["new", "drift", "removed"] | None,
        live_id: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None = None,
    ) -> ResourceChange:
        return ResourceChange(
            address=f"{NAME}.{name}",
            kind=NAME,
            name=name,
            action=action,
            action_reason=reason,
            id=live_id,
            before=before,
            after=after,
        )

    @staticmethod
    def _essence(live: LiveWidget) -> dict[str, Any]:
        return {"colour": live.colour, "metadata": dict(live.metadata)}

    def declared(self, desired: DesiredState) -> set[str]:
        return {d.name for d in desired.of(DESIRED)}

    def owned(self, live: LiveState, owner: str) -> set[str]:
        found = (read_marks(w.metadata) for w in live.of(LIVE))
        return {m.name for m in found if m is not None and m.owner == owner}

    def requires(self, change: ResourceChange) -> set[str]:
        return set()

    def body(self, change: ResourceChange, ids: Mapping[str, str]) -> dict[str, Any]:
        return dict(change.after or {})

    def references(self, change: ResourceChange) -> set[str]:
        return set()

    def holders(self, live: LiveState) -> Iterable[tuple[str, set[str]]]:
        return ()

    def fingerprints(self, plan: Plan, live: LiveState, seen: Seen) -> dict[str, str]:
        by_id = {w.id: w for w in live.of(LIVE)}
        acted = [c for c in plan.actionable if c.kind == NAME and c.id]
        return {f"{NAME}.{c.name}": digest(raw(by_id[c.id])) for c in acted if c.id in by_id}

    def describe(self, key: str, then: str | None, now: str | None) -> str | None:
        return f"{key} changed" if key.startswith(f"{NAME}.") else None

    def match_keys(self, desired: DesiredState) -> dict[str, str]:
        return {}


class WidgetDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["Widget"]
    name: str
    colour: Literal["red", "green", "blue"]
    prevent_destroy: bool = False


class WidgetLoader:
    kind = "Widget"
    document = WidgetDoc

    def resolve(self, request: Request) -> tuple[DesiredWidget | None, list[Diagnostic]]:
        doc, problems = check_document(WidgetDoc, request.source)
        if doc is None:
            return None, problems
        where = request.source.locate(("name",))
        return DesiredWidget(doc.name, doc.colour, doc.prevent_destroy, where), []

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return []

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        return []

    def wrong_api(self, environment: Environment) -> str:
        return f"kind: Widget is served by api: {API} only"


class Workshop:
    """An endpoint in memory serving widgets (and nothing else): the dialect of this test."""

    def __init__(self, *widgets: LiveWidget) -> None:
        self.widgets = {w.id: w for w in widgets}
        self.calls: list[str] = []
        self._ids = (f"w-{n}" for n in itertools.count(1))

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return registry.kinds_of(API)

    def read_live(self) -> LiveState:
        return LiveState({NAME: tuple(self.widgets.values())})

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        return live

    def listed(self, live: LiveState, stores: list[str]) -> LiveState:
        return live

    def watch(self, progress: Callable[[str], None]) -> None:
        pass

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        self.calls.append(f"{change.action} {change.address}")
        if change.action == "delete":
            assert change.id is not None
            del self.widgets[change.id]
            return change.id
        body = registry.kind_named(change.kind).body(change, ids)
        made = LiveWidget(change.id or next(self._ids), body["colour"], body["metadata"])
        self.widgets[made.id] = made
        return made.id


@pytest.fixture
def widgets() -> Iterator[None]:
    with registry.registered(API, WidgetKind()), manifest_kinds.registered(WidgetLoader()):
        yield


def _project(root: Path, *manifests: str) -> Path:
    (root / "widgets").mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(
        "project: shop\nmanifests: [widgets/]\nenvironments:\n"
        "  dev: {endpoint: 'https://widgets.example'}\n",
        encoding="utf-8",
    )
    (root / "widgets" / "all.yaml").write_text("---\n".join(manifests), encoding="utf-8")
    return root


def _converge(root: Path, workshop: Workshop, mode: Mode = "normal") -> list[str]:
    desired = load_desired(root, "dev", {}, allow_empty=True)
    plan = plan_live(workshop, desired, mode)
    outcomes = apply_plan(plan, workshop, 2, lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    assert plan_live(workshop, desired, mode).actionable == []  # converged
    return sorted(f"{c.action} {c.address}" for c in plan.actionable)


RED = "kind: Widget\nname: a\ncolour: red\n"
BLUE = "kind: Widget\nname: b\ncolour: blue\n"


def test_a_registered_kind_plans_applies_and_converges(widgets: None, tmp_path: Path) -> None:
    hand_made = LiveWidget("h-1", "red", {"team": "x"})  # no marks: not ours
    workshop = Workshop(hand_made)
    root = _project(tmp_path, RED, BLUE)
    assert _converge(root, workshop) == ["create widget.a", "create widget.b"]
    _project(tmp_path, RED.replace("red", "green"))
    assert _converge(root, workshop) == ["delete widget.b", "update widget.a"]
    assert workshop.widgets["h-1"] == hand_made
    assert _converge(root, workshop, "destroy") == ["delete widget.a"]
    assert list(workshop.widgets) == ["h-1"]


def test_a_protected_widget_is_never_deleted(widgets: None, tmp_path: Path) -> None:
    workshop = Workshop()
    root = _project(tmp_path, RED + "prevent_destroy: true\n")
    _converge(root, workshop)
    _project(tmp_path, BLUE)
    with pytest.raises(PlanError, match=r"widget\.a is protected"):
        plan_live(workshop, load_desired(root, "dev", {}))


def test_a_widget_manifest_error_has_its_location(widgets: None, tmp_path: Path) -> None:
    root = _project(tmp_path, "kind: Widget\nname: a\ncolour: pink\n")
    with pytest.raises(ProjectError) as raised:
        load_desired(root, "dev", {})
    (problem,) = raised.value.diagnostics
    assert str(problem.location) == f"{root / 'widgets' / 'all.yaml'}:3:9"


def test_a_saved_plan_sees_a_widget_that_moved(widgets: None, tmp_path: Path) -> None:
    workshop = Workshop()
    root = _project(tmp_path, RED)
    _converge(root, workshop)
    _project(tmp_path, RED.replace("red", "green"))
    plan = plan_live(workshop, load_desired(root, "dev", {}))
    (widget,) = workshop.widgets.values()
    workshop.widgets[widget.id] = dataclasses.replace(widget, colour="blue")  # a portal edit
    kinds = workshop.kinds
    assert staleness.moved(plan, workshop.read_live(), kinds) == ["widget.a changed"]


def test_without_registration_a_widget_is_an_unknown_kind(tmp_path: Path) -> None:
    root = _project(tmp_path, RED)
    with pytest.raises(ProjectError) as raised:
        load_desired(root, "dev", {})
    assert "unknown kind 'Widget'" in str(raised.value.diagnostics[0])
    assert NAME not in registry.all_kinds()


class _Named(WidgetKind):
    def __init__(self, name: str, *depends_on: str) -> None:
        self.name, self.depends_on = name, depends_on


def test_kinds_come_after_what_they_depend_on_whatever_the_order_they_joined() -> None:
    first, second = _Named("gadget", "sprocket", "assistant"), _Named("sprocket", "file")
    with registry.registered(API, first), registry.registered(API, second):
        names = [kind.name for kind in registry.kinds_of(API)]
    assert names == ["file", "assistant", "sprocket", "gadget"]


def test_kinds_that_depend_on_each_other_are_refused() -> None:
    with (
        registry.registered("loop", _Named("a", "b")),
        registry.registered("loop", _Named("b", "a")),
        pytest.raises(ValueError, match="circle: a -> b"),
    ):
        registry.kinds_of("loop")
