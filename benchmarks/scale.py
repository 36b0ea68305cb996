"""Benchmark: plan, apply and destroy of N assistants against one emulator, beside two anchors;
a Foundry project's no-op plan beside the SDK; the load stage beside its floor.

    .venv/bin/python benchmarks/scale.py [--quick] [--sizes 100,1000,5000] [--latencies 20,100]
        [--scenarios v1,foundry,load] [--foundry-sizes 100,300,1000] [--load-sizes 1000,5000]

One `reconciler emulator serve` process serves the whole run; its latency is changed between
rounds (`PUT /_emulator/faults`). For each latency and N (default 20 and 100 ms; N = 100, 1000,
5000) it writes the synthetic project (synthetic.py) and measures, each in a fresh process:
apply from empty; the no-op plan (the real `reconciler plan`), interleaved with the two anchors
(anchor.py: the hand-written openai-SDK script, and a per-object refresh of one GET per
assistant, 10 at a time); an apply after 10% of the assistants and 5% of the files changed;
destroy. Then, at no latency, the peak RSS of one no-op plan of N = 10,000; and client_cpu.py
shows, with no network, that client work stays linear up to N = 8000. Apply from empty is the
median of 3 applies (each to an emptied emulator), the other operations one each. Requests are
counted by the emulator. Then the Foundry scenario (foundry.py: A = 100, 300 and 1000 agents at
50 ms, `reconciler plan` beside a 16-thread azure-ai-projects script) and the load stage beside
its floor script (load_manifests.py, load_floor.py: N = 1000 and 5000). It prints a table and
the issue's targets, and writes results.json and results.png.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import client_cpu
import foundry
import httpx
import load_manifests
from emulated import EmulatorProcess, run_child
from openai import AzureOpenAI
from report import check_targets, format_table, format_targets
from synthetic import edit_project, write_project

HERE = Path(__file__).resolve().parent
WORKER, ANCHOR = HERE / "worker.py", HERE / "anchor.py"
SIZES, QUICK_SIZES = (100, 1000, 5000), (10, 100)
LATENCIES = (20, 100)
CPU_SIZES, QUICK_CPU_SIZES = (1000, 8000), (100, 400)
RSS_N, QUICK_RSS_N = 10_000, 200  # the no-op plan's peak memory, measured once at no latency
APPLY_REPEATS = 3  # apply from empty: the median of 3
PARALLELISM = 16  # every apply and destroy; the latency-bound target is at P = 16
PAGE = 100
ENV = {"AZURE_OPENAI_API_KEY": "bench", "NO_COLOR": "1"}


def repeats(count: int) -> int:
    """Medians of 5 (interleaved), 3 at N >= 5000 to keep a full run under 25 minutes."""
    return 3 if count >= 5000 else 5


def refresh_repeats(count: int, latency_ms: int) -> int:
    """The refresh costs N/10 round trips: once where they take 10 s or more."""
    return 1 if count * latency_ms >= 100_000 else repeats(count)


def reads(assistants: int) -> int:
    """A plan's read requests: the assistant pages, read from both ends at once (one page up to
    100 assistants, else two per round but the first), and one file list."""
    return (1 if assistants <= PAGE else 2 * read_rounds(assistants) - 1) + 1


def read_rounds(assistants: int) -> int:
    """The reads' round trips: the first page (the file list beside it), then rounds of an
    ascending and a descending page until they overlap (reconciler/api/paging.py)."""
    return 1 if assistants <= PAGE else (assistants + 3 * PAGE) // (2 * PAGE)


def rounds(latency_s: float, reads_: int, stages: list[int]) -> float:
    """The network floor: the reads' rounds, then each stage in waves of P."""
    return latency_s * (reads_ + sum(math.ceil(count / PARALLELISM) for count in stages))


class Bench:
    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator

    @property
    def latency_s(self) -> float:
        return self.emulator.latency_ms / 1000

    def worker(self, operation: str, root: Path) -> dict[str, Any]:
        command = [sys.executable, str(WORKER), operation, str(root)]
        measured = self.run([*command, "--parallelism", str(PARALLELISM)], report=True)
        failed = {k: v for k, v in measured["outcomes"].items() if k != "done"}
        if failed:
            raise RuntimeError(f"{operation} did not complete: {failed}")
        return measured

    def run(self, command: list[str], report: bool = False) -> dict[str, Any]:
        before = self.emulator.counts()
        child = run_child(command, ENV)
        requests = self.emulator.counts() - before
        if child.returncode != 0:  # the no-op plan exits 0 too (--detailed-exitcode: 2 = changes)
            raise RuntimeError(f"{command[1:4]} exited {child.returncode}:\n{child.stderr}")
        return {
            **(child.report() if report else {}),
            "exit_code": child.returncode,
            "total": sum(requests.values()),
            "process_s": child.wall_s,
            "cpu_s": child.cpu_s,
            "peak_rss_mb": child.peak_rss_mb,
        }

    def assistant_ids(self) -> list[str]:
        client = AzureOpenAI(
            azure_endpoint=self.emulator.url,
            api_key="bench",
            api_version="2024-02-15-preview",
            http_client=httpx.Client(),
        )
        return [assistant.id for assistant in client.beta.assistants.list(limit=100)]


def measure(bench: Bench, root: Path, count: int) -> dict[str, Any]:
    layout = write_project(root, count, bench.emulator.url)
    files, latency = layout.pool, bench.latency_s
    applied = apply_from_empty(bench, root, reads(0) + files + count)
    _expect(applied, reads(0) + files + count, rounds(latency, read_rounds(0), [files, count]))
    ids = root / "state.json"  # what a per-object tool keeps: every id it manages
    ids.write_text(json.dumps(bench.assistant_ids()), encoding="utf-8")
    noop = no_op(bench, root, count, ids)
    edit = edit_project(root, layout)
    changed = bench.worker("apply", root)
    uploads, updates = len(edit.files), len(edit.updated)
    stages = [uploads, updates, uploads]  # every user of a changed file moves to its new copy
    _expect(changed, reads(count) + sum(stages), rounds(latency, read_rounds(count), stages))
    gone = bench.worker("destroy", root)
    _expect(gone, reads(count) + count + files, rounds(latency, read_rounds(count), [count, files]))
    return {
        "n": count,
        "files": files,
        "latency_ms": bench.emulator.latency_ms,
        "noop": noop,
        "apply_empty": applied,
        "apply_change": {**changed, "updated_assistants": updates, "changed_files": uploads},
        "destroy": gone,
    }


def apply_from_empty(bench: Bench, root: Path, expected: int) -> dict[str, Any]:
    """The median (by wall time) of APPLY_REPEATS applies, each to an emptied emulator: one
    apply is one sample of a noisy figure. The last leaves the project applied."""
    runs = []
    for _ in range(APPLY_REPEATS):
        bench.emulator.reset()
        runs.append(bench.worker("apply", root))
    if any(run["total"] != expected for run in runs):
        raise RuntimeError(f"apply from empty sent other than {expected} requests: {runs}")
    median = sorted(runs, key=lambda run: run["wall_s"])[len(runs) // 2]
    return {**median, "runs": len(runs), "wall_s_runs": [run["wall_s"] for run in runs]}


def peak_memory(bench: Bench, root: Path, count: int) -> dict[str, Any]:
    """The peak RSS of one whole `reconciler plan` process of N assistants, after an apply."""
    write_project(root, count, bench.emulator.url)
    bench.emulator.reset()
    bench.worker("apply", root)
    plan = bench.run([sys.executable, "-m", "reconciler", "plan", str(root), "--detailed-exitcode"])
    bench.emulator.reset()
    return {"n": count, "plan": plan}


def no_op(bench: Bench, root: Path, count: int, ids: Path) -> dict[str, Any]:
    """`reconciler plan` and the two anchors, interleaved, whole processes; medians."""
    url = bench.emulator.url
    plan_cmd = [sys.executable, "-m", "reconciler", "plan", str(root), "--detailed-exitcode"]
    runs: dict[str, list[dict[str, Any]]] = {"plan": [], "sdk": [], "refresh": []}
    for index in range(repeats(count)):
        runs["plan"].append(bench.run(plan_cmd))
        runs["sdk"].append(bench.run([sys.executable, str(ANCHOR), "list", str(root), url]))
        if index < refresh_repeats(count, bench.emulator.latency_ms):
            command = [sys.executable, str(ANCHOR), "refresh", str(root), url, str(ids)]
            runs["refresh"].append(bench.run(command))
    if any(r["total"] != reads(count) for r in runs["plan"]):
        raise RuntimeError(f"the plan after apply is not empty, or not R requests: {runs['plan']}")
    stages = bench.worker("plan", root)  # where the time goes, inside one process
    result = {name: _median(measured) for name, measured in runs.items()}
    floor = read_rounds(count) * bench.latency_s
    plan = result["plan"]
    return {
        **result,
        "stages": stages,
        "floor_s": floor,
        "plan_over_sdk": plan["process_s"] / result["sdk"]["process_s"],
        "refresh_over_plan": result["refresh"]["process_s"] / plan["process_s"],
        "plan_over_bound": plan["process_s"] / max(plan["cpu_s"], floor),
    }


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("process_s", "cpu_s", "peak_rss_mb", "total")
    return {"runs": len(runs), **{k: statistics.median(r[k] for r in runs) for k in keys}}


def _expect(measured: dict[str, Any], expected: int, floor_s: float) -> None:
    measured.update(expected_total=expected, floor_s=floor_s, ratio=measured["wall_s"] / floor_s)


LOAD_SIZES, QUICK_LOAD_SIZES = (1000, 5000), (100,)
SCENARIOS = ("v1", "foundry", "load")


def run_all(args: argparse.Namespace, sizes: tuple[int, ...]) -> dict[str, Any]:
    """The scenarios asked for, in one run."""
    quick, scenarios = args.quick, set(args.scenarios.split(","))
    results: dict[str, Any] = {"machine": _machine(), "parallelism": PARALLELISM, "runs": []}
    if "v1" in scenarios:
        cpu_sizes, rss_n = (QUICK_CPU_SIZES, QUICK_RSS_N) if quick else (CPU_SIZES, RSS_N)
        results |= run(sizes, _numbers(args.latencies), cpu_sizes, rss_n)
    if "foundry" in scenarios:
        default = foundry.QUICK_SIZES if quick else foundry.SIZES
        counts = _numbers(args.foundry_sizes) if args.foundry_sizes else default
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="reconciler-bench-foundry-") as folder:
            results["foundry"] = foundry.run(Path(folder), counts)
        print(f"Foundry scenario: measured in {time.perf_counter() - started:.0f} s", flush=True)
    if "load" in scenarios:
        counts = (
            _numbers(args.load_sizes)
            if args.load_sizes
            else QUICK_LOAD_SIZES
            if quick
            else LOAD_SIZES
        )
        results["load"] = [load_manifests.compare(n, 3 if n >= 5000 else 5) for n in counts]
        print(f"load stage beside its floor at N = {counts}: measured", flush=True)
    return results


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run(
    sizes: tuple[int, ...], latencies: tuple[int, ...], cpu_sizes: tuple[int, ...], rss_n: int
) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="reconciler-bench-") as folder:
        with EmulatorProcess(latencies[0], Path(folder) / "emulator.log") as emulator:
            bench = Bench(emulator)
            for latency in latencies:
                emulator.set_latency(latency)
                for count in sizes:
                    started = time.perf_counter()
                    root = Path(folder) / f"project-{latency}-{count}"
                    root.mkdir()
                    results.append(measure(bench, root, count))
                    took = time.perf_counter() - started
                    print(f"{latency} ms, N = {count}: measured in {took:.0f} s", flush=True)
            emulator.set_latency(0)
            started = time.perf_counter()
            (Path(folder) / "memory").mkdir()
            memory = peak_memory(bench, Path(folder) / "memory", rss_n)
            print(f"peak RSS at N = {rss_n}: measured in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        cpu = client_cpu.run(list(cpu_sizes))
        print(f"client CPU at N = {cpu_sizes}: measured in {time.perf_counter() - started:.0f} s")
    return {"runs": results, "memory": memory, "client_cpu": cpu}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 10 and 100 only")
    parser.add_argument("--sizes", help="comma-separated N (default 100,1000,5000)")
    parser.add_argument("--latencies", default=",".join(map(str, LATENCIES)))
    parser.add_argument("--out", type=Path, help="folder for results.json and results.png")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="of v1,foundry,load")
    parser.add_argument("--foundry-sizes", help="comma-separated A (default 100,300,1000)")
    parser.add_argument("--load-sizes", help="comma-separated N (default 1000,5000)")
    return parser.parse_args()


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


def main() -> None:
    args = parse_arguments()
    sizes = _numbers(args.sizes) if args.sizes else QUICK_SIZES if args.quick else SIZES
    out = args.out or (HERE / "quick" if args.quick else HERE)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = run_all(args, sizes)
    results["run_s"] = time.perf_counter() - started
    results["targets"] = check_targets(results)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tables = f"{format_table(results)}\n\n{format_targets(results['targets'])}\n"
    (out / "results.md").write_text(tables, encoding="utf-8")
    print(f"\n{tables}")
    print(f"Wrote {out / 'results.json'} (run: {results['run_s']:.0f} s)")
    try:
        from chart import draw_chart  # noqa: PLC0415 - matplotlib is the optional `bench` extra
    except ImportError:
        print("No chart: matplotlib is missing. Install it with: pip install -e '.[bench]'")
        return
    draw_chart(results, out / "results.png")
    print(f"Wrote {out / 'results.png'}")


if __name__ == "__main__":
    main()
