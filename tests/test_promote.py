"""Drift checks for schedules, and comparing the live state of two environments."""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.core.model import LiveAssistant, LiveState
from reconciler.core.promote import Side, compare
from tests.test_reconcile import ENV, assistants


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def test_drift_exits_0_when_live_matches_and_2_with_markdown_when_it_drifted(
    quick: Path, api: httpx.Client
) -> None:
    run("apply", str(quick), "--auto-approve")
    clean = run("drift", str(quick))
    assert (clean.exit_code, clean.stdout) == (
        0,
        "### reconciler plan for `quickstart/local`\n\nNo changes. The live objects match the manifests.\n",
    )
    bot = assistants(api)[0]
    api.post(f"/assistants/{bot['id']}", json={"model": "gpt-35"})
    drifted = run("drift", str(quick))
    assert drifted.exit_code == 2
    assert "| update | `assistant.support-bot` | differs from its manifest |" in drifted.stdout
    assert '- model: "gpt-35"\n+ model: "gpt-4"' in drifted.stdout


def test_two_environments_with_different_variables_compare_equal(multi: Path) -> None:
    for env in ("dev", "staging"):
        run("apply", str(multi), "--env", env, "--auto-approve")
    result = run("diff", str(multi), "--env", "dev", "--against", "staging", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Comparing support-assistants/dev with support-assistants/staging (per-environment values as ${var.NAME}):",
        "",
        "  = assistant.billing-bot",
        "  = assistant.support-bot",
        "",
        "2 same, 0 differ, 0 only in dev, 0 only in staging.",
    ]


def test_real_differences_between_environments_are_shown(multi: Path, api: httpx.Client) -> None:
    for env in ("dev", "staging"):
        run("apply", str(multi), "--env", env, "--auto-approve")
    staging = {
        a["metadata"]["reconciler.name"]: a
        for a in assistants(api)
        if a["metadata"]["reconciler.owner"].endswith("/staging")
    }
    api.post(
        f"/assistants/{staging['billing-bot']['id']}", json={"instructions": "Promoted by hand."}
    )
    api.delete(f"/assistants/{staging['support-bot']['id']}")
    result = run("diff", str(multi), "--env", "dev", "--against", "staging", "--detailed-exitcode")
    assert result.exit_code == 2
    assert "  ~ assistant.billing-bot" in result.stdout
    assert "      ~ instructions: 'You explain invoices and prices." in result.stdout
    assert "-> 'Promoted by hand.'" in result.stdout
    assert "  < assistant.support-bot only in dev" in result.stdout
    assert result.stdout.rstrip().endswith("0 same, 1 differ, 1 only in dev, 0 only in staging.")


def test_only_whole_values_become_placeholders() -> None:
    def side(env: str, model: str, text: str) -> Side:
        marks = {"reconciler.owner": f"p/{env}", "reconciler.name": "bot"}
        bot = LiveAssistant("asst_" + env, 1, f"Bot ({env})", None, model, text, (), (), marks)
        return Side(f"p/{env}", env, {"model": model, "tier": env}, LiveState((bot,), ()))

    same = compare(
        side("dev", "gpt-dev", "For developers, tier dev."),
        side("prod", "gpt-4", "For developers, tier prod."),
    )
    assert [d.status for d in same] == ["same"]
    differ = compare(
        side("dev", "gpt-dev", "For developers."), side("prod", "gpt-4", "For prodigies.")
    )
    assert [c.path for c in differ[0].changes] == ["instructions"]
