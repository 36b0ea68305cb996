"""`reconciler test` end to end on the emulator's deterministic model, and the evidence it
leaves gating prod: a passing and a failing dataset, a rerun that reuses its run, a regression
caught, a prod apply refused without evidence and accepted with it, a knowledge change that
needs new evidence, and the Markdown report (a golden file)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.support.agent_tests import (
    KNOWLEDGE,
    LOOKUP,
    ORDERS,
    apply,
    definitions,
    run,
    run_ids,
    write,
)

GOLDEN = Path(__file__).parent / "golden" / "agent_test_report.md"
EXAMPLES = Path(__file__).parents[2] / "examples"
TOOLS = """kind: AgentTest
name: tools
agent: bot-${env.name}
dataset: ../tests/orders.jsonl
criteria:
  - name: looks-up
    tool_call: {name: lookup_order, arguments: {order_number: "lookup_order 42"}}
    min_pass_rate: 0
regression: {tolerance: 0.1}
"""


def test_a_passing_dataset_exits_0_and_a_rerun_reuses_its_run(tmp_path: Path) -> None:
    root = write(tmp_path)
    apply(root, "staging")
    first = run("test", str(root), "--env", "staging")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert re.fullmatch(
        r"PASS bot-staging v1 \(definition sha256-[0-9a-f]{12}\): orders \(run evalrun_\w+\)",
        lines[0],
    )
    assert lines[1:] == [
        "    ok   echoes (contains): 2/2 rows (100%), needs pass rate >= 100%",
        "    ok   plain-reply (regex): 2/2 rows (100%), needs pass rate >= 100%",
        "    ok   polite (not_contains): 2/2 rows (100%), needs pass rate >= 100%",
        "    ok   relevance (evaluator): 2/2 rows (100%), mean score 1.00, needs pass rate >= 50%",
        "1 of 1 tests passed.",
    ]
    assert [line.rsplit(" ", 1)[1] for line in first.stderr.splitlines()] == [
        "queued",
        "in_progress",
        "completed",
    ]
    again = run("test", str(root), "--env", "staging")
    assert again.exit_code == 0, again.output
    assert run_ids(again.stdout) == run_ids(first.stdout)
    assert "reusing completed run" in again.stderr
    assert ", reused)" in again.stdout


def test_a_failing_dataset_exits_2_naming_the_criterion(tmp_path: Path) -> None:
    failing = ORDERS.replace('contains: "{{item.query}}"', "contains: refund")
    root = write(tmp_path, tests=failing)
    apply(root, "staging")
    result = run("test", str(root), "--env", "staging", "--format", "json")
    assert result.exit_code == 2, result.output
    assert '"passed": false' in result.stdout
    text = run("test", str(root), "--env", "staging")
    assert text.exit_code == 2
    assert "    FAIL echoes (contains): 0/2 rows (0%), needs pass rate >= 100%" in text.stdout
    assert text.stdout.endswith("0 of 1 tests passed.\n")


def test_a_regression_against_the_version_before_is_caught(tmp_path: Path) -> None:
    rows = '{"query": "lookup_order 42"}\n'
    root = write(tmp_path, tests=TOOLS, rows=rows)
    apply(root, "staging")
    first = run("test", str(root), "--env", "staging")
    assert first.exit_code == 0, first.output
    assert "no earlier version to compare" in first.stderr
    write(tmp_path, tests=TOOLS, rows=rows, tools="  - {type: code_interpreter}\n")
    apply(root, "staging")
    second = run("test", str(root), "--env", "staging")
    assert second.exit_code == 2, second.output
    assert "compared with v1" in second.stdout
    assert (
        "    ok   looks-up (tool_call): 0/1 rows (0%), needs pass rate >= 0%; "
        "before: 1/1 rows (100%)" in second.stdout
    )
    assert "    regression: dropped more than 10% against v1: looks-up 100% -> 0%" in second.stdout
    markdown = run("test", str(root), "--env", "staging", "--format", "markdown")
    assert markdown.exit_code == 2  # reused, still caught
    shown = re.sub(r"evalrun_\w+", "evalrun_ID", markdown.stdout)
    assert shown == (GOLDEN.parent / "agent_test_regression.md").read_text(encoding="utf-8")
    gated = run("apply", str(root), "--env", "prod", "--auto-approve")
    assert gated.exit_code == 1
    assert "FAILED its tests in staging" in gated.stdout


def test_prod_apply_is_refused_without_evidence_and_accepted_with_it(tmp_path: Path) -> None:
    root = write(tmp_path)
    apply(root, "staging")
    plan = run("plan", str(root), "--env", "prod")
    assert plan.exit_code == 0, plan.output
    assert "Evidence (prod requires it from staging):" in plan.stdout
    assert "agent.bot-prod (definition sha256-" in plan.stdout
    assert "no evidence from staging: test 'orders' has no completed run" in plan.stdout
    refused = run("apply", str(root), "--env", "prod", "--auto-approve")
    assert refused.exit_code == 1
    assert "apply to prod refused: agent.bot-prod (no evidence from staging)" in refused.stderr
    assert f"`reconciler test {root} --env staging`" in refused.stderr
    assert "+ agent.bot-prod" in run("plan", str(root), "--env", "prod").stdout  # not created
    saved = root / "prod.plan.json"
    assert run("plan", str(root), "--env", "prod", "--out", str(saved)).exit_code == 0
    held = run("apply", str(saved))  # a saved plan is held to it too
    assert (held.exit_code, "apply to prod refused" in held.stderr) == (1, True)
    tested = run("test", str(root), "--env", "staging")
    assert tested.exit_code == 0, tested.output
    accepted = run("apply", str(root), "--env", "prod", "--auto-approve")
    assert accepted.exit_code == 0, accepted.output
    assert "passed its tests in staging: orders (run evalrun_" in accepted.stdout
    assert definitions(accepted.stdout) == definitions(tested.stdout)
    diff = run("diff", str(root), "--env", "staging", "--against", "prod")
    assert diff.exit_code == 0, diff.output
    hashes = definitions(tested.stdout)[0]
    assert diff.stdout.splitlines()[-3:] == [
        "Evidence from staging:",
        f"  staging: agent.bot-staging (definition sha256-{hashes}): passed its tests in staging: "
        f"orders (run {run_ids(tested.stdout)[0]})",
        f"  prod: agent.bot-prod (definition sha256-{hashes}): passed its tests in staging: "
        f"orders (run {run_ids(tested.stdout)[0]})",
    ]


def test_a_knowledge_change_needs_new_evidence(tmp_path: Path) -> None:
    root = write(tmp_path, tools=LOOKUP + KNOWLEDGE)
    apply(root, "staging")
    assert run("test", str(root), "--env", "staging").exit_code == 0
    before = run("plan", str(root), "--env", "prod")
    assert "passed its tests in staging" in before.stdout
    write(tmp_path, tools=LOOKUP + KNOWLEDGE, faq="Returns take 60 days.\n")
    after = run("plan", str(root), "--env", "prod")
    assert "no evidence from staging" in after.stdout
    assert definitions(after.stdout) != definitions(before.stdout)


def test_the_markdown_report_matches_its_golden_file(tmp_path: Path) -> None:
    root = write(tmp_path)
    apply(root, "staging")
    out = tmp_path / "report.md"
    result = run("test", str(root), "--env", "staging", "--markdown-out", str(out))
    assert result.exit_code == 0, result.output
    shown = re.sub(r"evalrun_\w+", "evalrun_ID", out.read_text(encoding="utf-8"))
    assert shown == GOLDEN.read_text(encoding="utf-8")


def test_test_refuses_an_agent_that_is_not_live_as_declared(tmp_path: Path) -> None:
    root = write(tmp_path)
    apply(root, "staging")
    write(tmp_path, instructions="Help with returns.")
    result = run("test", str(root), "--env", "staging")
    assert result.exit_code == 1
    assert "is not live as its manifest declares it (plan: update): apply first" in result.stderr


def test_test_declarations_are_validated_with_locations(tmp_path: Path) -> None:
    broken = ORDERS.replace('regex: "^Emulated reply to 1 user message"', 'regex: "(unclosed"')
    root = write(tmp_path, tests=broken, rows='{"query": "fine"}\n{"query": \n')
    result = run("validate", str(root))
    assert result.exit_code == 1
    manifest, dataset = root / "agents" / "bot.yaml", root / "tests" / "orders.jsonl"
    assert f"{dataset}:2:11: Expecting value" in result.stderr
    assert re.search(
        rf"{re.escape(str(manifest))}:\d+:\d+: not a regular expression", result.stderr
    )


def test_the_foundry_example_passes_its_tests_in_staging(tmp_path: Path) -> None:
    root = tmp_path / "foundry"
    shutil.copytree(EXAMPLES / "foundry", root, ignore=shutil.ignore_patterns(".reconciler"))
    apply(root, "staging")
    result = run("test", str(root), "--env", "staging")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("1 of 1 tests passed.\n")
