"""One measured operation, in a process of its own: plan, apply or destroy of one project.

    python benchmarks/worker.py plan|apply|destroy DIR [--parallelism P]

It runs the stages the CLI runs (load_desired, open_client, the dialect's read, planning,
render or apply_plan) with a timer around each and prints the timings as one JSON object on stdout.
Unlike the CLI, it reads only once the manifests have loaded, so that each stage is timed alone
and `wall_s` (from loaded to finished) holds no loading: the CLI's overlap shows in the
whole-process figures of `reconciler plan`. The
harness (scale.py) measures the process from outside: its peak RSS, and its requests at the
emulator. `plan` also times build_plan twice more, alone, for the pure-planning figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from reconciler.api.connect_v1 import open_client
from reconciler.api.dialects.assistants_v1 import AssistantsV1
from reconciler.config.desired import load_desired
from reconciler.core.plan import build_plan
from reconciler.core.plan_types import Mode, Plan
from reconciler.core.render import render_text
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live, settle_heap

PLANNING_RUNS = 3


def measure(operation: str, directory: Path, parallelism: int) -> dict[str, Any]:
    mode: Mode = "destroy" if operation == "destroy" else "normal"
    started = time.perf_counter()
    desired = load_desired(directory, None, os.environ, allow_empty=mode == "destroy")
    loaded = time.perf_counter()
    connecting = open_client(directory, desired.environment, os.environ, parallelism=parallelism)
    with connecting as client:
        dialect = AssistantsV1(client, directory)
        live = dialect.read_live()
        read = time.perf_counter()
        settle_heap()  # as Session.plan does: part of planning's time
        plan = plan_live(dialect, desired, mode, (), mode == "destroy", live, fingerprinted=False)
        planned = time.perf_counter()
        statuses: Counter[str] = Counter()
        if operation == "plan":
            render_text(plan, colour=False)
        else:
            outcomes = apply_plan(plan, dialect, parallelism, progress=_quiet)
            statuses.update(outcome.status for outcome in outcomes)
        finished = time.perf_counter()
    planning = [planned - read]
    if operation == "plan":
        planning += [_time_planning(desired, live, mode) for _ in range(PLANNING_RUNS - 1)]
    return {
        "operation": operation,
        "parallelism": parallelism,
        "assistants": desired.declared,
        "files": len(desired.files),
        "load_s": loaded - started,
        "read_s": read - loaded,
        "plan_s": planned - read,
        "planning_median_s": statistics.median(planning),
        "act_s": finished - planned,
        "wall_s": finished - loaded,
        "changes": _changes(plan),
        "outcomes": dict(statuses),
    }


def _time_planning(desired: Any, live: Any, mode: Mode) -> float:
    start = time.perf_counter()
    build_plan(desired, live, mode, (), mode == "destroy", fingerprinted=False)
    return time.perf_counter() - start


def _changes(plan: Plan) -> dict[str, int]:
    return dict(Counter(f"{c.kind} {c.action}" for c in plan.changes))


def _quiet(line: str) -> None:
    """apply's progress lines are not part of what is measured."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=["plan", "apply", "destroy"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--parallelism", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(measure(args.operation, args.directory, args.parallelism)))


if __name__ == "__main__":
    main()
