"""Pure: a candidate's results against its baseline's (the same test on the version the
environment ran before), and the versions a baseline is chosen from.

A criterion regresses when its pass rate dropped by more than the test's tolerance; the
results keep the baseline's beside the candidate's, so the report shows both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from reconciler.core.evidence.model import CriterionResult

EPSILON = 1e-9  # pass rates are ratios of small integers: a drop equal to the tolerance holds


def compare(
    candidate: Iterable[CriterionResult], baseline: Iterable[CriterionResult], tolerance: float
) -> tuple[tuple[CriterionResult, ...], list[str]]:
    """The candidate's results, each with its baseline, and the criteria that dropped too far."""
    before = {b.name: b for b in baseline}
    paired, drops = [], []
    for result in candidate:
        earlier = before.get(result.name)
        paired.append(dataclasses.replace(result, baseline=earlier))
        if earlier is not None and earlier.pass_rate - result.pass_rate > tolerance + EPSILON:
            drops.append(f"{result.name} {earlier.pass_rate:.0%} -> {result.pass_rate:.0%}")
    return tuple(paired), drops


def message(drops: list[str], tolerance: float, version: str) -> str:
    if not drops:
        return ""
    return f"dropped more than {tolerance:.0%} against v{version}: {'; '.join(drops)}"


def previous_version(versions: Iterable[dict[str, Any]], current: str) -> str | None:
    """The newest version older than `current` (numbers; the service never reuses one)."""
    numbers = [int(v["version"]) for v in versions if str(v.get("version", "")).isdigit()]
    older = [n for n in numbers if current.isdigit() and n < int(current)]
    return str(max(older)) if older else None
