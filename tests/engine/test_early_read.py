"""The live state is read while the manifests load; manifest errors still win and abandon it.

Counted by the emulator, over loopback HTTP.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import KEY
from tests.support.reads import assistant_pages

ENV = {"AZURE_OPENAI_API_KEY": KEY, "NO_COLOR": "1"}
LIST_ASSISTANTS, LIST_FILES = "GET /openai/assistants", "GET /openai/files"
# Manifests enough that loading outlasts the start of the read's threads many times over (about
# 0.2 s), while the first page, delayed 2.5 s, outlasts loading: counts, not a race.
LOADING = 200
GOOD = "kind: Assistant\nname: bot-{i}\nmodel: gpt-4\ninstructions: Help.\n"
BROKEN = "kind: Assistant\nname: broken\nmodel: gpt-4\ninstructions: Help.\ncolour: blue\n"


@pytest.fixture
def emulator() -> Emulator:
    """One that takes only the suite's key, so that a wrong key is refused."""
    return Emulator.create(api_key=KEY)


def project(root: Path, url: str, broken: bool, key_env: str | None = None, count: int = 3) -> Path:
    (root / "assistants").mkdir(parents=True)
    key = f", api_key_env: {key_env}" if key_env else ""
    (root / "reconciler.yaml").write_text(
        f"project: early\nenvironments:\n  test: {{endpoint: '{url}'{key}}}\n", encoding="utf-8"
    )
    for i in range(count):
        (root / "assistants" / f"bot-{i}.yaml").write_text(GOOD.format(i=i), encoding="utf-8")
    if broken:
        (root / "assistants" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return root


def others(api: httpx.Client, count: int) -> None:
    """Assistants of nobody: pages for the read to walk."""
    for i in range(count):
        assert api.post("/assistants", json={"model": "m", "name": f"other-{i}"}).is_success


def test_a_manifest_error_abandons_the_read_after_its_first_page_and_writes_nothing(
    tmp_path: Path, server: BackgroundServer, emulator: Emulator, api: httpx.Client
) -> None:
    others(api, 450)  # five pages
    root = project(tmp_path, server.url, broken=True, count=LOADING)
    emulator.stats.clear()
    emulator.faults.update({"latency_ms": 2500})
    result = CliRunner().invoke(main, ["apply", str(root), "--auto-approve"], env=ENV)
    assert result.exit_code == 1
    assert "assistants/broken.yaml:5:1: unknown key 'colour'" in result.output
    # Started at once, then abandoned: the pages in flight were answered, no later one was sent.
    assert emulator.stats.snapshot()["requests"] == {LIST_ASSISTANTS: 1, LIST_FILES: 1}


@pytest.mark.parametrize(
    ("broken", "shown", "hidden"),
    [(True, "unknown key 'colour'", "401"), (False, "HTTP 401", "colour")],
    ids=["manifest-errors-win", "then-the-read-s-error"],
)
def test_a_refused_read_is_reported_only_once_the_manifests_loaded(
    tmp_path: Path, server: BackgroundServer, broken: bool, shown: str, hidden: str
) -> None:
    root = project(tmp_path, server.url, broken)
    result = CliRunner().invoke(main, ["plan", str(root)], env={**ENV, "AZURE_OPENAI_API_KEY": "x"})
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert shown in result.output
    assert hidden not in result.output


def test_manifest_errors_win_over_a_missing_key(
    tmp_path: Path, server: BackgroundServer, emulator: Emulator
) -> None:
    root = project(tmp_path, server.url, broken=True, key_env="EARLY_KEY")
    result = CliRunner().invoke(main, ["plan", str(root)], env=ENV)
    assert result.exit_code == 1
    assert "unknown key 'colour'" in result.output
    assert "EARLY_KEY" not in result.output
    assert emulator.stats.snapshot()["total"] == 0


def test_the_early_read_is_the_plan_s_only_read(
    tmp_path: Path, server: BackgroundServer, emulator: Emulator, api: httpx.Client
) -> None:
    others(api, 150)
    root = project(tmp_path, server.url, broken=False)
    emulator.stats.clear()
    result = CliRunner().invoke(main, ["plan", str(root)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "3 to add" in result.output
    pages = assistant_pages(153)
    assert emulator.stats.snapshot()["requests"] == {LIST_ASSISTANTS: pages, LIST_FILES: 1}


def test_a_read_asleep_in_a_back_off_is_woken_and_abandoned(
    tmp_path: Path, server: BackgroundServer, emulator: Emulator
) -> None:
    """Throttled with a wait of a minute (capped at 20 s by the policy), the read would sleep;
    abandoned, it wakes and its next attempt is refused, unsent."""
    root = project(tmp_path, server.url, broken=True, count=LOADING)
    emulator.faults.update({"fault_429": 1.0, "retry_after_ms": 60_000})
    result = CliRunner().invoke(main, ["plan", str(root)], env=ENV)
    assert result.exit_code == 1
    assert "unknown key 'colour'" in result.output
    assert emulator.stats.snapshot()["requests"] == {LIST_ASSISTANTS: 1, LIST_FILES: 1}
    # Woken, not left asleep for the policy's 20 s: the read's thread ended with the command.
    assert "live-read" not in [thread.name for thread in threading.enumerate()]
