"""The README's main command: plan -> apply -> plan on the quickstart, three separate processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.projects import copy_tree

ROOT = Path(__file__).parents[2]


def reconciler(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")} | {"NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_readme_main_command_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].splitlines()[0]
    steps = [
        step.split("/bin/reconciler ", 1)[1]
        for step in first.split(" && ")
        if "/bin/reconciler " in step
    ]
    assert steps == [
        "plan examples/quickstart",
        "apply examples/quickstart --auto-approve",
        "plan examples/quickstart",
    ]
    copy_tree(ROOT / "examples", tmp_path / "examples")  # without any local state
    results = [reconciler(*step.split(), cwd=tmp_path) for step in steps]
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert results[0].stdout.rstrip().endswith("Plan: 2 to add, 0 to change, 0 to destroy.")
    assert (
        results[1]
        .stdout.rstrip()
        .endswith("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.")
    )
    assert results[2].stdout == "No changes. The live objects match the manifests.\n"
    assert (tmp_path / "examples/quickstart/.reconciler/local.db").is_file()
    assert re.search(
        r"\.reconciler/", (ROOT / "examples/quickstart/.gitignore").read_text(encoding="utf-8")
    )


def test_the_copy_leaves_out_state_that_running_the_readme_left_behind(tmp_path: Path) -> None:
    """The README's first command writes examples/quickstart/.reconciler/local.db; a copy for a
    test must not carry it (it made the second command fail after the first)."""
    source = tmp_path / "examples/quickstart"
    (source / ".reconciler").mkdir(parents=True)
    (source / ".reconciler/local.db").write_bytes(b"state of an earlier run")
    (source / "reconciler.yaml").write_text("project: quickstart\n", encoding="utf-8")
    copy_tree(tmp_path / "examples", tmp_path / "copy")
    assert sorted(p.name for p in (tmp_path / "copy/quickstart").iterdir()) == ["reconciler.yaml"]
