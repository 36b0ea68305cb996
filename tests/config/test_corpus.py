"""The corpus of malformed projects: `reconciler validate` must reject each with exact messages.

Each folder of tests/config/corpus is a small project with:
- expected.txt: the exact lines `reconciler validate .` prints to stderr, run from that folder
  (every `path:line:column: message`, then the count line);
- args.txt (optional): extra command-line arguments, on one line.
"""

from __future__ import annotations

import os
import shlex
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.config.source import load_documents

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())
MINIMUM_CASES = 45


@pytest.fixture
def corpus_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A fixed process environment: no AZURE_* or CORPUS_* variable but CORPUS_SET=yes and
    CORPUS_EMPTY, set to an empty value."""
    for name in list(os.environ):
        if name.startswith(("AZURE_", "CORPUS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CORPUS_SET", "yes")
    monkeypatch.setenv("CORPUS_EMPTY", "")
    return monkeypatch


def _validate(case: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> Result:
    monkeypatch.chdir(case)
    return CliRunner().invoke(main, ["validate", ".", *args])


def _assert_no_traceback(result: Result) -> None:
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):
        shown = "".join(traceback.format_exception(error))
        pytest.fail(f"validate raised instead of reporting:\n{shown}")


def _declared_environments(case: Path) -> list[str]:
    path = case / "reconciler.yaml"
    if not path.is_file():
        return []
    documents, _ = load_documents(str(path), path.read_text(encoding="utf-8", errors="replace"))
    data = documents[0].data if len(documents) == 1 else None
    environments = data.get("environments") if isinstance(data, dict) else None
    return [str(name) for name in environments] if isinstance(environments, dict) else []


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= MINIMUM_CASES, [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_corpus_case(case: Path, corpus_env: pytest.MonkeyPatch) -> None:
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text(encoding="utf-8")) if args_file.is_file() else []
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()

    result = _validate(case, corpus_env, args)

    _assert_no_traceback(result)
    assert result.stderr.splitlines() == expected
    assert result.exit_code == 1
    assert result.stdout == ""


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_corpus_case_every_environment(case: Path, corpus_env: pytest.MonkeyPatch) -> None:
    for environment in _declared_environments(case):
        result = _validate(case, corpus_env, ["--env", environment])

        _assert_no_traceback(result)
        assert result.exit_code in (0, 1), (environment, result.stderr)
