"""`reconciler test` on an Assistants v1 environment: each row through a thread and a run of
the emulator's assistant, graded here (v1 has no evals API): answer checks, a regex, a tool
call with its arguments; builtin evaluators are refused, naming the criterion."""

from __future__ import annotations

from pathlib import Path

from tests.support.agent_tests import run

PROJECT = "project: shop\nmanifests: [assistants/]\nenvironments:\n  dev: {endpoint: local}\n"
ASSISTANT = """kind: Assistant
name: bot
model: gpt-4
instructions: Help.
tools:
  - type: function
    function:
      name: lookup_order
      parameters: {type: object, properties: {order_number: {type: string}}, required: [order_number]}
---
kind: AgentTest
name: orders
agent: bot
dataset: ../tests/orders.jsonl
criteria:
"""
CHECKS = """  - {name: echoes, contains: "{{item.query}}"}
  - {name: looks-up, tool_call: {name: lookup_order, arguments: {order_number: lookup_order 42}}}
  - {name: replies, regex: "^Emulated"}
"""


def project(root: Path, criteria: str) -> Path:
    for folder in ("assistants", "tests"):
        (root / folder).mkdir(exist_ok=True)
    (root / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    (root / "assistants" / "bot.yaml").write_text(ASSISTANT + criteria, encoding="utf-8")
    (root / "tests" / "orders.jsonl").write_text('{"query": "lookup_order 42"}\n', encoding="utf-8")
    assert run("apply", str(root), "--auto-approve").exit_code == 0
    return root


def test_an_assistant_is_tested_through_threads_and_runs(tmp_path: Path) -> None:
    root = project(tmp_path, CHECKS)
    result = run("test", str(root))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("PASS bot (definition sha256-")
    assert first.endswith("): orders (threads and runs, graded here)")
    assert (
        "    ok   looks-up (tool_call): 1/1 rows (100%), needs pass rate >= 100%" in result.stdout
    )
    assert result.stderr == "bot: orders: row 1/1\n"


def test_a_failing_check_exits_2_and_an_evaluator_is_refused(tmp_path: Path) -> None:
    failing = CHECKS.replace(
        "arguments: {order_number: lookup_order 42}", "arguments: {order_number: A1}"
    )
    root = project(tmp_path, failing)
    result = run("test", str(root))
    assert result.exit_code == 2, result.output
    assert "    FAIL looks-up (tool_call): 0/1 rows (0%), needs pass rate >= 100%" in result.stdout
    project(tmp_path, CHECKS + "  - {name: relevance, evaluator: relevance}\n")
    refused = run("test", str(root))
    assert refused.exit_code == 1
    assert "relevance need the Foundry evals API" in refused.stderr
