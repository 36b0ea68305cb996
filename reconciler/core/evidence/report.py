"""Pure: test results as text (the terminal), JSON (machines) and Markdown (the job summary and
the pull-request comment), per agent and criterion."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reconciler.core.evidence.model import CriterionResult, TestResult

MARKER = "<!-- reconciler-test -->"


def summary(results: list[TestResult]) -> str:
    failed = sum(1 for r in results if not r.passed)
    if not results:
        return "No agent tests declared."
    return f"{len(results) - failed} of {len(results)} tests passed."


def render_text(results: list[TestResult]) -> str:
    lines: list[str] = []
    for result in results:
        mark = "PASS" if result.passed else "FAIL"
        reused = ", reused" if result.reused else ""
        against = f", compared with v{result.baseline}" if result.baseline else ""
        lines.append(
            f"{mark} {_who(result)} (definition sha256-{result.definition}): "
            f"{result.test} ({_run(result)}{reused}{against})"
        )
        lines += [f"    {_criterion_line(c)}" for c in result.criteria]
        lines += [f"    error: {result.error}"] if result.error else []
        lines += [f"    regression: {result.regression}"] if result.regression else []
    return "\n".join([*lines, summary(results)]) + "\n"


def _who(result: TestResult) -> str:
    return f"{result.agent} v{result.version}" if result.version else result.agent


def _run(result: TestResult) -> str:
    """The eval run, or what graded a test where there is none (Assistants v1)."""
    return f"run {result.run_id}" if result.run_id else "threads and runs, graded here"


def _criterion_line(c: CriterionResult) -> str:
    mark = "ok  " if c.passed else "FAIL"
    line = f"{mark} {c.name} ({c.check}): {_measure(c)}, needs {c.threshold}"
    if c.baseline is not None:
        line += f"; before: {_measure(c.baseline)}"
    return line


def _measure(c: CriterionResult) -> str:
    text = f"{c.passed_rows}/{c.total_rows} rows ({c.pass_rate:.0%})"
    return text if c.score is None else f"{text}, mean score {c.score:.2f}"


def render_json(results: list[TestResult]) -> str:
    data = {"passed": all(r.passed for r in results), "tests": [_json(r) for r in results]}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _json(result: TestResult) -> dict[str, Any]:
    return {
        "test": result.test,
        "agent": result.agent,
        "version": result.version,
        "definition": f"sha256-{result.definition}",
        "eval_id": result.eval_id,
        "run_id": result.run_id,
        "reused": result.reused,
        "passed": result.passed,
        "error": result.error or None,
        "regression": result.regression or None,
        "baseline_version": result.baseline or None,
        "criteria": [_criterion_json(c) for c in result.criteria],
    }


def _criterion_json(c: CriterionResult) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": c.name,
        "check": c.check,
        "passed": c.passed,
        "passed_rows": c.passed_rows,
        "total_rows": c.total_rows,
        "score": c.score,
        "threshold": c.threshold,
    }
    if c.baseline is not None:
        found["baseline"] = _criterion_json(c.baseline)
    return found


def render_markdown(results: list[TestResult]) -> str:
    passed = all(r.passed for r in results)
    lines = [MARKER, f"### Agent tests: {'passed' if passed else 'failed'}", "", summary(results)]
    for result in results:
        mark = "✅" if result.passed else "❌"
        lines += [
            "",
            f"#### {mark} `{result.agent}`{f' v{result.version}' if result.version else ''}: "
            f"{result.test}",
            "",
            f"Definition `sha256-{result.definition}`, "
            + (f"run `{result.run_id}`" if result.run_id else _run(result))
            + (" (reused)" if result.reused else ""),
            "",
            "| Criterion | Check | Result | Threshold |" + _before(result),
            "| --- | --- | --- | --- |" + (" --- |" if result.baseline else ""),
        ]
        lines += [_row(c, bool(result.baseline)) for c in result.criteria]
        lines += ["", f"Error: {result.error}"] if result.error else []
        lines += ["", f"Regression: {result.regression}"] if result.regression else []
    return "\n".join(lines) + "\n"


def _before(result: TestResult) -> str:
    """The baseline's column, when the test was compared with one (regression)."""
    return f" Before (v{result.baseline}) |" if result.baseline else ""


def _row(c: CriterionResult, compared: bool) -> str:
    mark = "✅" if c.passed else "❌"
    row = f"| {mark} {c.name} | {c.check} | {_measure(c)} | {c.threshold} |"
    if compared:
        row += f" {_measure(c.baseline) if c.baseline is not None else ''} |"
    return row


RENDERERS: dict[str, Callable[[list[TestResult]], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
