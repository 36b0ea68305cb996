"""lifecycle.retention of a kind: Agent manifest: how many versions of ours the agent keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.desired import load_desired, validate
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import RETENTION_DEFAULT

PROJECT = (
    "project: demo\nmanifests: [agents/]\nenvironments:\n  dev: {api: foundry, endpoint: local}\n"
)


def project(tmp_path: Path, lifecycle: str) -> Path:
    (tmp_path / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "agents").mkdir()
    manifest = f"kind: Agent\nname: bot\nmodel: m\n{lifecycle}"
    (tmp_path / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("lifecycle", "kept"), [("", RETENTION_DEFAULT), ("lifecycle: {retention: 3}\n", 3)]
)
def test_retention_is_read_with_its_default(tmp_path: Path, lifecycle: str, kept: int) -> None:
    (bot,) = load_desired(project(tmp_path, lifecycle), "dev", {}).of(AGENTS)
    assert bot.retention == kept


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_retention_below_one_or_not_a_whole_number_is_refused_at_its_place(
    tmp_path: Path, value: str
) -> None:
    problems = validate(project(tmp_path, f"lifecycle:\n  retention: {value}\n"), None, {})
    assert [str(p).split(": ", 1)[0] for p in problems] == [f"{tmp_path}/agents/bot.yaml:5:14"]
    assert "retention" in str(problems[0])
