"""Faults, interruptions and races: every apply converges, nothing is duplicated or leaked,
nothing that is not ours is touched, no key is ever printed, bad input sends no change."""

from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.core.kinds.file import parse_name
from reconciler.emulator import Emulator, FaultSettings
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import ENV, azure_client
from tests.support.watch import Watched

FAULTS = {
    "fault_500": 0.10,
    "fault_429": 0.05,
    "fault_drop": 0.03,
    "fault_lost": 0.03,
    "retry_after_ms": 2,
}
NO_FAULTS = {"fault_500": 0.0, "fault_429": 0.0, "fault_drop": 0.0, "fault_lost": 0.0}


def make_project(root: Path, url: str, assistants: int, files: int) -> Path:
    """`assistants` assistants, each using three of `files` shared files."""
    project = root / "soak"
    (project / "docs").mkdir(parents=True)
    (project / "reconciler.yaml").write_text(
        f"project: soak\nenvironments:\n  dev: {{endpoint: '{url}'}}\n", encoding="utf-8"
    )
    for i in range(files):
        (project / "docs" / f"doc{i}.md").write_text(f"# Document {i}\n" * 5, encoding="utf-8")
    documents = []
    for i in range(assistants):
        used = sorted({f"docs/doc{(i * 7 + k) % files}.md" for k in range(3)})
        documents.append(
            f"kind: Assistant\nname: bot-{i}\nmodel: gpt-4\ninstructions: Help team {i}.\n"
            f"tools: [{{type: code_interpreter}}]\nfiles: [{', '.join(used)}]\nmetadata: {{team: t{i % 5}}}\n"
        )
    (project / "bots.yaml").write_text("---\n".join(documents), encoding="utf-8")
    return project


def seed_unmanaged(api: httpx.Client) -> dict[str, Any]:
    """Objects that belong to nobody: the same before and after everything."""
    upload = api.post(
        "/files",
        files={"file": ("doc0.aaaaaaaaaaaa.txt", b"not ours")},
        data={"purpose": "assistants"},
    )
    file_id = upload.json()["id"]
    for name in ("Hand made", "Other team"):
        api.post(
            "/assistants",
            json={
                "model": "m",
                "name": name,
                "file_ids": [file_id],
                "metadata": {"owner": "alice"},
            },
        )
    api.post(
        "/assistants",
        json={
            "model": "m",
            "name": "Other env",
            "metadata": {"reconciler.owner": "soak/prod", "reconciler.name": "bot-0"},
        },
    )
    return snapshot_unmanaged(api)


def everything(api: httpx.Client) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100, "order": "asc"}
    while page := api.get("/assistants", params=params).json()["data"]:
        found += page
        params["after"] = page[-1]["id"]
    return found, api.get("/files").json()["data"]


def snapshot_unmanaged(api: httpx.Client) -> dict[str, Any]:
    assistants, files = everything(api)
    theirs = [a for a in assistants if a["metadata"].get("reconciler.owner") != "soak/dev"]
    used = {i for a in theirs for i in a["file_ids"]}
    return {"assistants": theirs, "files": [f for f in files if f["id"] in used]}


def check_converged(api: httpx.Client, project: Path, expected: int) -> None:
    assistants, files = everything(api)
    ours = [a for a in assistants if a["metadata"].get("reconciler.owner") == "soak/dev"]
    names = Counter(a["metadata"]["reconciler.name"] for a in ours)
    assert len(names) == expected
    assert [n for n, c in names.items() if c > 1] == []  # no duplicates
    declared = {(p.stem, p.suffix) for p in (project / "docs").iterdir()}
    used = {i for a in assistants for i in a["file_ids"]}
    orphans = [
        f["filename"]
        for f in files
        if (address := parse_name(f["filename"])) is not None
        and address.family in declared
        and f["id"] not in used
    ]
    assert orphans == []  # no unreferenced file of ours


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["--max-attempts", "10", *args], env=ENV)


def converge(command: str, project: Path, tries: int = 2) -> int:
    """Run apply (or destroy) until plan says no changes; returns how many runs it took."""
    mode = [] if command == "apply" else ["--allow-empty"]
    for attempt in range(1, tries + 1):
        run(command, str(project), "--auto-approve")
        if command == "destroy":
            return attempt
        if run("plan", str(project), "--detailed-exitcode", *mode).exit_code == 0:
            return attempt
    raise AssertionError(f"{command} did not converge in {tries} runs")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_soak_apply_and_destroy_through_faults(tmp_path: Path, seed: int) -> None:
    emulator = Emulator.create()
    with BackgroundServer(emulator) as server, azure_client(server.url) as api:
        project = make_project(tmp_path, server.url, assistants=100, files=50)
        before = seed_unmanaged(api)
        emulator.stats.clear()
        emulator.faults.update({**FAULTS, "seed": seed})
        runs = converge("apply", project)
        emulator.faults.update(NO_FAULTS)
        assert runs <= 2
        # Without faults: 2 assistant pages + 1 file list, 50 uploads, 100 creates, then a plan.
        fault_free = 3 + 50 + 100 + 3
        assert emulator.stats.snapshot()["total"] > fault_free * 1.1  # the faults did bite
        assert run("plan", str(project), "--detailed-exitcode").exit_code == 0
        check_converged(api, project, expected=100)
        assert snapshot_unmanaged(api) == before
        emulator.faults.update({**FAULTS, "seed": seed + 100})
        for _ in range(3):
            run("destroy", str(project), "--auto-approve")
        emulator.faults.update(NO_FAULTS)
        assistants, files = everything(api)
        assert {a["id"] for a in assistants} == {a["id"] for a in before["assistants"]}
        assert {f["id"] for f in files} == {f["id"] for f in before["files"]}


def spawn(project: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "reconciler", "apply", str(project), "--auto-approve", *args]
    env = {**ENV, "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_an_apply_killed_at_a_random_point_is_finished_by_the_next(
    tmp_path: Path, seed: int
) -> None:
    emulator = Emulator.create(faults=FaultSettings(latency_ms=5))
    kill_after = random.Random(seed).randint(3, 35)  # requests seen before SIGKILL
    watched = Watched(emulator, lambda stats: stats["total"] >= kill_after)
    with BackgroundServer(watched) as server, azure_client(server.url) as api:
        project = make_project(tmp_path, server.url, assistants=30, files=15)
        child = spawn(project)
        watched.or_exit_of(child)
        assert watched.reached.wait(60)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        emulator.faults.update({"latency_ms": 0})
        assert converge("apply", project, tries=1) == 1
        check_converged(api, project, expected=30)


def test_two_applies_at_once_converge_without_duplicates_after_the_next(tmp_path: Path) -> None:
    emulator = Emulator.create(faults=FaultSettings(latency_ms=2))
    with BackgroundServer(emulator) as server, azure_client(server.url) as api:
        project = make_project(tmp_path, server.url, assistants=20, files=10)
        first, second = spawn(project), spawn(project)
        assert {first.wait(timeout=60), second.wait(timeout=60)} <= {0, 1}
        emulator.faults.update({"latency_ms": 0})
        assert converge("apply", project, tries=1) == 1
        check_converged(api, project, expected=20)


CANARY = "canary-7f3a9c-SECRET-key"


def test_the_key_never_shows_in_any_output_or_plan_file(tmp_path: Path) -> None:
    emulator = Emulator.create(faults=FaultSettings(fault_429=0.3, retry_after_ms=1, seed=4))
    with BackgroundServer(emulator) as server:
        project = make_project(tmp_path, server.url, assistants=3, files=3)
        env = {**ENV, "AZURE_OPENAI_API_KEY": CANARY}
        out = tmp_path / "plan.json"
        runs = [
            ["--verbose", "validate", str(project)],
            ["--verbose", "--debug", "plan", str(project), "--out", str(out)],
            ["plan", str(project), "--format", "json"],
            ["plan", str(project), "--format", "markdown"],
            ["--verbose", "apply", str(project), "--auto-approve"],
            ["--debug", "plan", str(project), "--detailed-exitcode"],
            ["--verbose", "--debug", "destroy", str(project), "--auto-approve"],
        ]
        outputs = [CliRunner().invoke(main, args, env=env) for args in runs]
    with BackgroundServer(Emulator.create(api_key="another-key")) as server:
        project = make_project(tmp_path / "denied", server.url, assistants=1, files=1)
        outputs.append(
            CliRunner().invoke(main, ["--debug", "apply", str(project), "--auto-approve"], env=env)
        )
    assert outputs[-1].exit_code == 1
    assert "HTTP 401" in outputs[-1].stderr
    assert any("retry" in o.stderr for o in outputs)  # --verbose did show retries
    for result in outputs:
        assert CANARY not in result.stdout + result.stderr + repr(result.exception)
    assert CANARY not in out.read_text(encoding="utf-8")


CORPUS = Path(__file__).parents[1] / "config" / "corpus"
LOCAL = re.compile(r"endpoint: (local|https://contoso\.openai\.azure\.com)\b")


def test_the_malformed_corpus_sends_no_mutating_request_and_a_broken_environment_nothing(
    tmp_path: Path, server: BackgroundServer, emulator: Emulator
) -> None:
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        copy = tmp_path / case.name
        shutil.copytree(case, copy, symlinks=True)
        config = copy / "reconciler.yaml"
        if config.is_file():
            config.write_text(
                LOCAL.sub(
                    f"endpoint: {server.url}", config.read_text(encoding="utf-8", errors="replace")
                ),
                encoding="utf-8",
            )
        emulator.stats.clear()
        result = CliRunner().invoke(main, ["apply", str(copy), "--auto-approve"], env=ENV)
        assert result.exit_code == 1, case.name
        assert result.exception is None or isinstance(result.exception, SystemExit), case.name
        sent = emulator.stats.snapshot()["requests"]
        # The live read starts once reconciler.yaml names a usable environment, and is abandoned
        # when a manifest fails; nothing is ever written, and a broken environment sends nothing.
        assert all(route.startswith("GET ") for route in sent), (case.name, sent)
        if _only_project_file_errors(case):
            assert not sent, (case.name, sent)


def _only_project_file_errors(case: Path) -> bool:
    """The case's expected diagnostics all point into reconciler.yaml (a missing one included),
    not at its `manifests:` entries, which are followed while the manifests load."""
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]
    in_project_file = all(line.startswith("reconciler.yaml:") for line in lines)
    return in_project_file and not case.name.startswith("manifests-")


CREATE = "POST /openai/assistants"


def test_ctrl_c_lets_calls_in_flight_finish_reports_and_exits_130(tmp_path: Path) -> None:
    emulator = Emulator.create(faults=FaultSettings(latency_ms=40))
    watched = Watched(emulator, lambda stats: stats["requests"].get(CREATE, 0) >= 2)
    with BackgroundServer(watched) as server, azure_client(server.url) as api:
        project = make_project(tmp_path, server.url, assistants=30, files=15)
        # A shell's background job ignores SIGINT, and children inherit that: the child turns
        # Ctrl-C back on before running the command, as a terminal would have it.
        start = "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        start += "runpy.run_module('reconciler', run_name='__main__')"
        command = [sys.executable, "-c", start, "apply", str(project), "--auto-approve"]
        child = subprocess.Popen(
            command,
            env={**ENV, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        watched.or_exit_of(child)
        assert watched.reached.wait(60)
        assert child.poll() is None  # two creates answered, and the apply still running
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 130, stderr
        assert "Apply incomplete. Done:" in stderr
        assert "Interrupted: calls in flight were let finish." in stderr
        assert "skipped: interrupted before it started" in stderr or "not started" in stderr
        emulator.faults.update({"latency_ms": 0})
        assert converge("apply", project, tries=1) == 1
        check_converged(api, project, expected=30)
