"""One PNG: time of each operation and anchor against N, per latency; client CPU per object.

Needs matplotlib, the project's optional `bench` extra.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

Pick = Callable[[dict[str, Any]], float]
SERIES: list[tuple[str, Pick]] = [
    ("`reconciler plan` (no-op)", lambda r: r["noop"]["plan"]["process_s"]),
    ("SDK script", lambda r: r["noop"]["sdk"]["process_s"]),
    ("refresh, 1 GET each", lambda r: r["noop"]["refresh"]["process_s"]),
    ("apply from empty, P=16", lambda r: r["apply_empty"]["wall_s"]),
    ("apply 10% changed", lambda r: r["apply_change"]["wall_s"]),
    ("destroy, P=16", lambda r: r["destroy"]["wall_s"]),
]
STYLES = {20: "--", 100: "-"}


def draw_chart(results: dict[str, Any], path: Path) -> None:
    figure, (times, cpu) = plt.subplots(1, 2, figsize=(13, 5))
    for latency in sorted({r["latency_ms"] for r in results["runs"]}):
        runs = [r for r in results["runs"] if r["latency_ms"] == latency]
        counts = [r["n"] for r in runs]
        style = STYLES.get(latency, ":")
        for index, (label, pick) in enumerate(SERIES):
            times.plot(
                counts,
                [pick(r) for r in runs],
                "o" + style,
                color=f"C{index}",
                label=f"{label}, {latency} ms",
            )
        floors = [r["noop"]["floor_s"] for r in runs]
        times.plot(
            counts, floors, "k" + style, alpha=0.4, label=f"plan's network floor, {latency} ms"
        )
    _axes(times, "seconds (process for plan and anchors; after loading for apply)")
    times.set_title("against one emulator (solid: 100 ms, dashed: 20 ms)")
    times.legend(fontsize="x-small", ncol=2)
    sizes = results["client_cpu"]["sizes"]
    counts = [s["n"] for s in sizes]
    for index, step in enumerate(sizes[0]["per_object_us"]):
        values = [s["per_object_us"][step] for s in sizes]
        cpu.plot(counts, values, "o-", color=f"C{index % 10}", label=step)
    _axes(cpu, "client CPU per object, µs (flat = linear)")
    cpu.set_title("no network: an endpoint that answers at once")
    cpu.legend(fontsize="x-small", ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _axes(axes: Any, label: str) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("assistants N (3 files each from a pool of N/2)")
    axes.set_ylabel(label)
    axes.grid(True, which="both", alpha=0.3)
