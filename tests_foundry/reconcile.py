"""A reconciler project on disk, run through the CLI against the https emulator.

Two environments, staging and prod, share one Foundry project endpoint; their agents carry the
environment in their names. The CLI runs in-process (click's CliRunner) or, where it must be
killed, as a subprocess; both trust the test CA through SSL_CERT_FILE, which httpx reads, and
authenticate with a fixed Entra ID token (`auth: token`, `ad_token_env`).
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from click.testing import CliRunner, Result
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.cli import main
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, TOKEN

TOKEN_ENV = "FOUNDRY_E2E_TOKEN"
ENVIRONMENTS = ("staging", "prod")

BOT = """\
kind: Agent
name: bot-${env.name}
model: ${var.model}
description: Answers questions about orders
instructions: %s
tools:
  - type: file_search
    files: [%s]
    max_num_results: 5
metadata: {team: support}
"""
HELPER = """\
kind: Agent
name: helper-${env.name}
model: ${var.model}
instructions: You help people find their way around the shop.
"""
FILES = {
    "docs/faq.md": "# FAQ\n\nOrders ship within two days.\n",
    "docs/returns.md": "# Returns\n\nReturns are free within 30 days.\n",
}


class Recorder:
    """ASGI middleware: every request's `METHOD path` and status, in the order answered."""

    def __init__(self, app: ASGIApp, log: list[str]) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status: list[int] = []

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, record)
        self.log.append(f"{scope['method']} {scope['path']} {status[0] if status else 0}")


class Recorded:
    """The emulator, served with every request it answers recorded into `log`."""

    def __init__(self, emulator: Emulator, log: list[str]) -> None:
        self.emulator, self.log = emulator, log

    def app(self) -> ASGIApp:
        return Recorder(self.emulator.app(), self.log)


@dataclass
class Project:
    """A project folder for one endpoint, and the CLI run on it."""

    root: Path
    endpoint: str
    ca_file: Path

    @property
    def process(self) -> dict[str, str]:
        return {TOKEN_ENV: TOKEN, "SSL_CERT_FILE": str(self.ca_file), "NO_COLOR": "1"}

    def write_config(self) -> None:
        lines = ["project: shop", "manifests: [agents/]", "environments:"]
        for name in ENVIRONMENTS:
            lines += [
                f"  {name}:",
                "    api: foundry",
                f"    endpoint: {self.endpoint}",
                "    auth: token",
                f"    ad_token_env: {TOKEN_ENV}",
                "    vars: {model: gpt-4o-mini}",
            ]
        (self.root / "reconciler.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def write(self, path: str, text: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")

    def bot(self, instructions: str = "You answer questions about orders.", *docs: str) -> None:
        knowledge = ", ".join(f"../{d}" for d in (docs or tuple(FILES)))
        self.write("agents/bot.yaml", BOT % (json.dumps(instructions), knowledge))

    def retain(self, versions: int) -> None:
        """The bot keeps only `versions` versions of ours (lifecycle.retention)."""
        bot = (self.root / "agents/bot.yaml").read_text(encoding="utf-8")
        self.write("agents/bot.yaml", f"{bot}lifecycle: {{retention: {versions}}}\n")

    def run(self, *args: str) -> Result:
        runner = CliRunner(env=self.process)
        return runner.invoke(main, [*args], catch_exceptions=False)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return result.output

    def apply(self, env: str) -> str:
        return self.ok("apply", str(self.root), "--env", env, "--auto-approve")

    def plan(self, env: str) -> dict[str, Any]:
        """The JSON plan; asserts the command itself succeeded."""
        output = self.ok("plan", str(self.root), "--env", env, "--format", "json")
        plan: dict[str, Any] = json.loads(output)
        return plan

    def actions(self, env: str) -> list[str]:
        changes = self.plan(env)["changes"]
        return sorted(f"{c['address']} {c['action']}" for c in changes if c["action"] != "no-op")

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The emulator's control endpoints (/_emulator/...), over https."""
        base = self.endpoint.split("/api/projects/")[0]
        trusted = ssl.create_default_context(cafile=str(self.ca_file))
        answer = httpx.request(
            method, f"{base}/_emulator/{path}", json=body, verify=trusted, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    def stats(self) -> dict[str, int]:
        """Requests per route so far (`METHOD /route/{template}`)."""
        requests: dict[str, int] = self.control("GET", "stats")["requests"]
        return requests

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        """The CLI as a process of its own (one that a test can kill)."""
        command = [sys.executable, "-m", "reconciler", *args]
        return subprocess.Popen(
            command,
            env={**os.environ, **self.process},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )


def new_project(root: Path, server: BackgroundServer, ca_file: Path) -> Project:
    """staging and prod on the server's project endpoint: bot (with knowledge) and helper."""
    project = Project(root, f"{server.url}/api/projects/{PROJECT}", ca_file)
    root.mkdir(parents=True, exist_ok=True)
    project.write_config()
    for path, text in FILES.items():
        project.write(path, text)
    project.bot()
    project.write("agents/helper.yaml", HELPER)
    return project


VERSION_CREATES = "POST /api/projects/{project}/agents/{agent_name}/versions"


def kill_mid_apply(shop: Project, env: str, route: str, count: int) -> None:
    """apply, killed (SIGKILL) once `count` requests to `route` reached the emulator, their
    answers held back by its latency; then the latency is lifted and the request in flight
    left to complete on the server (as test_reconcile_foundry.py's kill test does)."""
    shop.control("PUT", "faults", {"latency_ms": 300})
    apply = shop.spawn("apply", str(shop.root), "--env", env, "--auto-approve")
    try:
        shop.control("GET", f"stats/wait?route={quote(route)}&count={count}&timeout=30")  # held
        assert apply.poll() is None, "apply ended before it was killed"
        apply.send_signal(signal.SIGKILL)
        apply.wait(10)
    finally:
        if apply.poll() is None:
            apply.kill()
            apply.wait(10)
        assert apply.stdout is not None
        apply.stdout.close()
    assert apply.returncode == -signal.SIGKILL
    shop.control("PUT", "faults", {"latency_ms": 0})
    shop.control("GET", "stats/wait?idle=true&timeout=30")  # what was in flight has ended
