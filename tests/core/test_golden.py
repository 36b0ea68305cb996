"""Golden plans: tests/core/golden/<case>/{project/, live.json} -> plan.json, plan.txt, plan.md.

Each case is a project and a recorded live state; the planner's output and its three
renderings must match the committed files exactly. After a deliberate change, regenerate with
RECONCILER_UPDATE_GOLDEN=1 and review the diff like any other change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reconciler.config.desired import load_desired
from reconciler.core.kinds import assistant, file
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LiveFile
from reconciler.core.plan import build_plan
from reconciler.core.plan_types import Plan
from reconciler.core.render import render_json, render_markdown, render_text
from reconciler.core.state import LiveState

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
UPDATE = os.environ.get("RECONCILER_UPDATE_GOLDEN") == "1"


def live_state(data: dict[str, Any]) -> LiveState:
    assistants = [
        LiveAssistant(**{**a, "tools": tuple(a["tools"]), "file_ids": tuple(a["file_ids"])})
        for a in data["assistants"]
    ]
    files = tuple(LiveFile(**f) for f in data["files"])
    objects = {assistant.LIVE.kind: tuple(assistants), file.LIVE.kind: files}
    return LiveState(objects, content=data.get("content", {}))


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_plan_matches_its_golden_files(case: Path) -> None:
    recorded = json.loads((case / "live.json").read_text(encoding="utf-8"))
    desired = load_desired(case / "project", "dev", {}, allow_empty=True)
    plan = build_plan(desired, live_state(recorded), recorded["mode"])
    rendered = {
        "plan.json": render_json(plan) + "\n",
        "plan.txt": render_text(plan),
        "plan.md": render_markdown(plan),
    }
    for name, text in rendered.items():
        if UPDATE:
            (case / name).write_text(text, encoding="utf-8")
        assert (case / name).read_text(encoding="utf-8") == text, f"{case.name}/{name}"
    assert Plan.model_validate_json(rendered["plan.json"]) == plan


def test_text_is_coloured_only_when_asked() -> None:
    case = GOLDEN / "create-from-empty"
    recorded = json.loads((case / "live.json").read_text(encoding="utf-8"))
    plan = build_plan(load_desired(case / "project", "dev", {}), live_state(recorded))
    coloured = render_text(plan, colour=True)
    assert "\033[32m  + assistant.support-bot\033[0m" in coloured
    assert "\033[" not in render_text(plan)
    assert coloured.replace("\033[32m", "").replace("\033[0m", "") == render_text(plan)
