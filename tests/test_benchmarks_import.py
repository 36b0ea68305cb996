"""The benchmarks name only what reconciler has: every `from reconciler... import name` in
benchmarks/ resolves. mypy does not check benchmarks/ (they import one another by path, and
need the bench extras), so a name moved in reconciler/ would otherwise break them unseen."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCHMARKS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reconciler"):
                found += [(path.name, str(node.module), alias.name) for alias in node.names]
    return found


def test_the_benchmarks_import_from_reconciler() -> None:
    assert len(_imports()) > 10


@pytest.mark.parametrize(("where", "module", "name"), _imports())
def test_each_name_a_benchmark_imports_exists(where: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), (
        f"benchmarks/{where}: {module} has no {name}"
    )
