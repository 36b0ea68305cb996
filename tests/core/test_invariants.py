"""Property tests of the planner's invariants over random desired and adversarial live states.

An in-memory model of the endpoint serves as the dialect: the real planning pipeline reads it
(reading back uploads it must verify), the real applier writes it, and then it is planned again.
Live states carry what portals, crashes and other pipelines leave: marks removed, duplicated,
half-written or forged, look-alike names, names with twelve hex digits, import_id pointing
anywhere, ignore_changes on every field, files shared with other owners.

CI runs RECONCILER_INVARIANT_EXAMPLES (default 500) examples; the long profile is
`RECONCILER_INVARIANT_EXAMPLES=20000 pytest tests/core/test_invariants.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from reconciler.core.invariants import violations
from reconciler.core.kinds.assistant import DESIRED as ASSISTANTS
from reconciler.core.kinds.assistant import LIVE as LIVE_ASSISTANTS
from reconciler.core.kinds.assistant import owned_copies
from reconciler.core.kinds.assistant.types import DesiredAssistant, LiveAssistant
from reconciler.core.kinds.file import LIVE as LIVE_FILES
from reconciler.core.kinds.file import LiveFile, upload_name
from reconciler.core.kinds.registry import kind_named, kinds_of
from reconciler.core.marks import NAME_MARK, OWNER_MARK, read_marks
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.plan_types import Mode, Plan, ResourceChange
from reconciler.core.state import DesiredState, LiveState
from reconciler.engine.apply import apply_plan
from tests.support.invariants import EXAMPLES, MODES, planned, sha

OWNER = "p/dev"
NAMES = ("a", "b", "c")
CONTENTS = (b"one\n", b"two\n", b"three\n")
IGNORABLE = ("display_name", "description", "model", "instructions", "tools", "files", "metadata")
ENVIRONMENT = Environment("dev", "memory", "2024-02-15-preview", None, None)


DECLARED = {
    sha(c): DesiredFile(f"docs/f{i}.md", sha(c), len(c), upload_name(f"docs/f{i}.md", sha(c)))
    for i, c in enumerate(CONTENTS)
}


class Endpoint:
    """The endpoint as a dialect: ids handed out in order, content kept, writes applied."""

    kinds = kinds_of("assistants")

    def __init__(self, assistants: list[LiveAssistant], files: list[tuple[LiveFile, bytes]]):
        self.assistants = {a.id: a for a in assistants}
        self.files = {f.id: (f, content) for f, content in files}
        self.clock = 10_000

    def __repr__(self) -> str:
        files = {f.id: (f.filename, content) for f, content in self.files.values()}
        return f"Endpoint(assistants={list(self.assistants.values())!r}, files={files!r})"

    def read_live(self) -> LiveState:
        ordered = sorted(self.assistants.values(), key=lambda a: a.created_at)
        files = tuple(f for f, _ in self.files.values())
        return LiveState({LIVE_ASSISTANTS.kind: tuple(ordered), LIVE_FILES.kind: files})

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        content = {i: sha(self.files[i][1]) for i in ids if i in self.files}
        return dataclasses.replace(live, content={**live.content, **content})

    def watch(self, progress: Callable[[str], None]) -> None:
        pass  # everything here happens at once

    def listed(self, live: LiveState, stores: list[str]) -> LiveState:
        return live

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        self.clock += 1
        if change.action == "delete":
            assert change.id is not None
            (self.files if change.kind == "file" else self.assistants).pop(change.id)
            return change.id
        body = kind_named(change.kind).body(change, ids)
        if change.kind == "file":
            made = LiveFile(f"file-{self.clock}", body["filename"], 1, self.clock, "assistants")
            self.files[made.id] = (made, next(c for c in CONTENTS if sha(c) == body["sha256"]))
            return made.id
        old = self.assistants.get(change.id or "") or LiveAssistant(
            f"asst-{self.clock}", self.clock, None, None, "", None, (), (), {}
        )
        self.assistants[old.id] = _written(old, body)
        return old.id


def _written(old: LiveAssistant, body: dict[str, Any]) -> LiveAssistant:
    fields = {
        k: v for k, v in body.items() if k in ("name", "description", "model", "instructions")
    }
    if "tools" in body:
        fields["tools"] = tuple(body["tools"])
    if "file_ids" in body:
        fields["file_ids"] = tuple(body["file_ids"])
    if "metadata" in body:
        fields["metadata"] = dict(body["metadata"])
    return dataclasses.replace(old, **fields)


MARKS = st.sampled_from(
    [
        lambda n, p: {OWNER_MARK: OWNER, NAME_MARK: n + (";prevent_destroy" if p else "")},
        lambda n, p: {OWNER_MARK: "p/prod", NAME_MARK: n},  # another environment of ours
        lambda n, p: {OWNER_MARK: "q/dev", NAME_MARK: n},  # another project
        lambda n, p: {NAME_MARK: n},  # half a mark: nobody owns it
        lambda n, p: {OWNER_MARK: OWNER},  # half a mark the other way
        lambda n, p: {OWNER_MARK: OWNER, NAME_MARK: n + ";forged;x"},
        lambda n, p: {"team": "x"},  # marks removed in the portal
    ]
)


@st.composite
def live_files(draw: st.DrawFn) -> list[tuple[LiveFile, bytes]]:
    made = []
    for index in range(draw(st.integers(0, 6))):
        content = draw(st.sampled_from([*CONTENTS, b"hand made\n"]))
        stem = draw(st.sampled_from(["f0", "f1", "notes"]))
        named = draw(st.sampled_from(["ours", "wrong", "legacy", "stamp", "plain"]))
        digest = sha(content if named != "wrong" else b"else")[:12]
        filename = {
            "ours": f"{stem}.sha256-{digest}.md",
            "wrong": f"{stem}.sha256-{digest}.md",
            "legacy": f"{stem}.{digest}.md",
            "stamp": f"{stem}.202402011200.md",
            "plain": f"{stem}.md",
        }[named]
        made.append((LiveFile(f"lf-{index}", filename, len(content), index, "assistants"), content))
    return made


@st.composite
def live_assistants(draw: st.DrawFn, file_ids: list[str]) -> list[LiveAssistant]:
    made = []
    for index in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(NAMES))
        metadata = draw(MARKS)(name, draw(st.booleans()))
        attached = draw(st.lists(st.sampled_from(file_ids), max_size=2)) if file_ids else []
        api_name = draw(st.sampled_from([name, "A", "other", None]))
        made.append(
            LiveAssistant(
                f"la-{index}",
                draw(st.integers(0, 3)),
                api_name,
                None,
                "m",
                "Help.",
                (),
                tuple(dict.fromkeys(attached)),
                metadata,
            )
        )
    return made


@st.composite
def desired_states(draw: st.DrawFn, live_ids: list[str]) -> DesiredState:
    chosen = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    imports = iter(draw(st.permutations(live_ids))) if live_ids else iter(())
    assistants = []
    for name in chosen:
        free = [n for n in NAMES if n not in chosen]
        assistants.append(
            DesiredAssistant(
                name=name,
                model=draw(st.sampled_from(["m", "m2"])),
                display_name=draw(st.sampled_from([None, "A", "B"])),
                instructions=draw(st.sampled_from(["Help.", "Help more."])),
                files=tuple(
                    draw(st.lists(st.sampled_from(sorted(DECLARED)), unique=True, max_size=2))
                ),
                prevent_destroy=draw(st.booleans()),
                ignore_changes=tuple(draw(st.lists(st.sampled_from(IGNORABLE), unique=True))),
                import_id=next(imports, None) if draw(st.booleans()) else None,
                renamed_from=tuple(draw(st.lists(st.sampled_from(free), unique=True, max_size=1)))
                if free
                else (),
            )
        )
    return DesiredState("p", ENVIRONMENT, {ASSISTANTS.kind: tuple(assistants)}, DECLARED)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DesiredState, Endpoint, Mode, tuple[str, ...]]:
    files = draw(live_files())
    live = draw(live_assistants([f.id for f, _ in files] + ["dangling-file"]))
    desired = draw(desired_states([a.id for a in live] + ["gone"]))
    mode = draw(st.sampled_from(MODES))
    # A quarter of normal plans are --target plans: one or two names, declared or not.
    targeted = mode == "normal" and draw(st.integers(0, 3)) == 0
    names = st.lists(st.sampled_from(NAMES), unique=True, min_size=1, max_size=2)
    return desired, Endpoint(live, files), mode, tuple(draw(names)) if targeted else ()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_plan_breaks_an_invariant_and_every_apply_converges(
    scenario: tuple[DesiredState, Endpoint, Mode, tuple[str, ...]],
) -> None:
    """Targeted plans too: their applies converge for their targets (the same --target plans
    nothing more), and the invariants hold for everything they leave alone."""
    desired, endpoint, mode, targets = scenario
    note(f"{mode} {targets} {desired.of(ASSISTANTS)!r} {endpoint!r}")
    before = endpoint.read_live()
    contents = {i: content for i, (_, content) in endpoint.files.items()}
    plan = planned(endpoint, desired, mode, targets)
    event("refused" if plan is None else f"{len(plan.actionable) > 0} changes")
    event("targeted" if targets else "whole")
    if plan is None:
        return  # refused: nothing is done, which breaks nothing
    live = endpoint.verified(before, plan.unverified or [f.id for f in before.of(LIVE_FILES)])
    assert violations(plan, desired, live) == []
    outcomes = apply_plan(plan, endpoint, parallelism=1, progress=lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    _nothing_foreign_touched(before, endpoint, plan, contents)
    _nothing_referenced_or_protected_lost(before, endpoint)
    # A target the apply deleted (no longer declared) names nothing now: --target refuses it.
    owned = set(owned_copies(endpoint.read_live().of(LIVE_ASSISTANTS), OWNER))
    left = tuple(t for t in targets if t in owned or t in {a.name for a in desired.of(ASSISTANTS)})
    if targets and not left:
        return
    again = planned(endpoint, desired, mode, left)
    assert again is not None, "a plan that applied cleanly must plan again"
    assert [c.address for c in again.actionable] == []


def _nothing_foreign_touched(
    before: LiveState, endpoint: Endpoint, plan: Plan, contents: dict[str, bytes]
) -> None:
    imported = {c.id for c in plan.changes if c.importing}
    for assistant in before.of(LIVE_ASSISTANTS):
        marks = read_marks(assistant.metadata)
        if (marks is None or marks.owner != OWNER) and assistant.id not in imported:
            assert endpoint.assistants.get(assistant.id) == assistant, assistant.id
    # Ours to delete: an upload named by the scheme whose content is its name, or one that an
    # assistant of ours held under the current scheme (we attached it; README, "Files").
    held = {
        i
        for a in before.of(LIVE_ASSISTANTS)
        if (marks := read_marks(a.metadata)) is not None
        and marks.owner == OWNER
        and a.id not in imported
        for i in a.file_ids
    }
    for file in before.of(LIVE_FILES):
        if file.id not in endpoint.files:
            digest = sha(contents[file.id])[:12]
            proven = file.filename.endswith((f".sha256-{digest}.md", f".{digest}.md"))
            attached = file.id in held and ".sha256-" in file.filename
            assert proven or attached, file


def _nothing_referenced_or_protected_lost(before: LiveState, endpoint: Endpoint) -> None:
    for assistant in endpoint.assistants.values():
        for file_id in assistant.file_ids:
            existed = any(f.id == file_id for f in before.of(LIVE_FILES))
            assert not existed or file_id in endpoint.files, f"{file_id} deleted while in use"
    for assistant in before.of(LIVE_ASSISTANTS):
        marks = read_marks(assistant.metadata)
        if marks is not None and marks.protected:
            assert assistant.id in endpoint.assistants, f"protected {assistant.id} deleted"


def _two_copies() -> list[tuple[LiveFile, bytes]]:
    name = upload_name("docs/f0.md", sha(CONTENTS[0]))
    return [(LiveFile(f"lf-{i}", name, 4, i, "assistants"), CONTENTS[0]) for i in range(2)]


def test_two_uploads_with_one_name_the_attached_copy_stays_and_the_other_goes() -> None:
    """Found by the long run: the copy an assistant holds was taken for its twin."""
    ours = {OWNER_MARK: OWNER, NAME_MARK: "a"}
    held = LiveAssistant("la-0", 0, "a", None, "m", "Help.", (), ("lf-0",), ours)
    endpoint = Endpoint([held], _two_copies())
    declared = (DesiredAssistant("a", "m2", ignore_changes=("files",)),)
    desired = DesiredState("p", ENVIRONMENT, {ASSISTANTS.kind: declared}, DECLARED)
    plan = planned(endpoint, desired, "normal")
    assert plan is not None
    assert [(c.action, c.id) for c in plan.actionable] == [("update", "la-0"), ("delete", "lf-1")]
    apply_plan(plan, endpoint, parallelism=1, progress=lambda _: None)
    assert sorted(endpoint.files) == ["lf-0"]
    assert planned(endpoint, desired, "normal") == planned(endpoint, desired, "normal")


def test_a_second_copy_of_a_needed_upload_is_swept_in_the_same_plan() -> None:
    """Found by the property test: the copy nobody holds used to survive the first plan."""
    endpoint = Endpoint([], _two_copies())
    declared = (DesiredAssistant("a", "m", files=(sha(CONTENTS[0]),)),)
    desired = DesiredState("p", ENVIRONMENT, {ASSISTANTS.kind: declared}, DECLARED)
    plan = planned(endpoint, desired, "normal")
    assert plan is not None
    assert [(c.action, c.id) for c in plan.actionable] == [("create", None), ("delete", "lf-0")]
    apply_plan(plan, endpoint, parallelism=1, progress=lambda _: None)
    again = planned(endpoint, desired, "normal")
    assert again is not None
    assert again.actionable == []
