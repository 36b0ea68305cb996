"""The benchmark's results as a Markdown table, and the performance issue's targets checked.

Every figure here is measured; the limits are formulas of measured counts and the latency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Row = tuple[str, Callable[[dict[str, Any]], str]]
TARGET_N = 1000  # where the issue sets its targets, unless a target says otherwise
LARGE_N = 5000  # peak RSS and pure planning
RSS_LIMIT_MB = 150.0
PLANNING_LIMIT_S = 1.0
APPLY_SLACK = 1.3


def _apply(size: dict[str, Any], parallelism: int) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in size["apply_empty"] if a["parallelism"] == parallelism)
    return found


def _requests(measured: dict[str, Any]) -> str:
    return f"{measured['total']} ({measured['expected_total']})"


def _wall(measured: dict[str, Any]) -> str:
    return f"{measured['wall_s']:.2f} ({measured['ideal_s']:.2f}; {measured['ratio']:.2f}x)"


ROWS: list[Row] = [
    ("distinct files F", lambda s: str(s["files"])),
    ("validate+resolve, s", lambda s: f"{s['validate_resolve_s']:.2f}"),
    ("no-op plan: requests (expected)", lambda s: _requests(s["noop_plan"])),
    (
        "no-op plan: wall s (limit)",
        lambda s: f"{s['noop_plan']['wall_s']:.2f} ({s['noop_plan']['limit_s']:.2f})",
    ),
    ("no-op plan: build_plan s", lambda s: f"{s['noop_plan']['planning_median_s']:.3f}"),
    ("`reconciler plan`: process s", lambda s: f"{s['noop_plan']['cli']['process_s']:.2f}"),
    ("`reconciler plan`: peak RSS MB", lambda s: f"{s['noop_plan']['cli']['peak_rss_mb']:.0f}"),
    ("apply from empty P=4: requests (expected)", lambda s: _requests(_apply(s, 4))),
    ("apply from empty P=4: wall s (model; ratio)", lambda s: _wall(_apply(s, 4))),
    ("apply from empty P=16: requests (expected)", lambda s: _requests(_apply(s, 16))),
    ("apply from empty P=16: wall s (model; ratio)", lambda s: _wall(_apply(s, 16))),
    (
        "10%/5% change: assistants updated, files replaced",
        lambda s: (
            f"{s['apply_change']['edit']['updated_assistants']}, "
            f"{s['apply_change']['edit']['changed_files']}"
        ),
    ),
    ("10%/5% change: requests (expected)", lambda s: _requests(s["apply_change"])),
    ("10%/5% change: wall s (model; ratio)", lambda s: _wall(s["apply_change"])),
    ("10%/5% change: build_plan s", lambda s: f"{s['apply_change']['plan_s']:.3f}"),
    ("destroy: requests (expected)", lambda s: _requests(s["destroy"])),
    ("destroy: wall s (model; ratio)", lambda s: _wall(s["destroy"])),
]

NOTES = """\
Wall s: from the loaded desired state to the end (reads, build_plan, then render or apply), in a
process of its own; validate+resolve (load_desired) is the row above and not included. Model: the
physical limit, latency x (the reads one after another + each stage in waves of P requests).
Expected requests: reads R = max(1, ceil(T/100)) + 1 for T assistants on the endpoint, plus one
request per change. `reconciler plan`: the real command, interpreter start to exit."""


def format_table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    machine = results["machine"]
    title = (
        f"Latency {results['latency_ms']} ms per request; {machine['cpus']} CPUs, "
        f"Python {machine['python']}, emulator in its own process."
    )
    header = "| measure | " + " | ".join(f"N = {s['n']}" for s in sizes) + " |"
    lines = [title, "", header, "|---" * (len(sizes) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(s) for s in sizes) + " |" for name, cell in ROWS]
    return "\n".join([*lines, "", NOTES])


def _at(sizes: list[dict[str, Any]], wanted: int) -> dict[str, Any]:
    """The results at N = wanted, else at the largest N measured (a quick run)."""
    found = [s for s in sizes if s["n"] == wanted]
    return found[0] if found else max(sizes, key=lambda s: s["n"])


def _target(name: str, size: dict[str, Any], measured: float, limit: float, met: bool) -> Any:
    return {"target": name, "n": size["n"], "measured": measured, "limit": limit, "met": met}


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    sizes = results["sizes"]
    at, large = _at(sizes, TARGET_N), _at(sizes, LARGE_N)
    noop = at["noop_plan"]
    targets = [
        _target(
            "no-op plan: requests = max(1, ceil(N/100)) + 1",
            at,
            noop["total"],
            noop["expected_total"],
            noop["total"] == noop["expected_total"],
        ),
        _target(
            "no-op plan: wall <= requests x latency + 0.5 s",
            at,
            noop["wall_s"],
            noop["limit_s"],
            noop["wall_s"] <= noop["limit_s"],
        ),
        _target(
            "no-op plan: peak RSS of `reconciler plan` < 150 MB",
            large,
            large["noop_plan"]["cli"]["peak_rss_mb"],
            RSS_LIMIT_MB,
            large["noop_plan"]["cli"]["peak_rss_mb"] < RSS_LIMIT_MB,
        ),
    ]
    for parallelism in (4, 16):
        targets += _apply_targets(at, parallelism)
    planning = large["noop_plan"]["planning_median_s"]
    targets.append(
        _target(
            "build_plan (no network) of the no-op plan < 1 s",
            large,
            planning,
            PLANNING_LIMIT_S,
            planning < PLANNING_LIMIT_S,
        )
    )
    return [*targets, _every_count_exact(sizes)]


def _apply_targets(size: dict[str, Any], parallelism: int) -> list[dict[str, Any]]:
    applied = _apply(size, parallelism)
    limit = APPLY_SLACK * applied["ideal_s"]
    return [
        _target(
            f"apply from empty, P={parallelism}: requests = R + F + N",
            size,
            applied["total"],
            applied["expected_total"],
            applied["total"] == applied["expected_total"],
        ),
        _target(
            f"apply from empty, P={parallelism}: wall <= 1.3 x (R + ceil(F/P) + ceil(N/P)) x latency",
            size,
            applied["wall_s"],
            limit,
            applied["wall_s"] <= limit,
        ),
    ]


def _every_count_exact(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Also checked: every scenario's request count at every N equals its formula."""
    scenarios = [
        m
        for s in sizes
        for m in (s["noop_plan"], *s["apply_empty"], s["apply_change"], s["destroy"])
    ]
    exact = sum(1 for m in scenarios if m["total"] == m["expected_total"])
    return {
        "target": "request counts = formula, every scenario at every N",
        "n": max(s["n"] for s in sizes),
        "measured": exact,
        "limit": len(scenarios),
        "met": exact == len(scenarios),
    }


def format_targets(targets: list[dict[str, Any]]) -> str:
    lines = ["| target | N | measured | limit | met |", "|---|---|---|---|---|"]
    for t in targets:
        measured, limit = _number(t["measured"]), _number(t["limit"])
        lines.append(
            f"| {t['target']} | {t['n']} | {measured} | {limit} | {'yes' if t['met'] else 'NO'} |"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}"
