"""The import-linter contract that keeps the emulator apart must name every other module."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import reconciler

ROOT = Path(__file__).parent.parent


def test_the_emulator_contract_forbids_every_other_reconciler_module() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["source_modules"] == ["reconciler.emulator"]
    )
    modules = {
        f"reconciler.{m.name}"
        for m in pkgutil.iter_modules(reconciler.__path__)
        if m.name != "emulator"
    }
    assert set(contract["forbidden_modules"]) == modules
