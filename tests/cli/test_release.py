"""A release users can pin: the sdist and wheel the release workflow builds pass `twine check`,
carry the git revision they were built from, and `reconciler --version` in the installed wheel
says both; the CHANGELOG, the Action's tag in the examples and the release workflow agree with
the version.

The build runs on a copy of the project committed to a throwaway repository, so its revision is
known and differs from the checkout's: the wheel can only show it if the revision travelled
through the sdist into the wheel built from it (where there is no .git).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from reconciler import __version__
from reconciler.cli.version import checkout_revision

ROOT = Path(__file__).parents[2]
RECORD = "reconciler/cli/_revision.py"
GIT = ["git", "-c", "user.name=release-test", "-c", "user.email=release-test@example.invalid"]


def sh(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def committed_copy(tree: Path) -> str:
    """The project's files (tracked, and new ones not ignored) in a new repository; its HEAD."""
    listed = sh("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_bytes(source.read_bytes())
    sh(*GIT, "init", "-q", cwd=tree)
    sh(*GIT, "add", "-A", cwd=tree)
    sh(*GIT, "commit", "-q", "-m", "release test", cwd=tree)
    return sh("git", "rev-parse", "HEAD", cwd=tree).strip()


def test_the_built_wheel_says_its_version_and_revision_and_passes_twine_check(
    tmp_path: Path,
) -> None:
    tree, dist = tmp_path / "tree", tmp_path / "dist"
    revision = committed_copy(tree)
    # As the release workflow builds: the sdist, then the wheel from the sdist.
    sh(sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(tree), cwd=tree)
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    assert sdist.name == f"assistants_reconciler-{__version__}.tar.gz"
    assert wheel.name == f"assistants_reconciler-{__version__}-py3-none-any.whl"
    sh(sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel), cwd=tmp_path)
    record = f'REVISION = "{revision}"'
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"assistants_reconciler-{__version__}/{RECORD}")
        assert member is not None
        assert record in member.read().decode()
    with zipfile.ZipFile(wheel) as archive:
        assert record in archive.read(RECORD).decode()
        metadata = archive.read(f"assistants_reconciler-{__version__}.dist-info/METADATA").decode()
    assert "Summary: GitOps for Azure OpenAI assistants and Microsoft Foundry agents" in metadata
    # The wheel, first on the path (a wheel of pure Python imports from its zip): its own
    # metadata and recorded revision, not this checkout's.
    env = {**os.environ, "PYTHONPATH": str(wheel)}
    shown = sh(sys.executable, "-m", "reconciler", "--version", cwd=tmp_path, env=env)
    assert shown == f"reconciler, version {__version__} (git {revision[:12]})\n"
    assert revision != checkout_revision()


def test_the_action_s_files_have_no_git_so_its_ref_stands_for_the_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Action installs from its tag's files (no .git) and passes github.action_ref; an
    sdist's tree keeps the record it brought when there is neither."""
    (tmp_path / "build_backend").mkdir()
    (tmp_path / "reconciler" / "cli").mkdir(parents=True)
    source = (ROOT / "build_backend" / "revision_backend.py").read_text(encoding="utf-8")
    (tmp_path / "build_backend" / "revision_backend.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(
        "copied_backend", tmp_path / "build_backend" / "revision_backend.py"
    )
    assert spec is not None
    assert spec.loader is not None
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    record = tmp_path / RECORD
    monkeypatch.delenv("RECONCILER_BUILD_REVISION", raising=False)
    backend.record_revision()
    assert not record.exists()  # no git, no ref: nothing is made up
    monkeypatch.setenv("RECONCILER_BUILD_REVISION", "v0.2.0")
    backend.record_revision()
    assert 'REVISION = "v0.2.0"' in record.read_text(encoding="utf-8")
    monkeypatch.setenv("RECONCILER_BUILD_REVISION", 'v1"; import os #')
    record.unlink()
    backend.record_revision()
    assert not record.exists()  # only a SHA or a ref is written into the module


def test_a_checkout_shows_its_own_head() -> None:
    head = sh("git", "rev-parse", "HEAD", cwd=ROOT).strip()
    shown = sh(sys.executable, "-m", "reconciler", "--version", cwd=ROOT)
    assert shown == f"reconciler, version {__version__} (git {head[:12]})\n"


def test_the_changelog_has_this_version_and_the_examples_pin_its_tag() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    [top] = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.MULTILINE)[:1]
    assert top == __version__
    for path in (ROOT / "examples" / "github").glob("*.yml"):
        tags = re.findall(r"uses: your-org/reconciler@(\S+)", path.read_text(encoding="utf-8"))
        assert tags, path.name
        assert set(tags) == {f"v{__version__}"}, path.name
    readme = (ROOT / "examples" / "github" / "README.md").read_text(encoding="utf-8")
    assert f"your-org/reconciler@v{__version__}" in readme


def test_the_release_workflow_builds_checks_and_publishes_with_trusted_publishing() -> None:
    workflow = YAML(typ="safe").load(
        (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    )
    on = workflow.get("on", workflow.get(True))
    assert on["push"]["tags"] == ["v*.*.*"]
    jobs = workflow["jobs"]
    build = " ".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build
    assert "twine check --strict" in build
    assert 'test "v$version" = "$GITHUB_REF_NAME"' in build  # the tag is the package's version
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no token
    assert publish["environment"]["name"] == "pypi"
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert any(use.startswith("pypa/gh-action-pypi-publish@") for use in uses)
    assert "secrets" not in (ROOT / ".github" / "workflows" / "release.yml").read_text(
        encoding="utf-8"
    )
