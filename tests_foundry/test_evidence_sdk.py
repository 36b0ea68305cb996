"""The evidence `reconciler test` leaves on a Foundry project, read back through openai 3.x's
evals client as `AIProjectClient.get_openai_client()` returns it: an eval per test, a run per
agent version tagged with the definition hash, and its output items."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator.server import BackgroundServer
from tests_foundry.reconcile import new_project

TEST = """\
kind: AgentTest
name: greets
agent: helper-${env.name}
dataset: ../tests/greets.jsonl
criteria:
  - {name: echoes, contains: "{{item.query}}"}
  - {name: relevance, evaluator: relevance, min_pass_rate: 0.5}
"""


def test_the_eval_runs_of_reconciler_test_read_back_with_openai(
    server: BackgroundServer, ca_file: Path, openai: Any, tmp_path: Path
) -> None:
    shop = new_project(tmp_path / "shop", server, ca_file)
    shop.write("agents/helper_test.yaml", TEST)
    shop.write("tests/greets.jsonl", '{"query": "Where are the shoes?"}\n{"query": "Hello"}\n')
    shop.apply("staging")
    env = {**shop.process, "RECONCILER_EVAL_POLL_SECONDS": "0"}
    tested = CliRunner(env=env).invoke(
        main, ["test", str(shop.root), "--env", "staging", "--target", "helper-staging"]
    )
    assert tested.exit_code == 0, tested.output
    definition = re.findall(r"definition sha256-([0-9a-f]{12})", tested.stdout)[0]

    (found,) = [e for e in openai.evals.list() if e.metadata.get("reconciler.project") == "shop"]
    assert found.metadata["reconciler.test"].startswith("greets:")
    assert [c.type for c in found.testing_criteria] == ["string_check", "azure_ai_evaluator"]
    (run,) = list(openai.evals.runs.list(eval_id=found.id))
    assert run.status == "completed"
    assert run.metadata == {
        "reconciler.project": "shop",
        "reconciler.environment": "staging",
        "reconciler.agent": "helper-staging",
        "reconciler.version": "1",
        "reconciler.definition": definition,
        "reconciler.test": found.metadata["reconciler.test"],
        "reconciler.role": "candidate",
    }
    assert (run.result_counts.total, run.result_counts.passed) == (2, 2)
    assert run.data_source.type == "azure_ai_target_completions"
    items = list(openai.evals.runs.output_items.list(run_id=run.id, eval_id=found.id))
    assert [item.datasource_item["query"] for item in items] == ["Where are the shoes?", "Hello"]
    assert all(item.status == "pass" for item in items)
