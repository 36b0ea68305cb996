"""Client work of plan, apply, destroy and rendering, with an endpoint that answers at once.

    .venv/bin/python benchmarks/client_cpu.py [--sizes 1000,8000] [--profile OPERATION]

For each N it writes the synthetic project (synthetic.py), loads it once, and times, in this
process against MemoryDialect: apply from empty (parallelism 16), the no-op plan, rendering
(text, JSON, Markdown) of the apply-from-empty plan, a plan and apply after 10% of the
assistants and 5% of the files changed, and destroy. Work that is linear in N costs the same per
object at every N; quadratic work would cost 8x more per object at N = 8000 than at 1000, so the
per-object ratio between the largest and the smallest N is the proof. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from memory_dialect import MemoryDialect
from synthetic import edit_project, write_project

from reconciler.config.desired import load_desired
from reconciler.core.plan import build_plan
from reconciler.core.plan_types import Mode, Plan
from reconciler.core.render import render_json, render_markdown, render_text
from reconciler.core.state import DesiredState, LiveState
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live, settle_heap

PARALLELISM = 16


def _quiet(line: str) -> None:
    """apply's progress lines are not part of what is measured."""


class Timer:
    """Process CPU seconds of each named step (wall would count the scheduler's whims)."""

    def __init__(self, profile: str | None) -> None:
        self.seconds: dict[str, float] = {}
        self.profile = profile

    def __call__(self, name: str, step: Callable[[], Any]) -> Any:
        profiler = cProfile.Profile() if name == self.profile else None
        start = time.process_time()
        result = profiler.runcall(step) if profiler else step()
        self.seconds[name] = time.process_time() - start
        if profiler:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        return result


def measure(count: int, folder: Path, profile: str | None) -> dict[str, Any]:
    root = folder / f"project-{count}"
    root.mkdir()
    layout = write_project(root, count, "http://127.0.0.1:9")
    desired = load_desired(root, None, os.environ)
    dialect, timer = MemoryDialect(), Timer(profile)

    def plan(mode: Mode = "normal") -> Plan:
        return plan_live(dialect, load_desired(root, None, os.environ, True), mode, (), True)

    def planned(desired: DesiredState, live: LiveState, mode: Mode = "normal") -> Plan:
        """As the CLI plans for the screen: its collector step included, no fingerprints."""
        settle_heap()
        return plan_live(dialect, desired, mode, (), mode == "destroy", live, fingerprinted=False)

    made: Plan = timer("plan_empty", lambda: build_plan(desired, dialect.read_live()))
    timer("render_text", lambda: render_text(made))
    timer("render_json", lambda: render_json(made))
    timer("render_markdown", lambda: render_markdown(made))
    _applied(timer("apply_empty", lambda: apply_plan(made, dialect, PARALLELISM, _quiet)))
    live = dialect.read_live()
    noop: Plan = timer("plan_noop", lambda: planned(desired, live))
    assert not noop.actionable, noop.counts()
    edit_project(root, layout)
    desired = load_desired(root, None, os.environ)
    live = dialect.read_live()
    changed: Plan = timer("plan_changed", lambda: planned(desired, live))
    _applied(timer("apply_changed", lambda: apply_plan(changed, dialect, PARALLELISM, _quiet)))
    gone = plan("destroy")
    timer("plan_destroy", lambda: planned(desired, live, "destroy"))
    _applied(timer("destroy", lambda: apply_plan(gone, dialect, PARALLELISM, _quiet)))
    assert not dialect.assistants, "destroy left assistants"
    assert not dialect.files, "destroy left files"
    return {
        "n": count,
        "files": layout.pool,
        "changed": changed.counts(),
        "cpu_s": timer.seconds,
        "per_object_us": {k: v / count * 1e6 for k, v in timer.seconds.items()},
    }


def _applied(outcomes: list[Any]) -> None:
    failed = [o for o in outcomes if o.status != "done"]
    if failed:
        raise RuntimeError(f"{len(failed)} actions did not complete: {failed[0]}")


def growth(results: list[dict[str, Any]]) -> dict[str, float]:
    """Per-object cost at the largest N over that at the smallest: about 1 when linear."""
    small, large = results[0]["per_object_us"], results[-1]["per_object_us"]
    return {name: large[name] / small[name] for name in small if small[name] > 0}


def run(sizes: list[int], profile: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="reconciler-cpu-") as folder:
        results = [measure(count, Path(folder), profile) for count in sizes]
    return {"parallelism": PARALLELISM, "sizes": results, "growth": growth(results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,8000")
    parser.add_argument("--profile", help="print a cProfile of one step (e.g. destroy)")
    args = parser.parse_args()
    print(json.dumps(run([int(n) for n in args.sizes.split(",")], args.profile), indent=2))


if __name__ == "__main__":
    main()
