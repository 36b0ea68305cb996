"""Benchmark: plan, apply and destroy of N assistants against the emulator with 20 ms latency.

    .venv/bin/python benchmarks/scale.py [--quick] [--sizes 10,100,...] [--latency-ms 20]

For each N (default 10, 100, 1000, 5000; --quick: 10 and 100) it writes a synthetic project
(synthetic.py: 3 files per assistant from a pool of N/2, realistic instructions and function
tools), starts `reconciler emulator serve --latency-ms 20` in its own process, and measures, each
operation in a fresh process (worker.py): validate+resolve; apply from empty at parallelism 16
and 4; a no-op plan (also as the real `reconciler plan` command, for its end-to-end time and
peak RSS); an apply after 10% of the assistants and 5% of the files changed; destroy. Requests
are counted by the emulator. It prints a table and the targets of the performance issue, and
writes results.json and results.png (the chart needs the `bench` extra: matplotlib).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from emulated import EmulatorProcess, run_child
from report import check_targets, format_table, format_targets
from synthetic import Edit, edit_project, write_project

HERE = Path(__file__).resolve().parent
WORKER = HERE / "worker.py"
SIZES = (10, 100, 1000, 5000)
QUICK_SIZES = (10, 100)
PARALLELISMS = (16, 4)  # apply from empty at each; the rest of the run uses the default, 4
DEFAULT_PARALLELISM = 4
PAGE = 100
ENV = {"AZURE_OPENAI_API_KEY": "bench", "NO_COLOR": "1"}


def reads(assistants: int) -> int:
    """Requests of a plan's read: one list page per 100 assistants (at least one), one file list."""
    return max(1, math.ceil(assistants / PAGE)) + 1


def rounds(latency_s: float, reads_: int, stages: list[int], parallelism: int) -> float:
    """The physical limit: the reads one after another, then each stage in waves of P requests."""
    return latency_s * (reads_ + sum(math.ceil(count / parallelism) for count in stages))


class Bench:
    """Runs measured operations against one emulator process and counts their requests."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator
        self.latency_s = emulator.latency_ms / 1000

    def worker(self, operation: str, root: Path, parallelism: int) -> dict[str, Any]:
        command = [sys.executable, str(WORKER), operation, str(root)]
        measured = self._run([*command, "--parallelism", str(parallelism)])
        failed = {k: v for k, v in measured["outcomes"].items() if k != "done"}
        if failed:
            raise RuntimeError(f"{operation} did not complete: {failed}")
        return measured

    def command(self, *arguments: str) -> dict[str, Any]:
        """The real CLI, measured from outside only."""
        return self._run([sys.executable, "-m", "reconciler", *arguments], worker=False)

    def _run(self, command: list[str], worker: bool = True) -> dict[str, Any]:
        before = self.emulator.counts()
        child = run_child(command, ENV)
        requests = self.emulator.counts() - before
        measured = child.report() if worker else {"exit_code": child.returncode}
        return {
            **measured,
            "requests": dict(sorted(requests.items())),
            "total": sum(requests.values()),
            "process_s": child.wall_s,
            "cpu_s": child.cpu_s,
            "peak_rss_mb": child.peak_rss_mb,
        }


def measure_size(bench: Bench, count: int, folder: Path) -> dict[str, Any]:
    root = folder / f"project-{count}"
    root.mkdir()
    layout = write_project(root, count, bench.emulator.url)
    files = layout.pool
    bench.emulator.reset()
    applies = [apply_from_empty(bench, root, count, files, p) for p in PARALLELISMS]
    noop = no_op_plan(bench, root, count)
    change = changed_apply(bench, root, count, edit_project(root, layout))
    gone = destroy(bench, root, count, files)
    return {
        "n": count,
        "files": files,
        "validate_resolve_s": noop["load_s"],
        "noop_plan": noop,
        "apply_empty": sorted(applies, key=lambda a: a["parallelism"]),
        "apply_change": change,
        "destroy": gone,
    }


def apply_from_empty(
    bench: Bench, root: Path, count: int, files: int, parallelism: int
) -> dict[str, Any]:
    bench.emulator.reset()
    measured = bench.worker("apply", root, parallelism)
    expected = reads(0) + files + count
    ideal = rounds(bench.latency_s, reads(0), [files, count], parallelism)
    return _with_model(measured, expected, ideal)


def no_op_plan(bench: Bench, root: Path, count: int) -> dict[str, Any]:
    measured = bench.worker("plan", root, DEFAULT_PARALLELISM)
    if measured["changes"] != {"assistant no-op": count}:
        raise RuntimeError(f"the plan after apply is not empty: {measured['changes']}")
    cli = bench.command("plan", str(root), "--detailed-exitcode")
    if cli["exit_code"] != 0 or cli["total"] != measured["total"]:
        raise RuntimeError(f"`reconciler plan` after apply: {cli}")
    expected = reads(count)
    measured["limit_s"] = expected * bench.latency_s + 0.5
    measured["cli"] = cli
    return _with_model(measured, expected, expected * bench.latency_s)


def changed_apply(bench: Bench, root: Path, count: int, edit: Edit) -> dict[str, Any]:
    measured = bench.worker("apply", root, DEFAULT_PARALLELISM)
    uploads = deletes = len(edit.files)  # every user of a changed file moves to its new content
    updates = len(edit.updated)
    ideal = rounds(bench.latency_s, reads(count), [uploads, updates, deletes], DEFAULT_PARALLELISM)
    measured["edit"] = {
        "edited_assistants": len(edit.assistants),
        "changed_files": len(edit.files),
        "updated_assistants": updates,
    }
    return _with_model(measured, reads(count) + uploads + updates + deletes, ideal)


def destroy(bench: Bench, root: Path, count: int, files: int) -> dict[str, Any]:
    measured = bench.worker("destroy", root, DEFAULT_PARALLELISM)
    ideal = rounds(bench.latency_s, reads(count), [count, files], DEFAULT_PARALLELISM)
    return _with_model(measured, reads(count) + count + files, ideal)


def _with_model(measured: dict[str, Any], expected: int, ideal_s: float) -> dict[str, Any]:
    return {
        **measured,
        "expected_total": expected,
        "ideal_s": ideal_s,
        "ratio": measured["wall_s"] / ideal_s,
    }


@contextmanager
def emulator_in(folder: Path, latency_ms: int) -> Iterator[Bench]:
    with EmulatorProcess(latency_ms, folder / "emulator.log") as emulator:
        yield Bench(emulator)


def run(sizes: tuple[int, ...], latency_ms: int) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="reconciler-bench-") as folder,
        emulator_in(Path(folder), latency_ms) as bench,
    ):
        for count in sizes:
            started = time.perf_counter()
            results.append(measure_size(bench, count, Path(folder)))
            print(f"N = {count}: measured in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "latency_ms": latency_ms,
        "sizes": results,
    }


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 10 and 100 only")
    parser.add_argument("--sizes", help="comma-separated N (default 10,100,1000,5000)")
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--out", type=Path, help="folder for results.json and results.png")
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    sizes: tuple[int, ...] = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(size) for size in args.sizes.split(","))
    out = args.out or (HERE / "quick" if args.quick else HERE)
    out.mkdir(parents=True, exist_ok=True)
    results = run(sizes, args.latency_ms)
    results["targets"] = check_targets(results)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print(format_table(results))
    print()
    print(format_targets(results["targets"]))
    print()
    print(f"Wrote {out / 'results.json'}")
    draw(results, out / "results.png")


def draw(results: dict[str, Any], path: Path) -> None:
    try:
        from chart import draw_chart  # noqa: PLC0415 - matplotlib is the optional `bench` extra
    except ImportError:
        print("No chart: matplotlib is missing. Install it with: pip install -e '.[bench]'")
        return
    draw_chart(results, path)
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
