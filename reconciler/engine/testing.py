"""`reconciler test`: each agent's tests run against its live version through the project's
evals API, or a completed run of the same definition and test reused.

The live version must be what the manifest declares (a plan with no change for it): the
evidence a run leaves names the definition hash of the manifest, so testing anything else
would vouch for the wrong definition.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.api.client import AssistantsClient
from reconciler.api.evals_client import EvalsClient
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.retry import RetryPolicy
from reconciler.api.threads_client import ThreadsClient
from reconciler.config.agent_test import load_tests
from reconciler.config.project import load_project
from reconciler.core.evidence import runs
from reconciler.core.evidence.criteria import verdict
from reconciler.core.evidence.model import AgentTest, TestResult
from reconciler.core.kinds.agent_space import MEMBERS
from reconciler.core.kinds.registry import all_kinds
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.promote import definition_hash
from reconciler.engine.pipeline import session
from reconciler.engine.regression import with_baseline
from reconciler.engine.testing_v1 import ThreadRunner
from reconciler.errors import ProjectError, ReconcilerError, UsageError

POLL_ENV, TIMEOUT_ENV = "RECONCILER_EVAL_POLL_SECONDS", "RECONCILER_EVAL_TIMEOUT_SECONDS"


class TestRunError(ReconcilerError):
    """A run could not be made or did not finish: no verdict (exit 1)."""


@dataclass(frozen=True)
class Waiting:
    poll: float = 5.0
    timeout: float = 1800.0
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def of(cls, process: Mapping[str, str]) -> Waiting:
        return cls(_seconds(process, POLL_ENV, 5.0), _seconds(process, TIMEOUT_ENV, 1800.0))


def _seconds(process: Mapping[str, str], name: str, default: float) -> float:
    raw = process.get(name)
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from None


def declared_tests(
    directory: Path, environment: str, process: Mapping[str, str]
) -> list[AgentTest]:
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(problems)
    tests, problems = load_tests(project, environment, process)
    if any(p.severity == "error" for p in problems):
        raise ProjectError(problems)
    return tests


def agent_changes(made: Plan, versioned: bool = True) -> dict[str, ResourceChange]:
    """The agents the manifests declare (of every agent kind: core/kinds/agent_space.py), by
    name; with `versioned=False`, every object a manifest declares (v1 assistants, by logical
    name). Toolboxes are versioned too, but no test targets one."""
    kinds, agents = all_kinds(), set(MEMBERS.values())
    return {
        c.name: c
        for c in made.changes
        if (c.kind in agents if versioned else kinds[c.kind].manifest_kind)
        and c.duplicate_of is None
    }


def evals_client(dialect: object) -> EvalsClient:
    client = getattr(dialect, "client", None)
    if not isinstance(client, FoundryClient):
        raise UsageError(
            "reconciler test runs agent tests through a Foundry project's evals API: choose an "
            "environment with api: foundry (Assistants v1 keeps no eval runs to read)."
        )
    return EvalsClient.of(client)


def run_tests(
    directory: Path,
    environment: str | None,
    process: Mapping[str, str],
    retry: RetryPolicy | None,
    targets: tuple[str, ...],
    progress: Callable[[str], None],
) -> list[TestResult]:
    with session(directory, environment, process, True, retry) as connected:
        name = connected.desired.environment.name
        tests = declared_tests(directory, name, process)
        made = connected.plan("normal", (), True, fingerprinted=False)
        client, waiting = getattr(connected.dialect, "client", None), Waiting.of(process)
        if isinstance(client, AssistantsClient):  # v1: threads and runs, graded here
            threads = ThreadsClient.of(client)
            runner: Runner | ThreadRunner = ThreadRunner(threads, waiting.poll, waiting.timeout)
            agents = agent_changes(made, versioned=False)
        else:
            runner = Runner(evals_client(connected.dialect), made.project, name, waiting)
            agents = agent_changes(made)
        chosen = _chosen(tests, agents, targets)
        return [runner.run(test, agents[test.agent], progress) for test in chosen]


def _chosen(
    tests: list[AgentTest], agents: dict[str, ResourceChange], targets: tuple[str, ...]
) -> list[AgentTest]:
    unknown = sorted({t for t in targets if t not in agents})
    if unknown:
        raise UsageError(f"--target {', '.join(unknown)}: no agent of that name in the manifests")
    chosen = [t for t in tests if not targets or t.agent in targets]
    for test in chosen:
        change = agents.get(test.agent)
        where = f"{test.location}: test {test.name!r}"
        if change is None:
            raise UsageError(f"{where} names agent {test.agent!r}, which no manifest declares")
        if change.action != "no-op":
            raise UsageError(
                f"{where}: agent {test.agent!r} is not live as its manifest declares it "
                f"(plan: {change.action}): apply first, then test the version apply made"
            )
    return chosen


@dataclass
class Runner:
    client: EvalsClient
    project: str
    environment: str
    waiting: Waiting

    def run(
        self, test: AgentTest, change: ResourceChange, progress: Callable[[str], None]
    ) -> TestResult:
        definition = definition_hash(change) or ""
        version = str(change.version or "")
        model = str(((change.after or {}).get("definition") or {}).get("model") or "")
        found = self.eval_for(test, model)
        metadata = runs.run_metadata(
            self.project, self.environment, test, version, definition, "candidate"
        )
        run, reused = self.outcome(found["id"], test, version, metadata, progress)
        items = self.client.output_items(found["id"], run["id"])
        result = TestResult(
            test.name,
            test.agent,
            version,
            definition,
            str(run["id"]),
            str(found["id"]),
            reused,
            tuple(verdict(test, items)),
            _failure(run),
            report_url=str(run.get("report_url") or ""),
        )
        return with_baseline(self, test, str(found["id"]), result, progress)

    def eval_for(self, test: AgentTest, model: str) -> dict[str, Any]:
        for found in self.client.list_evals():
            if runs.is_eval_of(found, self.project, test):
                return found
        return self.client.create_eval(runs.eval_body(self.project, test, model))

    def outcome(
        self,
        eval_id: str,
        test: AgentTest,
        version: str,
        metadata: dict[str, str],
        progress: Callable[[str], None],
    ) -> tuple[dict[str, Any], bool]:
        """A completed run with this metadata (reused), or a new one waited for."""
        done = runs.matching_run(list(self.client.list_runs(eval_id)), metadata)
        if done is not None:
            progress(f"{test.agent} v{version}: {test.name}: reusing completed run {done['id']}")
            return done, True
        run = self.client.create_run(eval_id, runs.run_body(test, version, metadata))
        return self.wait(eval_id, run, f"{test.agent} v{version}: {test.name}", progress), False

    def wait(
        self, eval_id: str, run: dict[str, Any], label: str, progress: Callable[[str], None]
    ) -> dict[str, Any]:
        began, shown = time.monotonic(), ""
        while True:
            status = str(run.get("status"))
            if status != shown:
                progress(f"{label}: run {run['id']} {status}")
                shown = status
            if status in runs.DONE:
                return run
            if time.monotonic() - began > self.waiting.timeout:
                raise TestRunError(
                    f"{label}: run {run['id']} still {status} after {self.waiting.timeout:g}s "
                    f"({TIMEOUT_ENV}); run test again to pick it up once it completes"
                )
            self.waiting.sleep(self.waiting.poll)
            run = self.client.get_run(eval_id, str(run["id"]))


def _failure(run: dict[str, Any]) -> str:
    if run.get("status") == "completed":
        return ""
    error = run.get("error") or {}
    return f"run {run.get('status')}: {error.get('message') or 'no reason given'}"
