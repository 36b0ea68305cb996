"""The import-linter contracts name every part of the package, so none escapes them."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path
from typing import Any

import reconciler

ROOT = Path(__file__).parent.parent


def _contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _top_level() -> set[str]:
    return {f"reconciler.{m.name}" for m in pkgutil.iter_modules(reconciler.__path__)}


def test_the_emulator_contract_forbids_every_other_reconciler_module() -> None:
    contract = next(c for c in _contracts() if c.get("source_modules") == ["reconciler.emulator"])
    assert set(contract["forbidden_modules"]) == _top_level() - {"reconciler.emulator"}


def test_every_package_but_the_emulator_sits_in_a_layer() -> None:
    contract = next(c for c in _contracts() if c["type"] == "layers")
    layered = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    packages = {m for m in _top_level() if not m.endswith(("__main__", "emulator"))}
    assert layered == packages
