"""What people read: help and outputs name assistants and agents, destroy says Destroy, drift is
headed as drift, and no line of a plan is wider than the terminal. The real command line, in a
subprocess: the output is the point."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.support.projects import copy_tree

ROOT = Path(__file__).parents[2]


def reconciler(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    chosen = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    chosen = {k: v for k, v in chosen.items() if k != "COLUMNS"} | {"NO_COLOR": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        env=chosen,
        capture_output=True,
        text=True,
        check=False,
    )


def example(name: str, tmp_path: Path) -> Path:
    copy_tree(ROOT / "examples" / name, tmp_path / name)
    return tmp_path / name


def test_help_names_assistants_and_agents(tmp_path: Path) -> None:
    main = " ".join(reconciler("--help", cwd=tmp_path).stdout.split())
    assert "for Azure OpenAI assistants (v1) and Microsoft Foundry agents." in main
    emulator = reconciler("emulator", "--help", cwd=tmp_path)
    assert "Azure OpenAI Assistants v1 and the Microsoft Foundry agents data plane" in " ".join(
        emulator.stdout.split()
    )
    for command in ("plan", "apply"):
        shown = " ".join(reconciler(command, "--help", cwd=tmp_path).stdout.split())
        assert "--target TEXT Only this assistant or agent (repeatable)." in shown


def test_foundry_destroy_says_destroy_and_names_agents(tmp_path: Path) -> None:
    project = example("foundry", tmp_path)
    assert reconciler("apply", "--env", "staging", "--auto-approve", cwd=project).returncode == 0
    destroyed = reconciler("destroy", "--env", "staging", "--auto-approve", cwd=project)
    assert destroyed.returncode == 0, destroyed.stderr
    assert destroyed.stdout.endswith("Destroy complete! Resources: 5 destroyed.\n")
    assert (
        "  # file.faq.sha256-62f34cf0ea8c.md will be destroyed (no agent or vector store uses it"
        " any more)\n" in destroyed.stdout
    )


def test_drift_in_markdown_is_headed_as_drift(tmp_path: Path) -> None:
    project = example("quickstart", tmp_path)
    drifted = reconciler("drift", "--format", "markdown", cwd=project)
    assert drifted.returncode == 2  # nothing applied: everything is missing
    assert drifted.stdout.startswith("### reconciler drift for `quickstart/local`\n")


def test_no_line_of_a_plan_is_wider_than_the_terminal(tmp_path: Path) -> None:
    """COLUMNS when set; 100 columns when output goes to a pipe and nothing says otherwise. The
    agent's definition is nested (one attribute per line), not one line of JSON."""
    project = example("foundry", tmp_path)
    narrow = reconciler("plan", "--env", "staging", cwd=project, COLUMNS="60")
    piped = reconciler("plan", "--env", "staging", cwd=project)
    assert narrow.returncode == piped.returncode == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) == 60
    assert max(len(line) for line in piped.stdout.splitlines()) == 100
    assert "        tools:\n          [0] azure_ai_search:\n" in piped.stdout
    lines = piped.stdout.splitlines()
    assert lines.index("      definition:") + 1 == lines.index("        instructions: <<-EOT")


def test_on_a_terminal_the_plan_is_as_wide_as_the_terminal(tmp_path: Path) -> None:
    """No COLUMNS: the terminal's own width (a pseudo-terminal 72 columns wide here)."""
    project = example("foundry", tmp_path)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 72, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS" and not k.startswith("AZURE_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "reconciler", "plan", "--env", "staging"],
        cwd=project,
        env=env | {"NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    shown = b""
    while chunk := _read(leader):
        shown += chunk
    assert process.wait() == 0
    os.close(leader)
    lines = shown.decode().splitlines()  # the terminal writes \r\n
    assert "Plan: 5 to add, 0 to change, 0 to destroy." in lines
    assert max(len(line) for line in lines) == 72


def _read(leader: int) -> bytes:
    try:
        return os.read(leader, 65536)
    except OSError:  # the other end closed: Linux says EIO
        return b""
