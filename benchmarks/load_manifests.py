"""Benchmark: load, validate and resolve 1,000 manifests declaring 3,000 files, beside the floor.

    .venv/bin/python benchmarks/load_manifests.py [--manifests N] [--repeat R]

Builds a project in a temporary folder (each manifest its own file, three distinct files
each), then times `load_desired` (YAML, models, interpolation, limits, hashing) and the floor
script (load_floor.py: read, compose with positions, interpolate, hash; nothing else),
interleaved in one process, each after a full collection. Prints the medians of R runs of
each and their ratio (the issue's target: at most 1.8 at N = 1000 and 5000).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from load_floor import load as load_floor

from reconciler.config.desired import load_desired

MANIFEST = """kind: Assistant
name: bot-{i}
display_name: Bot {i} (${{env.name}})
model: ${{var.model}}
description: Answers questions for team {i}
instructions: You help team {i}. Be brief.
tools:
  - type: code_interpreter
  - type: function
    function:
      name: lookup_order
      description: Find an order
      parameters: {{type: object, properties: {{id: {{type: string}}}}, required: [id]}}
files: [docs/{i}/a.md, docs/{i}/b.csv, docs/{i}/c.txt]
metadata: {{team: team-{i}, tier: "${{var.tier}}"}}
"""


def build(root: Path, count: int) -> None:
    (root / "reconciler.yaml").write_text(
        "project: bench\nmanifests: [assistants/]\nenvironments:\n"
        "  dev: {endpoint: local, vars: {model: gpt-4, tier: dev}}\n",
        encoding="utf-8",
    )
    for i in range(count):
        folder = root / "assistants" / "docs" / str(i)
        folder.mkdir(parents=True)
        for name in ("a.md", "b.csv", "c.txt"):
            (folder / name).write_text(f"{name} of bot {i}\n" * 20, encoding="utf-8")
        (root / "assistants" / f"bot-{i}.yaml").write_text(MANIFEST.format(i=i), encoding="utf-8")


def compare(count: int, repeat: int) -> dict[str, float | int]:
    """Medians of `repeat` interleaved runs of the load stage and of the floor, in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build(root, count)
        stage: list[float] = []
        floor: list[float] = []
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            state = load_desired(root, "dev", {})
            stage.append(time.perf_counter() - start)
            assert state.declared == count
            assert len(state.files) == 3 * count
            del state
            gc.collect()
            start = time.perf_counter()
            assert load_floor(root, "dev") == (count, 3 * count)
            floor.append(time.perf_counter() - start)
    load_s, floor_s = statistics.median(stage), statistics.median(floor)
    return {
        "n": count,
        "runs": repeat,
        "load_s": load_s,
        "floor_s": floor_s,
        "ratio": load_s / floor_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    got = compare(args.manifests, args.repeat)
    print(
        f"{args.manifests} manifests, {3 * args.manifests} files: load {got['load_s']:.3f} s, "
        f"floor {got['floor_s']:.3f} s, ratio {got['ratio']:.2f} (medians of {args.repeat})"
    )


if __name__ == "__main__":
    main()
