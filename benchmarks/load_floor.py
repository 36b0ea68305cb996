"""The load stage's floor: what any loader of a project's manifests has to do, written by hand.

    .venv/bin/python benchmarks/load_floor.py PROJECT_DIR [--env NAME]

Reads reconciler.yaml for the manifests' folders and the environment's variables, then, for
every manifest: reads it, composes it with libyaml (PyYAML's C composer) keeping the line and
column of every value and key, interpolates `${var.NAME}`, `${env:NAME}` and `${env.name}` in
every string, and hashes each declared file (every string under a `files` key, once each). No
validation, no limits, no error messages: a floor, not a loader. `load_manifests.py` times
`load_desired` beside it (the issue's target: the stage within 1.8x this floor).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{([^{}]*)\}")
Positions = dict[tuple[Any, ...], tuple[int, int]]


def build(node: yaml.Node, path: tuple[Any, ...], positions: Positions) -> Any:
    """Plain data from a node, each value's position recorded by its path."""
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        built = {}
        for key, value in node.value:
            positions[(*path, key.value, "key")] = (key.start_mark.line + 1, 0)
            built[key.value] = build(value, (*path, key.value), positions)
        return built
    if isinstance(node, yaml.SequenceNode):
        return [build(item, (*path, i), positions) for i, item in enumerate(node.value)]
    return node.value


def interpolate(data: Any, values: Mapping[str, str]) -> Any:
    if isinstance(data, str):
        return (
            EXPRESSION.sub(lambda m: values.get(m.group(1).strip(), ""), data)
            if "$" in data
            else data
        )
    if isinstance(data, dict):
        return {k: interpolate(v, values) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate(v, values) for v in data]
    return data


def declared(data: Any) -> list[str]:
    """Every string under a `files` key, anywhere."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "files" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += declared(value)
    elif isinstance(data, list):
        for item in data:
            found += declared(item)
    return found


def manifests(root: Path, entries: list[str]) -> list[Path]:
    found = []
    for entry in entries:
        for folder, subfolders, names in os.walk(root / entry):
            subfolders[:] = [s for s in subfolders if not s.startswith(".")]
            found += [Path(folder, n) for n in names if n.endswith((".yaml", ".yml"))]
    return sorted(found)


def load(root: Path, environment: str) -> tuple[int, int]:
    """(manifests, files hashed)."""
    project = yaml.load((root / "reconciler.yaml").read_text(encoding="utf-8"), yaml.CSafeLoader)
    variables = project["environments"][environment].get("vars", {})
    values = {f"var.{k}": str(v) for k, v in variables.items()}
    values |= {f"env:{k}": v for k, v in os.environ.items()} | {"env.name": environment}
    digests: dict[str, str] = {}
    count = 0
    for path in manifests(root, project.get("manifests", ["."])):
        text = path.read_text(encoding="utf-8")
        for node in yaml.compose_all(text, yaml.CSafeLoader):
            positions: Positions = {}
            data = interpolate(build(node, (), positions), values)
            count += 1
            for name in declared(data):
                file = os.path.normpath(os.path.join(path.parent, name))
                if file not in digests:
                    with open(file, "rb") as stream:
                        digests[file] = hashlib.file_digest(stream, "sha256").hexdigest()
    return count, len(digests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--env", default="dev")
    args = parser.parse_args()
    started = time.perf_counter()
    count, files = load(args.project, args.env)
    print(f"{count} manifests, {files} files: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
