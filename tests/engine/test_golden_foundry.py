"""Golden renderings of Foundry plans: tests/engine/golden/<case>/{plan.txt, plan.md} (and
diff.txt), made over the bundled emulator from a copy of examples/foundry.

Each case applies the example, changes it (or not) and plans: create, update (deepest paths,
tools by name, a unified diff of the prompt), replace (new knowledge: a new file and store, the
old ones destroyed), destroy, and `diff --against` between two environments. Text at the
default width (100) and at 60 columns (`plan-60.txt`: folds), Markdown as a PR comment shows it.
After a deliberate change, regenerate with RECONCILER_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.core.plan_types import Mode, Plan, ResourceChange
from reconciler.core.promote import compare
from reconciler.core.render import render_markdown, render_text
from reconciler.core.rendering.compare import render_comparison
from reconciler.engine.pipeline import read_side, session

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = Path(__file__).parents[2] / "examples" / "foundry"
UPDATE = os.environ.get("RECONCILER_UPDATE_GOLDEN") == "1"
ENV = "staging"


def plan(project: Path, mode: Mode = "normal", environment: str = ENV) -> Plan:
    with session(project, environment, {}) as connected:
        return connected.plan(mode, fingerprinted=False)


def apply(project: Path, environment: str = ENV) -> None:
    with session(project, environment, {}) as connected:
        made = connected.plan(fingerprinted=False)
        outcomes = connected.apply(made, 4, lambda _: None)
    assert all(o.status == "done" for o in outcomes)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def nothing(project: Path) -> None:
    """From an empty project: every object created."""


def update(project: Path) -> None:
    apply(project)
    agent = project / "agents/support.yaml"
    edit(agent, "order_number: {type: string", "order_number: {type: integer")
    edit(agent, "temperature: 0.2", "temperature: 0.3")
    edit(agent, "  - type: mcp\n", "  - type: web_search\n  - type: mcp\n")
    edit(agent, "allowed_tools: [get_order]", "allowed_tools: [get_order, list_orders]")
    edit(project / "prompts/support.md", "Look orders up with", "Find orders with")


def replace(project: Path) -> None:
    apply(project)
    edit(project / "docs/faq.md", "before 2 pm", "before 3 pm")


def destroy(project: Path) -> None:
    apply(project)


CASES: dict[str, tuple[Callable[[Path], None], Mode]] = {
    "foundry-create": (nothing, "normal"),
    "foundry-update": (update, "normal"),
    "foundry-replace": (replace, "normal"),
    "foundry-destroy": (destroy, "destroy"),
}


def steady(made: Plan) -> Plan:
    """The plan with the emulator's random ids (a deleted store's address carries its id) put
    as stable placeholders of the same length, so that folds fall where they always do; and the
    changes of one kind and action in order of address (deletes follow the ids' order)."""
    ids = sorted({c.id for c in made.changes if c.id and c.id != c.name and c.id in c.address})
    stable = {i: i[:3] + str(n).rjust(len(i) - 3, "0") for n, i in enumerate(ids)}

    def placed(change: ResourceChange) -> ResourceChange:
        if change.id not in stable:
            return change
        address = change.address.replace(change.id, stable[change.id])
        return dataclasses.replace(change, address=address, id=stable[change.id])

    groups = list(dict.fromkeys((c.kind, c.action) for c in made.changes))
    ordered = sorted(made.changes, key=lambda c: (groups.index((c.kind, c.action)), c.address))
    return made.model_copy(update={"changes": [placed(c) for c in ordered]})


def check(case: str, name: str, text: str) -> None:
    path = GOLDEN / case / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{case}/{name}"


def project_in(tmp_path: Path) -> Path:
    copied = tmp_path / "foundry"
    shutil.copytree(EXAMPLE, copied, ignore=shutil.ignore_patterns(".reconciler"))
    return copied


@pytest.mark.parametrize("case", sorted(CASES))
def test_foundry_plan_matches_its_golden_files(case: str, tmp_path: Path) -> None:
    project = project_in(tmp_path)
    prepare, mode = CASES[case]
    prepare(project)
    made = steady(plan(project, mode))
    check(case, "plan.txt", render_text(made))
    check(case, "plan-60.txt", render_text(made, width=60))
    check(case, "plan.md", render_markdown(made))
    assert all(len(line) <= 60 for line in render_text(made, width=60).splitlines())


def test_diff_against_matches_its_golden_file(tmp_path: Path) -> None:
    """staging applied after a change, prod not yet: prod's live agent differs from its manifest
    (the prompt as a unified diff, the tool by name), and the manifests differ per environment."""
    project = project_in(tmp_path)
    apply(project, "prod")
    update(project)  # applies staging as it was, then changes the manifests
    apply(project)
    left, right = read_side(project, "staging", {}, None), read_side(project, "prod", {}, None)
    check("diff-against", "diff.txt", render_comparison(left, right, compare(left, right)))
