"""Foundry through the CLI as the GitHub Action runs it: in the project, `plan .` saved, then
`apply` of the saved plan; and the version a plan names is the version apply makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from tests.support.clients import ENV

EXAMPLE = Path(__file__).parents[2] / "examples" / "foundry"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copied = tmp_path / "foundry"
    shutil.copytree(EXAMPLE, copied)
    return copied


@pytest.mark.parametrize("directory", [".", "", "../foundry", "absolute"])
def test_a_saved_plan_applies_however_plan_was_given_the_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory: str
) -> None:
    monkeypatch.chdir(project)  # the Action's working directory: the project
    given = [str(project)] if directory == "absolute" else [directory] if directory else []
    planned = run("plan", *given, "--env", "staging", "--out", "p.json")
    assert planned.exit_code == 0, planned.output
    applied = run("apply", "p.json")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in applied.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = run("plan", str(project), "--env", "staging", "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_a_saved_plan_made_in_the_project_applies_from_another_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert run("plan", ".", "--env", "prod", "--out", str(tmp_path / "p.json")).exit_code == 0
    monkeypatch.chdir(tmp_path)
    applied = run("apply", "p.json")
    assert applied.exit_code == 0, applied.output


def test_an_agent_deleted_and_declared_again_is_planned_and_made_as_version_1(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert run("apply", "--env", "staging", "--auto-approve").exit_code == 0
    prompt = project / "prompts" / "support.md"
    prompt.write_text(prompt.read_text(encoding="utf-8") + "\nBe brief.\n", encoding="utf-8")
    changed = run("apply", "--env", "staging", "--auto-approve")
    assert "new version (1 -> 2)" in changed.stdout, changed.output
    assert "agent.support-bot-staging: updated (support-bot-staging:2)" in changed.stdout
    manifest = project / "agents" / "support.yaml"
    kept = manifest.read_text(encoding="utf-8")
    manifest.unlink()
    gone = run("apply", "--env", "staging", "--auto-approve", "--allow-empty")
    assert "agent.support-bot-staging: destroyed" in gone.stdout, gone.output
    manifest.write_text(kept, encoding="utf-8")
    planned = run("plan", "--env", "staging")
    assert "declared, not on the endpoint: version 1" in planned.stdout, planned.output
    made = run("apply", "--env", "staging", "--auto-approve")
    assert "agent.support-bot-staging: created (support-bot-staging:1)" in made.stdout, made.output
