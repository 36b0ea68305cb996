"""setuptools' build backend, which first records the git revision being built.

`reconciler --version` shows the revision a wheel was built from (reconciler/version.py). Before
setuptools builds an sdist or a wheel, this writes `reconciler/cli/_revision.py` (ignored by git)
from `git rev-parse HEAD` of the project's own checkout. An sdist carries the file, so a wheel
built from it, where there is no .git, keeps the revision of the tree the sdist was made from.
An editable install records nothing: its checkout answers for itself.

PEP 517's in-tree backend (pyproject: build-backend, backend-path); everything else is
setuptools.build_meta's.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403 - every other hook, as setuptools has it

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "reconciler" / "cli" / "_revision.py"
REVISION_VARIABLE = "RECONCILER_BUILD_REVISION"
SAFE = re.compile(r"[A-Za-z0-9._/+-]{1,100}")  # a SHA or a ref: nothing to escape in the record


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def record_revision() -> None:
    """Write the revision when ROOT is a checkout's top (not a folder inside another project's
    repository, as an unpacked sdist may be). Without one, RECONCILER_BUILD_REVISION, when set:
    the GitHub Action installs from its tag's files, which have no .git, and passes the ref it
    was used by. Otherwise keep the record the sdist brought."""
    top = _git("rev-parse", "--show-toplevel")
    revision = _git("rev-parse", "HEAD")
    if top is None or revision is None or Path(top).resolve() != ROOT:
        revision = os.environ.get(REVISION_VARIABLE, "").strip()
        if not SAFE.fullmatch(revision):
            return
    RECORD.write_text(
        '"""The git revision this build was made from (build_backend/revision_backend.py)."""\n\n'
        f'REVISION = "{revision}"\n',
        encoding="utf-8",
    )


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    record_revision()
    return build_meta.build_sdist(sdist_directory, config_settings)


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    record_revision()
    return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
