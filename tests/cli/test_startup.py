"""Start-up imports only what the command that runs needs (cli/lazy.py).

Each check runs the command in a fresh interpreter (the suite's own has everything loaded) and
reads `sys.modules` once it is done.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.cli.commands import FORMATS
from reconciler.core.render import RENDERERS

RUN = """
import json, sys
from reconciler.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "modules": sorted(k for k, v in sys.modules.items() if v)}))
"""
# What connecting, planning, adopting and serving load: validate and schema need none of it.
NOT_FOR_OFFLINE = (
    "httpx",
    "httpcore",
    "starlette",
    "uvicorn",
    "deepdiff",
    "cryptography",
    "reconciler.api.client",
    "reconciler.api.connect",
    "reconciler.api.dialects",
    "reconciler.api.foundry_client",
    "reconciler.adoption",
    "reconciler.cli.ci",
    "reconciler.cli.importer",
    "reconciler.cli.migrate",
    "reconciler.emulator",
    "reconciler.engine",
)


def loaded(tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    answer = json.loads(result.stdout.splitlines()[-1])
    return answer["code"], set(answer["modules"])


def project(root: Path) -> Path:
    (root / "reconciler.yaml").write_text(
        "project: p\nenvironments:\n  dev: {endpoint: local}\n", encoding="utf-8"
    )
    (root / "bot.yaml").write_text("kind: Assistant\nname: bot\nmodel: m\n", encoding="utf-8")
    return root


def offenders(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if any(m == n or m.startswith(f"{n}.") for n in NOT_FOR_OFFLINE)
    )


@pytest.mark.parametrize("args", [["validate", "."], ["schema", "--kind", "manifest"]])
def test_offline_commands_load_nothing_of_the_network_planner_or_emulator(
    tmp_path: Path, args: list[str]
) -> None:
    code, modules = loaded(project(tmp_path), *args)
    assert code == 0
    assert "reconciler.config.manifest" in modules or args[0] == "schema"
    assert offenders(modules) == []


def test_plan_loads_the_connection_but_not_the_emulator_s_other_commands(tmp_path: Path) -> None:
    # `local` serves the emulator in-process: plan loads it, but not `ci`, `import` or `migrate`.
    code, modules = loaded(project(tmp_path), "plan", ".")
    assert code == 0
    assert {"httpx", "reconciler.engine.pipeline", "reconciler.emulator.server"} <= modules
    assert not {"reconciler.cli.ci", "reconciler.cli.importer", "reconciler.cli.migrate"} & modules
    assert not any(m.startswith("reconciler.adoption") for m in modules)
    # httpx's own command line (rich, pygments) is left out (cli/startup.py).
    assert not {"httpx._main", "rich", "pygments"} & modules


def test_a_lazy_command_still_parses_its_own_options(tmp_path: Path) -> None:
    code, modules = loaded(tmp_path, "migrate", "--help")
    assert code == 0
    assert "reconciler.cli.migrate" in modules
    assert "reconciler.cli.importer" not in modules


def test_the_plan_formats_offered_are_the_renderers() -> None:
    assert tuple(sorted(RENDERERS)) == FORMATS
