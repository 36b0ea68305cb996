"""The Foundry scenario: a no-op `reconciler plan` of A agents beside a 16-thread SDK script.

For each A (100, 300, 1000) a project of A agents, each with a file_search over two files of
its own (so A knowledge stores of two files), is applied at no latency; then, at 50 ms, the
no-op plan (`reconciler plan --parallelism 16`, a whole process) and the anchor
(foundry_anchor.py: azure-ai-projects 2.10 with 16 threads, run by the .venv-foundry
interpreter, scripts/foundry-venv) run interleaved, medians of 5 (3 at A = 1000). The emulator
serves https here (its own throwaway CA): the SDK sends no bearer token over plain http.

Requests of the plan (tests/engine/test_requests.py): agents ceil(A/100) + 1 pages, stores
ceil(A/100), files 1, a file list per store (A), connections 1, deployments 1. Its network
floor: the longest chain of pages, (ceil(A/100) + 1) round trips, or the store pages then
ceil(A/16) waves of store file lists, whichever is longer.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from emulated import EmulatorProcess, run_child

from reconciler.emulator.core.tls import make_certificate

HERE = Path(__file__).resolve().parent
ANCHOR = HERE / "foundry_anchor.py"
SIZES, QUICK_SIZES = (100, 300, 1000), (20, 100)
LATENCY_MS = 50
PARALLELISM = 16
PAGE = 100
TOKEN_ENV = "BENCH_FOUNDRY_TOKEN"
PROJECT = "bench"
AGENT = """kind: Agent
name: agent-{i:04}
model: gpt-4o
instructions: You answer questions of team {i} from its two knowledge files, briefly.
tools:
  - type: file_search
    files: [../docs/{i:04}/policy.md, ../docs/{i:04}/faq.md]
metadata: {{team: team-{i}}}
"""


def write_project(root: Path, count: int, url: str) -> None:
    (root / "agents").mkdir(parents=True)
    endpoint = f"{url}/api/projects/{PROJECT}"
    (root / "reconciler.yaml").write_text(
        f"project: {PROJECT}\nmanifests: [agents/]\nenvironments:\n"
        f"  bench: {{api: foundry, endpoint: '{endpoint}', ad_token_env: {TOKEN_ENV}}}\n",
        encoding="utf-8",
    )
    for i in range(count):
        docs = root / "docs" / f"{i:04}"
        docs.mkdir(parents=True)
        (docs / "policy.md").write_text(f"# Policy of team {i}\n\nReturns in 30 days.\n")
        (docs / "faq.md").write_text(f"# FAQ of team {i}\n\nAsk us anything.\n")
        (root / "agents" / f"agent-{i:04}.yaml").write_text(AGENT.format(i=i), encoding="utf-8")


def plan_requests(count: int) -> int:
    """Agent pages (+1), store pages, the file list, each store's files, connections and
    deployments, and the toolboxes list (tests/engine/test_requests.py states the same)."""
    pages = math.ceil(count / PAGE)
    return (pages + 1) + max(1, pages) + 1 + count + 2 + 1


def floor_s(count: int) -> float:
    pages = math.ceil(count / PAGE)
    stores = max(1, pages) + math.ceil(count / PARALLELISM)
    return max(pages + 1, stores) * LATENCY_MS / 1000


def foundry_python() -> str:
    """The Foundry SDK environment's interpreter (built, once, by scripts/foundry-venv)."""
    script = HERE.parent / "scripts" / "foundry-venv"
    built = subprocess.run([str(script)], capture_output=True, text=True, check=True)
    return str(HERE.parent / built.stdout.strip().splitlines()[-1])


def repeats(count: int) -> int:
    return 3 if count >= 1000 else 5


def run(folder: Path, sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """Every A, measured against one https emulator; the emulator's latency 0 while applying."""
    python = foundry_python()
    tls = make_certificate(folder / "tls")
    assert tls.ca is not None
    env = {TOKEN_ENV: "bench-token", "SSL_CERT_FILE": str(tls.ca), "NO_COLOR": "1"}
    results = []
    with EmulatorProcess(0, folder / "foundry-emulator.log", tls=tls) as emulator:
        for count in sizes:
            emulator.reset()
            emulator.set_latency(0)
            root = folder / f"foundry-{count}"
            write_project(root, count, emulator.url)
            apply = [sys.executable, "-m", "reconciler", "apply", str(root), "--auto-approve"]
            _check(run_child([*apply, "--parallelism", str(PARALLELISM)], env))
            emulator.set_latency(LATENCY_MS)
            results.append(_no_op(emulator, python, root, count, env, str(tls.ca)))
            print(f"Foundry {LATENCY_MS} ms, A = {count}: measured", flush=True)
    return results


def _no_op(
    emulator: EmulatorProcess, python: str, root: Path, count: int, env: dict[str, str], ca: str
) -> dict[str, Any]:
    plan = [sys.executable, "-m", "reconciler", "plan", str(root), "--detailed-exitcode"]
    plan += ["--parallelism", str(PARALLELISM)]
    endpoint = f"{emulator.url}/api/projects/{PROJECT}"
    sdk = [python, str(ANCHOR), str(root), endpoint, ca]
    runs: dict[str, list[dict[str, Any]]] = {"plan": [], "sdk": []}
    for _ in range(repeats(count)):
        for name, command in (("plan", plan), ("sdk", sdk)):
            before = emulator.counts()
            child = run_child(command, env)
            _check(child)
            requests = sum((emulator.counts() - before).values())
            runs[name].append({"process_s": child.wall_s, "cpu_s": child.cpu_s, "total": requests})
    if any(r["total"] != plan_requests(count) for r in runs["plan"]):
        raise RuntimeError(f"the Foundry no-op plan sent other than {plan_requests(count)}: {runs}")
    median = {
        name: {
            k: statistics.median(r[k] for r in measured) for k in ("process_s", "cpu_s", "total")
        }
        for name, measured in runs.items()
    }
    return {
        "a": count,
        "latency_ms": LATENCY_MS,
        "expected_total": plan_requests(count),
        "floor_s": floor_s(count),
        "runs": len(runs["plan"]),
        **median,
        "plan_over_sdk": median["plan"]["process_s"] / median["sdk"]["process_s"],
    }


def _check(child: Any) -> None:
    if child.returncode != 0:
        raise RuntimeError(f"exited {child.returncode}:\n{child.stderr}\n{child.stdout}")
