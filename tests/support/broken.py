"""A server that breaks the API on purpose, for answers the emulator never gives, and a way to
run the real command line against any endpoint in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from reconciler.cli import main

# (method, path with query) -> (status, headers, body)
Answer = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, str], Answer]


def page(items: list[dict[str, Any]], has_more: bool = False) -> Answer:
    body = {"object": "list", "data": items, "has_more": has_more}
    return 200, {"content-type": "application/json"}, json.dumps(body).encode()


def assistant(i: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"asst_{i}", "object": "assistant", "created_at": i, "name": None,
            "description": None, "model": "m", "instructions": None, "tools": [],
            "file_ids": [], "metadata": {}, **fields}  # fmt: skip


@contextmanager
def broken_server(handler: Handler) -> Iterator[tuple[str, list[str]]]:
    """A loopback server answering every request with handler(method, path); yields its URL
    and the requests it saw."""
    seen: list[str] = []

    class Serve(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            seen.append(f"{self.command} {self.path}" + (f" ({len(body)} bytes)" if body else ""))
            status, headers, body = handler(self.command, self.path)
            self.send_response(status)
            for name, value in {**headers, "content-length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    with serving(Serve) as url:
        yield url, seen


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threading loopback server of handler on a free port, for the block; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def project(root: Path, endpoint: str, manifest: str | None = None) -> Path:
    """A one-assistant project whose only environment, dev, uses endpoint."""
    (root / "assistants").mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(
        f"project: demo\nmanifests: [assistants/]\nenvironments:\n  dev:\n    endpoint: '{endpoint}'\n",
        encoding="utf-8",
    )
    (root / "assistants/bot.yaml").write_text(
        manifest or "kind: Assistant\nname: bot\nmodel: gpt-4\n", encoding="utf-8"
    )
    return root


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process, with a test key and no colour setting."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "NO_COLOR"))}
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        env={**base, "AZURE_OPENAI_API_KEY": "sk-test-secret", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a safety net for a regression that hangs, not a timing
    )


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def invoke(*args: str, env: dict[str, str | None] | None = None, stdin: str | None = None) -> Ran:
    """The command line in this process (click's runner): the same output, without the start-up
    of a new interpreter. For tests whose point is not the process boundary."""
    unset = {k: None for k in os.environ if k.startswith(("AZURE_", "NO_COLOR"))}
    chosen = {**unset, "AZURE_OPENAI_API_KEY": "sk-test-secret", **(env or {})}
    result = CliRunner().invoke(main, list(args), env=chosen, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
