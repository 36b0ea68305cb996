"""One PNG: wall time and requests of each operation against N (log-log), with the model.

Needs matplotlib, the project's optional `bench` extra.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

Pick = Callable[[dict[str, Any]], dict[str, Any]]


def _apply(parallelism: int) -> Pick:
    def pick(size: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = next(
            a for a in size["apply_empty"] if a["parallelism"] == parallelism
        )
        return found

    return pick


SERIES: list[tuple[str, Pick]] = [
    ("no-op plan", lambda s: s["noop_plan"]),
    ("apply from empty, P=4", _apply(4)),
    ("apply from empty, P=16", _apply(16)),
    ("apply, 10% assistants / 5% files changed", lambda s: s["apply_change"]),
    ("destroy", lambda s: s["destroy"]),
]


def draw_chart(results: dict[str, Any], path: Path) -> None:
    sizes = results["sizes"]
    counts = [s["n"] for s in sizes]
    figure, (times, requests) = plt.subplots(1, 2, figsize=(12, 4.8))
    for index, (label, pick) in enumerate(SERIES):
        colour = f"C{index}"
        measured = [pick(s) for s in sizes]
        times.plot(counts, [m["wall_s"] for m in measured], "o-", color=colour, label=label)
        times.plot(counts, [m["ideal_s"] for m in measured], ":", color=colour)
        requests.plot(counts, [m["total"] for m in measured], "o-", color=colour, label=label)
    validate = [s["validate_resolve_s"] for s in sizes]
    times.plot(counts, validate, "s--", color="grey", label="validate+resolve (no network)")
    _axes(times, "wall time, s (dotted: latency-bound model)", results)
    _axes(requests, "requests", results)
    times.legend(fontsize="small")
    requests.legend(fontsize="small", title="apply P=4, P=16 and destroy coincide")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _axes(axes: Any, label: str, results: dict[str, Any]) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("assistants N (3 files each from a pool of N/2)")
    axes.set_ylabel(label)
    what = label.split(",", maxsplit=1)[0]
    axes.set_title(f"{what} against N, {results['latency_ms']} ms latency")
    axes.grid(True, which="both", alpha=0.3)
