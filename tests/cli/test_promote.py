"""Drift checks for schedules, and comparing the live state of two environments."""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from reconciler.cli import main
from tests.support.clients import ENV, assistants


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def test_drift_exits_0_when_live_matches_and_2_with_markdown_when_it_drifted(
    quick: Path, api: httpx.Client
) -> None:
    run("apply", str(quick), "--auto-approve")
    clean = run("drift", str(quick))
    assert (clean.exit_code, clean.stdout) == (
        0,
        "### reconciler drift for `quickstart/local`\n\nNo changes. The live objects match the manifests.\n",
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
    per_environment = [
        "      manifests (dev -> staging):",
        '        ~ metadata.tier: "dev" -> "staging"',
        '        ~ model: "gpt-35-turbo-dev" -> "gpt-4-staging"',
    ]
    assert result.stdout.splitlines() == [
        "Comparing support-assistants/dev with support-assistants/staging, each against its own manifests:",
        "",
        "  = assistant.billing-bot",
        *per_environment,
        '        ~ name: "Billing Bot (dev)" -> "Billing Bot (staging)"',
        "  = assistant.support-bot",
        *per_environment,
        '        ~ name: "Support Bot (dev)" -> "Support Bot (staging)"',
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
    assert "  ~ assistant.billing-bot\n" in result.stdout
    # As plan shows it: too long for one line, live and manifest one under the other, folded.
    assert (
        "      staging (live -> manifest):\n"
        "        ~ instructions:\n"
        '            - "Promoted by hand."\n'
        '            + "You explain invoices and prices. Use the attached price list; quote prices exactly \\\n'
        '              as listed.\\n"\n' in result.stdout
    )
    assert "  < assistant.support-bot only in dev\n" in result.stdout
    assert "      staging: in the manifests, not on the endpoint\n" in result.stdout
    assert result.stdout.rstrip().endswith("0 same, 1 differ, 1 only in dev, 0 only in staging.")


STEPS = """project: demo
manifests: [bot.yaml]
environments:
  dev: {endpoint: local, vars: {replicas: 1}}
  prod: {endpoint: local, vars: {replicas: 3}}
"""


def test_a_value_that_looks_like_a_variable_is_not_rewritten(tmp_path: Path) -> None:
    """With replicas: 1 in dev, "Step 1" once became "Step ${var.replicas}" in dev only: a
    difference that did not exist. Each side is compared with its own resolved manifest."""
    (tmp_path / "reconciler.yaml").write_text(STEPS, encoding="utf-8")
    (tmp_path / "bot.yaml").write_text(
        "kind: Assistant\nname: bot\nmodel: gpt-4\ninstructions: 'Step 1: greet.'\n"
        "metadata: {replicas: '${var.replicas}'}\n",
        encoding="utf-8",
    )
    for env in ("dev", "prod"):
        assert run("apply", str(tmp_path), "--env", env, "--auto-approve").exit_code == 0
    result = run("diff", str(tmp_path), "--env", "dev", "--against", "prod", "--detailed-exitcode")
    assert (result.exit_code, result.stdout.splitlines()[2:]) == (
        0,
        [
            "  = assistant.bot",
            "      manifests (dev -> prod):",
            '        ~ metadata.replicas: "1" -> "3"',
            "",
            "1 same, 0 differ, 0 only in dev, 0 only in prod.",
        ],
    )
