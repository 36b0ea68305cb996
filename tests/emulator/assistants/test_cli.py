"""The command line: `reconciler emulator serve` as a real process, and the scripted demo."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator.server import bind
from tests.support.clients import azure_client
from tests.support.serving import serving


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "emulator.db")


def test_serve_with_a_key_faults_and_a_db_then_restart(db: str) -> None:
    with serving("--db", db, "--api-key", "secret", "--fault-429", "0", "--seed", "1") as (url, _):
        with azure_client(url, "wrong") as client:
            assert client.get("/assistants").status_code == 401
        with azure_client(url, "secret") as client:
            assert (
                client.post("/assistants", json={"model": "m", "name": "kept"}).status_code == 200
            )
    with serving("--db", db, "--fault-429", "1") as (url, _):
        with azure_client(url) as client:
            assert client.get("/assistants").status_code == 429
        faults = httpx.put(f"{url}/_emulator/faults", json={"fault_429": 0}).json()
        assert faults["fault_429"] == 0
        with azure_client(url) as client:
            assert [a["name"] for a in client.get("/assistants").json()["data"]] == ["kept"]


def test_serve_rejects_a_probability_above_one() -> None:
    result = CliRunner().invoke(main, ["emulator", "serve", "--fault-500", "1.5"])
    assert result.exit_code == 1  # a usage error is 1: 2 means "changes present"
    assert "1.5 is not in the range 0.0<=x<=1.0" in result.output


def test_serve_binds_loopback_by_default() -> None:
    result = CliRunner().invoke(main, ["emulator", "serve", "--help"])
    assert result.exit_code == 0
    assert "--host TEXT" in result.output
    assert "[default: 127.0.0.1]" in result.output


def test_demo_runs_a_round_trip(db: str) -> None:
    result = CliRunner().invoke(main, ["emulator", "demo", "--db", db])
    assert result.exit_code == 0, result.output
    assert (
        "assistant says: Emulated reply to 1 user message(s). Last message: Where is order 7?"
        in result.output
    )
    assert result.output.rstrip().endswith("Round trip complete: 16 requests, every one answered.")


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.output.startswith("reconciler, version 0.2.0 (git ")


def test_the_listening_socket_is_declared_tcp_so_responses_are_not_delayed() -> None:
    # asyncio sets TCP_NODELAY only on sockets whose proto is TCP; without it each response
    # waited for a delayed ACK (measured: 42 ms per request instead of under 1 ms).
    with bind() as sock:
        assert sock.proto == socket.IPPROTO_TCP


def test_a_bug_is_one_line_without_debug_and_a_traceback_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("reconciler.config.desired.validate", broken)
    plain = CliRunner().invoke(main, ["validate", "."])
    assert (plain.exit_code, plain.stderr) == (
        1,
        "Internal error: RuntimeError: boom. Run with --debug for the traceback.\n",
    )
    debug = CliRunner().invoke(main, ["--debug", "validate", "."])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise RuntimeError("boom")' in debug.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["plan", "--nope"], {}, "No such option '--nope'."),
        (["validate", "--env"], {}, "Option '--env' requires an argument."),
        (["validate"], {"RECONCILER_MAX_ATTEMPTS": "abc"}, "Invalid value for '--max-attempts'"),
        (["nothing"], {}, "No such command 'nothing'."),
    ],
)
def test_usage_errors_exit_1_never_2(args: list[str], env: dict[str, str], message: str) -> None:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1
    assert message in result.stderr
