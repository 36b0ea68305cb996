"""Evidence for an environment with `requires_evidence_from`: for each agent its plan creates
or changes, the eval runs of the other environment (read from its endpoint, never from a state
file) that passed this definition's tests.

A test is matched across environments by its hash (config/agent_test.py), a definition by its
hash (core/promote.py), so an agent whose name differs per environment finds its evidence.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reconciler.api.dialects.registry import open_dialect
from reconciler.api.evals_client import EvalsClient
from reconciler.api.retry import RetryPolicy
from reconciler.config.project import known_environment, load_project
from reconciler.core.evidence import regression, runs
from reconciler.core.evidence.criteria import verdict
from reconciler.core.evidence.gate import Evidence
from reconciler.core.evidence.model import AgentTest, CriterionResult
from reconciler.core.plan_types import Plan
from reconciler.core.promote import definition_hash
from reconciler.engine.testing import agent_changes, declared_tests, evals_client
from reconciler.errors import ReconcilerError

WRITES = ("create", "update")


class EvidenceError(ReconcilerError):
    """Apply refused: an agent it would create or change has no passing evidence (exit 1)."""


def required_source(directory: Path, environment: str) -> str | None:
    """The environment whose evidence `environment` requires, if any."""
    project, _ = load_project(directory)
    if project is None or environment not in project.doc.environments:
        return None
    return project.doc.environments[environment].requires_evidence_from


def gather(
    directory: Path,
    made: Plan,
    source: str,
    process: Mapping[str, str],
    retry: RetryPolicy | None,
    actions: tuple[str, ...] = WRITES,
) -> list[Evidence]:
    """The evidence for each agent the plan creates or changes (`actions`; none: nothing is
    read)."""
    changed = {n: c for n, c in agent_changes(made).items() if c.action in actions}
    if not changed:
        return []
    tests = declared_tests(directory, made.environment, process)
    known = known_environment(directory, source, process)
    if known is None:
        raise EvidenceError(f"requires_evidence_from: environment {source!r} cannot be used")
    with open_dialect(directory, *known, process, retry, threading.Event()) as dialect:
        reader = Reader(evals_client(dialect), made.project, source)
        return [
            reader.evidence(
                name, definition_hash(change) or "", [t for t in tests if t.agent == name]
            )
            for name, change in sorted(changed.items())
        ]


class Reader:
    def __init__(self, client: EvalsClient, project: str, source: str) -> None:
        self.client, self.project, self.source = client, project, source
        self.evals = list(client.list_evals())
        self.runs: dict[str, list[dict[str, Any]]] = {}

    def evidence(self, agent: str, definition: str, tests: list[AgentTest]) -> Evidence:
        if not tests:
            return Evidence(agent, definition, "untested", "declare an AgentTest for it")
        found = [self.one(test, definition) for test in tests]
        failed = [detail for status, detail in found if status == "failed"]
        missing = [detail for status, detail in found if status == "missing"]
        if failed:
            return Evidence(agent, definition, "failed", "; ".join(failed))
        if missing:
            return Evidence(agent, definition, "missing", "; ".join(missing))
        return Evidence(agent, definition, "passed", ", ".join(d for _, d in found))

    def one(self, test: AgentTest, definition: str) -> tuple[str, str]:
        chosen = next((e for e in self.evals if runs.is_eval_of(e, self.project, test)), None)
        wanted = {
            f"{runs.PREFIX}environment": self.source,
            f"{runs.PREFIX}definition": definition,
            f"{runs.PREFIX}test": runs.test_key(test),
            f"{runs.PREFIX}role": "candidate",
        }
        run = None if chosen is None else runs.matching_run(self._runs(chosen["id"]), wanted)
        if chosen is None or run is None:
            return "missing", f"test {test.name!r} has no completed run of this definition"
        criteria = verdict(test, self.client.output_items(chosen["id"], run["id"]))
        failing = [c.name for c in criteria if not c.passed]
        if failing:
            return "failed", f"test {test.name!r} (run {run['id']}) failed {', '.join(failing)}"
        baseline = self._baseline(chosen["id"], test, wanted)
        if baseline is not None:
            drops = regression.compare(criteria, baseline[1], test.tolerance or 0.0)[1]
            if drops:
                found = regression.message(drops, test.tolerance or 0.0, baseline[0])
                return "failed", f"test {test.name!r} (run {run['id']}) {found}"
        return "passed", f"{test.name} (run {run['id']})"

    def _baseline(
        self, eval_id: str, test: AgentTest, wanted: dict[str, str]
    ) -> tuple[str, list[CriterionResult]] | None:
        """The version and results of the baseline run beside the candidate's, if any."""
        if test.tolerance is None:
            return None
        run = runs.matching_run(self._runs(eval_id), {**wanted, f"{runs.PREFIX}role": "baseline"})
        if run is None:
            return None  # the environment had no earlier version to compare with
        version = str((run.get("metadata") or {}).get(f"{runs.PREFIX}version"))
        return version, verdict(test, self.client.output_items(eval_id, run["id"]))

    def _runs(self, eval_id: str) -> list[dict[str, Any]]:
        if eval_id not in self.runs:
            self.runs[eval_id] = list(self.client.list_runs(eval_id))
        return self.runs[eval_id]
