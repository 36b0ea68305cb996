"""A Foundry project on the local emulator with agent tests: staging, and prod that requires
staging's evidence (tests/cli/test_agent_tests.py)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from reconciler.cli import main

ENV = {
    "NO_COLOR": "1",
    "RECONCILER_RETRY_BASE_SECONDS": "0.001",
    "RECONCILER_EVAL_POLL_SECONDS": "0",
}
PROJECT = """project: shop
manifests: [agents/]
environments:
  staging: {api: foundry, endpoint: local}
  prod: {api: foundry, endpoint: local, requires_evidence_from: staging}
"""
LOOKUP = """  - type: function
    name: lookup_order
    parameters: {type: object, properties: {order_number: {type: string}}, required: [order_number]}
"""
KNOWLEDGE = """  - type: file_search
    files: [../docs/faq.md]
"""
ORDERS = """kind: AgentTest
name: orders
agent: bot-${env.name}
dataset: ../tests/orders.jsonl
criteria:
  - name: echoes
    contains: "{{item.query}}"
  - name: plain-reply
    regex: "^Emulated reply to 1 user message"
  - name: polite
    not_contains: "stupid"
  - name: relevance
    evaluator: relevance
    min_pass_rate: 0.5
"""
ROWS = '{"query": "Where is my parcel?"}\n{"query": "How do returns work?"}\n'


def write(
    root: Path,
    instructions: str = "Help with orders.",
    tools: str = LOOKUP,
    tests: str = ORDERS,
    rows: str = ROWS,
    faq: str = "Returns take 30 days.\n",
) -> Path:
    for folder in ("agents", "tests", "docs"):
        (root / folder).mkdir(exist_ok=True)
    (root / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    agent = f"kind: Agent\nname: bot-${{env.name}}\nmodel: gpt-4o\ninstructions: {instructions}\n"
    agent += f"tools:\n{tools}" if tools else ""
    (root / "agents" / "bot.yaml").write_text(f"{agent}---\n{tests}", encoding="utf-8")
    (root / "tests" / "orders.jsonl").write_text(rows, encoding="utf-8")
    (root / "docs" / "faq.md").write_text(faq, encoding="utf-8")
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def apply(root: Path, env: str) -> Result:
    result = run("apply", str(root), "--env", env, "--auto-approve")
    assert result.exit_code == 0, result.output
    return result


def run_ids(text: str) -> list[str]:
    return re.findall(r"evalrun_[A-Za-z0-9]+", text)


def definitions(text: str) -> list[str]:
    return re.findall(r"definition sha256-([0-9a-f]{12})", text)
