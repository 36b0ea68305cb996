"""The emulator as a separate process (`reconciler emulator serve`), and measured child processes.

The emulator runs in its own process, as a remote endpoint would, so that its work never
competes with the measured client for one interpreter lock. Requests are counted by the
emulator itself (`GET /_emulator/stats`); a measured operation's requests are the difference
between the counts before and after it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from reconciler.emulator.core.tls import TlsFiles

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0
CHILD_TIMEOUT = 1800.0


class EmulatorProcess:
    """`python -m reconciler emulator serve --latency-ms L` on a free loopback port; over
    https with `tls` (the Foundry SDK sends no token over plain http)."""

    def __init__(self, latency_ms: int, log: Path, tls: TlsFiles | None = None) -> None:
        self.port = _free_port()
        self.url = f"{'https' if tls else 'http'}://{LOOPBACK}:{self.port}"
        self.latency_ms = latency_ms
        self._log, self._tls = log, tls
        self._process: subprocess.Popen[bytes] | None = None
        verify = tls.client_context() if tls is not None else True
        self._control = httpx.Client(base_url=f"{self.url}/_emulator", timeout=30, verify=verify)

    def __enter__(self) -> EmulatorProcess:
        command = [sys.executable, "-m", "reconciler", "emulator", "serve"]
        command += ["--host", LOOPBACK, "--port", str(self.port)]
        command += ["--latency-ms", str(self.latency_ms)]
        if self._tls is not None:
            command += ["--tls-cert", str(self._tls.cert), "--tls-key", str(self._tls.key)]
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                break
            try:
                self._control.get("/stats")
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"the emulator did not start:\n{self._log.read_text()}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._control.close()
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def counts(self) -> Counter[str]:
        requests: dict[str, int] = self._control.get("/stats").json()["requests"]
        return Counter(requests)

    def set_latency(self, latency_ms: int) -> None:
        """Change the latency of every later response (the emulator's run-time faults)."""
        self._control.put("/faults", json={"latency_ms": latency_ms}).raise_for_status()
        self.latency_ms = latency_ms

    def reset(self) -> None:
        """Empty the emulator: every object and every counter."""
        self._control.post("/reset").raise_for_status()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Child:
    """A finished child process: what it printed, its exit code, wall time and peak RSS."""

    stdout: str
    stderr: str
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float

    def report(self) -> dict[str, Any]:
        """The JSON object a worker printed."""
        if self.returncode != 0:
            raise RuntimeError(f"a measured process exited {self.returncode}:\n{self.stderr}")
        loaded: dict[str, Any] = json.loads(self.stdout)
        return loaded


def run_child(command: list[str], env: dict[str, str]) -> Child:
    """Run a process to its end; its own peak RSS comes from wait4, so only it is measured."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env={**os.environ, **env}
        )
        watchdog = threading.Timer(CHILD_TIMEOUT, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            with process.stdout:
                output = process.stdout.read()
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    # ru_maxrss is in kibibytes on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return Child(output.decode(), stderr, process.returncode, wall, cpu, usage.ru_maxrss / 1024)
