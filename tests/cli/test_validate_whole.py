"""`validate` says everything at once and connects to nothing (issue 28, deliver 3): vars are
resolved as manifest strings are (`${env:NAME}`, `${env.name}`, `${var.OTHER}`), a circle of
vars is an error at its place, an endpoint read from an unset process variable is no problem
to an offline check (plan, which connects, reports it), and out-of-range values no longer hide
the other problems of their manifest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = """project: shop
manifests: [agents/]
environments:
  dev:
    api: foundry
    endpoint: ${env:SHOP_DEV_ENDPOINT}
    vars: {model: "${env:SHOP_MODEL}", team: "${env.name}-team", a: "${var.b}", b: "${var.a}"}
"""
AGENT = """kind: Agent
name: bot-${var.team}
model: ${var.model}
instructions: For ${var.team}.
"""
BROKEN = """kind: Agent
name: bad name
model: m
temperature: 3
tools:
  - {type: function, name: "bad fn"}
  - {type: file_search, files: [gone.md], max_num_results: 100}
metadata: {reconciler.x: "1"}
"""


def cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    process = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
    process |= {"NO_COLOR": "1", "COLUMNS": "200", **env}
    command = [sys.executable, "-m", "reconciler", *args]
    return subprocess.run(
        command, check=False, cwd=root, env=process, capture_output=True, text=True
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "agents").mkdir()
    (tmp_path / "reconciler.yaml").write_text(PROJECT, "utf-8")
    (tmp_path / "agents" / "bot.yaml").write_text(AGENT, "utf-8")
    return tmp_path


def test_vars_resolve_as_strings_do_and_a_circle_is_an_error_at_its_place(root: Path) -> None:
    checked = cli(root, "validate", ".", SHOP_MODEL="gpt-4o")
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        "reconciler.yaml:7:69: variable 'a' refers to itself: ${var.a} -> ${var.b} -> ${var.a}",
        "1 error, 0 warnings.",
    ]
    unset = cli(root, "validate", ".")
    assert "reconciler.yaml:7:19: environment variable 'SHOP_MODEL' is not set" in unset.stderr


def test_validate_is_offline_whatever_the_endpoint_reads_and_plan_is_not(root: Path) -> None:
    text = (
        (root / "reconciler.yaml").read_text("utf-8").replace(', a: "${var.b}", b: "${var.a}"', "")
    )
    (root / "reconciler.yaml").write_text(text, "utf-8")
    checked = cli(root, "validate", ".", SHOP_MODEL="gpt-4o")
    assert (checked.returncode, checked.stdout) == (0, "Success! The project is valid.\n")
    planned = cli(root, "plan", ".", SHOP_MODEL="gpt-4o")
    assert planned.returncode == 1
    assert "reconciler.yaml:6:15: environment variable 'SHOP_DEV_ENDPOINT' is not set" in (
        planned.stderr
    )


def test_every_problem_of_a_manifest_in_one_run(root: Path) -> None:
    (root / "reconciler.yaml").write_text(
        PROJECT.replace(', a: "${var.b}", b: "${var.a}"', ""), "utf-8"
    )
    (root / "agents" / "broken.yaml").write_text(BROKEN, "utf-8")
    checked = cli(root, "validate", ".", SHOP_MODEL="gpt-4o")
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert lines[-1] == "6 errors, 0 warnings."
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [
        "agents/broken.yaml:2:7",  # the name (a check after the document's)
        "agents/broken.yaml:4:14",  # temperature (the document's range)
        "agents/broken.yaml:6:28",  # the function's name
        "agents/broken.yaml:7:33",  # a file that is not there
        "agents/broken.yaml:7:60",  # max_num_results (the document's range)
        "agents/broken.yaml:8:12",  # a reserved metadata key
    ]
