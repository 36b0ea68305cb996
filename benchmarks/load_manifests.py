"""Benchmark: load, validate and resolve 1,000 manifests declaring 3,000 files.

    .venv/bin/python benchmarks/load_manifests.py [--manifests N] [--repeat R]

Builds a project in a temporary folder (each manifest its own file, three distinct files
each), then times `load_desired` (YAML, models, interpolation, limits, hashing). Prints the
best and median of R runs. The goal in the manifests issue: under 2 s on one core.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build(root, args.manifests)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            state = load_desired(root, "dev", {})
            times.append(time.perf_counter() - start)
        assert state.declared == args.manifests
        assert len(state.files) == 3 * args.manifests
    print(
        f"{args.manifests} manifests, {len(state.files)} files: best {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
