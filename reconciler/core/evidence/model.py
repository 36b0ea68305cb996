"""Pure: an agent test as declared (`kind: AgentTest`, config/agent_test.py loads it) and what a
run of it concluded.

A test is identified across environments by its hash: its name, input, criteria, regression
tolerance and the SHA-256 of its dataset, but not the agent it targets (whose name differs per
environment). Evidence is a completed eval run whose metadata names the agent's definition hash
and this test hash; a change to either needs new evidence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from reconciler.diagnostics import Location

ANSWER_CHECKS = ("contains", "icontains", "equals")
LOCAL_CHECKS = ("not_contains", "regex", "json_schema")
CHECKS = (*ANSWER_CHECKS, *LOCAL_CHECKS, "tool_call", "evaluator")


@dataclass(frozen=True)
class Criterion:
    """One declared criterion: one check (`CHECKS`) and its threshold."""

    name: str
    check: str
    value: Any  # the check's argument: a string, a pattern, a schema, {name, arguments}, ...
    min_pass_rate: float = 1.0
    min_score: float | None = None  # evaluators: the mean score a run must reach instead


@dataclass(frozen=True)
class AgentTest:
    name: str
    agent: str  # the agent's name in this environment
    input: str  # the user message, a template over the row: "{{item.query}}"
    criteria: tuple[Criterion, ...]
    rows: tuple[dict[str, Any], ...]
    dataset_sha256: str
    model: str = ""  # the deployment builtin evaluators grade with (default: the agent's)
    tolerance: float | None = None  # regression: the largest drop allowed against the baseline
    location: Location = field(default_factory=lambda: Location(""))

    @property
    def hash(self) -> str:
        essence = {
            "name": self.name,
            "input": self.input,
            "criteria": [
                [c.name, c.check, c.value, c.min_pass_rate, c.min_score] for c in self.criteria
            ],
            "dataset": self.dataset_sha256,
            "model": self.model,
            "tolerance": self.tolerance,
        }
        text = json.dumps(essence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class CriterionResult:
    name: str
    check: str
    passed_rows: int
    total_rows: int
    score: float | None  # evaluators: the mean score of the rows graded
    threshold: str  # "pass rate >= 100%" or "mean score >= 3"
    passed: bool
    baseline: CriterionResult | None = None  # regression: the same criterion on the baseline

    @property
    def pass_rate(self) -> float:
        return self.passed_rows / self.total_rows if self.total_rows else 0.0


@dataclass(frozen=True)
class TestResult:
    """One test of one agent version: the run that graded it and the verdict per criterion."""

    test: str
    agent: str
    version: str
    definition: str
    run_id: str
    eval_id: str
    reused: bool
    criteria: tuple[CriterionResult, ...]
    error: str = ""  # the run failed or could not be read: no verdict
    regression: str = ""  # the criteria that dropped against the baseline, if any did
    baseline: str = ""  # the version compared with (regression), when there was one
    report_url: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and not self.regression and all(c.passed for c in self.criteria)
