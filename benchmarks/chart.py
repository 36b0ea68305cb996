"""One PNG: time of each operation and anchor against N, per latency; client CPU per object;
the Foundry no-op plan beside its SDK script against A; the load stage beside its floor.

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
    figure, ((times, cpu), (agents, load)) = plt.subplots(2, 2, figsize=(13, 10))
    _v1(results, times, cpu)
    _foundry(results.get("foundry", []), agents)
    _load(results.get("load", []), load)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _foundry(runs: list[dict[str, Any]], axes: Any) -> None:
    if not runs:
        axes.set_axis_off()  # a run without the scenario (--scenarios)
        return
    counts = [r["a"] for r in runs]
    plan = [r["plan"]["process_s"] for r in runs]
    sdk = [r["sdk"]["process_s"] for r in runs]
    axes.plot(counts, plan, "o-", label="`reconciler plan --parallelism 16` (no-op)")
    axes.plot(counts, sdk, "o-", label="SDK script, 16 threads")
    axes.plot(counts, [0.5 * t for t in sdk], "k+:", alpha=0.4, label="target: 0.5x the SDK script")
    axes.plot(counts, [r["floor_s"] for r in runs], "kx--", alpha=0.4, label="network floor")
    _axes(axes, "seconds, whole process")
    axes.set_xlabel("Foundry agents A (a knowledge store of 2 files each), 50 ms")
    axes.set_title("Foundry: no-op plan beside azure-ai-projects")
    axes.legend(fontsize="x-small")


def _load(runs: list[dict[str, Any]], axes: Any) -> None:
    if not runs:
        axes.set_axis_off()
        return
    counts = [r["n"] for r in runs]
    axes.plot(counts, [r["load_s"] for r in runs], "o-", label="load_desired")
    axes.plot(counts, [r["floor_s"] for r in runs], "o-", label="floor script")
    axes.plot(
        counts, [1.8 * r["floor_s"] for r in runs], "k:", alpha=0.4, label="target: 1.8x floor"
    )
    _axes(axes, "seconds, in one process")
    axes.set_xlabel("manifests N (3 files each)")
    axes.set_title("load stage beside its floor")
    axes.legend(fontsize="x-small")


def _v1(results: dict[str, Any], times: Any, cpu: Any) -> None:
    if not results["runs"]:
        times.set_axis_off(), cpu.set_axis_off()
        return
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


def _axes(axes: Any, label: str) -> None:
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("assistants N (3 files each from a pool of N/2)")
    axes.set_ylabel(label)
    axes.grid(True, which="both", alpha=0.3)
