"""The README's workflow example, as written: plan -> apply -> plan on examples/foundry-workflow
(the bundled emulator), then a change to the agent the workflow pins."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from reconciler.cli import main
from tests.support.output import unwrapped
from tests.support.projects import copy_tree

ROOT = Path(__file__).parents[2]
COMMAND = (
    ".venv/bin/reconciler plan examples/foundry-workflow --env staging && "
    ".venv/bin/reconciler apply examples/foundry-workflow --env staging --auto-approve && "
    ".venv/bin/reconciler plan examples/foundry-workflow --env staging"
)


def run(*args: str) -> str:
    result = CliRunner(env={"NO_COLOR": "1"}).invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_workflow_example_runs_as_the_readme_says(tmp_path: Path) -> None:
    assert COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")
    copy_tree(ROOT / "examples/foundry-workflow", tmp_path / "flow")
    example = str(tmp_path / "flow")
    planned = run("plan", example, "--env", "staging")
    assert planned.rstrip().endswith("Plan: 4 to add, 0 to change, 0 to destroy.")
    assert '      invokes: ["refunds-staging@1", "triage-staging"]' in planned
    applied = run("apply", example, "--env", "staging", "--auto-approve")
    assert "[4/4] workflow_agent.support-flow-staging: created (support-flow-staging:1)" in applied
    assert "hosted_agent.order-runner-staging: created (order-runner-staging:1)" in applied
    assert run("plan", example, "--env", "staging") == (
        "No changes. The live objects match the manifests.\n"
    )
    (tmp_path / "flow/prompts/refunds.md").write_text("Refunds: be kind.\n", encoding="utf-8")
    assert (
        "Note: agent.refunds-staging gets version 2, but workflow_agent.support-flow-staging "
        "invokes it pinned to version 1"
    ) in unwrapped(run("plan", example, "--env", "staging"))
