"""`reconciler --version`: the installed distribution's version and the git revision it was
built from.

The version is the package metadata's (pyproject takes it from `reconciler.__version__`). The
revision reaches an installed wheel as a module: the project's build backend
(build_backend/revision_backend.py) writes `reconciler/cli/_revision.py` from `git rev-parse HEAD`
before setuptools builds the sdist or the wheel, so the sdist carries it and a wheel built from
that sdist (no .git there) keeps it. The Action installs from its tag's files, which have no
.git: it passes the ref it was used by (RECONCILER_BUILD_REVISION), shown whole. A source
checkout (an editable install) asks git itself, so that its answer follows each commit; a tree
with none of these says so.
"""

from __future__ import annotations

import importlib
import re
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from reconciler import __version__

DISTRIBUTION = "assistants-reconciler"
SHOWN = 12  # hex digits of the revision shown, as `git log --abbrev=12`
HEX = re.compile(r"[0-9a-f]{13,64}")  # a commit; a ref (the Action's tag) is shown whole


def version_line() -> str:
    revision = checkout_revision() or built_revision()
    if revision and HEX.fullmatch(revision):
        revision = revision[:SHOWN]
    built = f"git {revision}" if revision else "git revision unknown"
    return f"reconciler, version {installed_version()} ({built})"


def installed_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a tree that was never installed
        return __version__


def built_revision() -> str | None:
    """What the build recorded, if this is an installed build."""
    try:
        module = importlib.import_module("reconciler.cli._revision")
    except ImportError:
        return None
    revision = getattr(module, "REVISION", None)
    return revision if isinstance(revision, str) and revision else None


def checkout_revision(package: Path = Path(__file__).parents[1]) -> str | None:
    """HEAD of the git checkout the package is in, when it is the checkout's own package."""
    root = package.parent
    if not (root / ".git").exists():
        return None
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None
