"""Regression: a test's candidate compared with the version its environment ran before, on the
same dataset (the same eval), when the test declares a tolerance. The baseline's run is tagged
with the candidate's definition hash and `role: baseline`, so plan and apply find it beside the
candidate's (engine/evidence.py) and a rerun reuses it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from reconciler.api.evals_client import EvalsClient
from reconciler.core.evidence import regression, runs
from reconciler.core.evidence.criteria import verdict
from reconciler.core.evidence.model import AgentTest, TestResult


class Runner(Protocol):
    """What a baseline needs of the test runner (engine/testing.py): its client and where it
    runs, and a run for the given metadata, reused or waited for."""

    client: EvalsClient
    project: str
    environment: str

    def outcome(
        self,
        eval_id: str,
        test: AgentTest,
        version: str,
        metadata: dict[str, str],
        progress: Callable[[str], None],
    ) -> tuple[dict[str, Any], bool]: ...


def with_baseline(
    runner: Runner,
    test: AgentTest,
    eval_id: str,
    result: TestResult,
    progress: Callable[[str], None],
) -> TestResult:
    """The result compared with its baseline (unchanged when there is no earlier version)."""
    if test.tolerance is None or result.error:
        return result
    earlier = regression.previous_version(runner.client.list_versions(test.agent), result.version)
    if earlier is None:
        progress(f"{test.agent} v{result.version}: {test.name}: no earlier version to compare")
        return result
    metadata = runs.run_metadata(
        runner.project, runner.environment, test, earlier, result.definition, "baseline"
    )
    run, _ = runner.outcome(eval_id, test, earlier, metadata, progress)
    if run.get("status") != "completed":
        failed = f"the baseline's run {run['id']} (v{earlier}) {run.get('status')}"
        return dataclasses.replace(result, error=failed)
    baseline = verdict(test, runner.client.output_items(eval_id, str(run["id"])))
    criteria, drops = regression.compare(result.criteria, baseline, test.tolerance)
    found = regression.message(drops, test.tolerance, earlier)
    return dataclasses.replace(result, criteria=criteria, regression=found, baseline=earlier)
