"""The local emulator's data file: corrupt, truncated or read-only, and a project folder that
cannot be written, each give one line naming the file and what to do."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.broken import invoke, project, run

FIX_DB = (
    "delete it to start the local emulator empty (what it held is lost), or restore it from a copy."
)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Really read-only, for root too: the permission bits stop others, the immutable flag
    stops root (who is exempt from permission bits)."""
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    root = os.geteuid() == 0
    if root:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


@pytest.fixture
def applied(tmp_path: Path) -> Path:
    """A local project with something applied, so its local.db exists and holds objects."""
    directory = project(tmp_path / "p", "local")
    assert invoke("apply", str(directory), "--auto-approve").returncode == 0
    return directory


def test_a_corrupt_local_db_names_the_file_and_what_to_do(applied: Path) -> None:
    db = applied / ".reconciler/local.db"
    db.write_bytes(b"not a database at all, just text" * 100)
    result = run("plan", "p", cwd=applied.parent)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: p/.reconciler/local.db is not a usable emulator database "
        f"(file is not a database): {FIX_DB}\n"
    )


def test_a_truncated_local_db_names_the_file_and_what_to_do(applied: Path) -> None:
    db = applied / ".reconciler/local.db"
    shutil.copy(db, applied / "full.db")
    db.write_bytes((applied / "full.db").read_bytes()[:5000])
    result = invoke("plan", str(applied))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {db} is not a usable emulator database (")
    assert result.stderr.endswith(f"): {FIX_DB}\n")


@pytest.mark.parametrize("which", [".reconciler/local.db", ".reconciler"])
def test_a_read_only_local_db_or_its_folder_is_said_plainly(applied: Path, which: str) -> None:
    state = applied / ".reconciler"
    with read_only(applied / which):
        result = invoke("plan", str(applied))
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {state}/local.db cannot be written (read-only file or folder): make {state} "
        "and the files in it writable, the local emulator stores its data there.\n",
    )


def test_a_read_only_project_folder_is_said_plainly(tmp_path: Path) -> None:
    directory = project(tmp_path / "p", "local")
    with read_only(directory):
        result = invoke("plan", str(directory))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot create {directory}/.reconciler: ")
    assert result.stderr.endswith(
        ". The local emulator keeps its data there: make the project folder writable, "
        "or use an endpoint URL instead of local.\n"
    )
