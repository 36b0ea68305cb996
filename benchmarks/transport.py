"""Client CPU per call: httpx's own transport (httpcore and h11) beside ConnectionStack
(reconciler/api/pool.py: HTTP/1.1 parsed by httptools), interleaved, against one emulator process.

    .venv/bin/python benchmarks/transport.py [--calls 2000] [--rounds 3]

Each call is an assistant create (a JSON body and a JSON answer) sent by one httpx.Client, one
at a time; the figure is the process's CPU time per call, the median of the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from emulated import EmulatorProcess

from reconciler.api.pool import ConnectionStack

API = "/openai/assistants?api-version=2024-02-15-preview"
HEADERS = {"api-key": "bench", "OpenAI-Beta": "assistants=v1"}
BODY = {"model": "gpt-4", "name": "bench", "instructions": "Answer. " * 40, "metadata": {"k": "v"}}
TRANSPORTS: dict[str, Callable[[], httpx.BaseTransport]] = {
    "httpx HTTPTransport": httpx.HTTPTransport,
    "ConnectionStack": ConnectionStack,
}


def cpu_per_call(client: httpx.Client, url: httpx.URL, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        client.post(url, json=BODY, headers=HEADERS).json()
    return (time.process_time() - started) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    measured: dict[str, list[float]] = {name: [] for name in TRANSPORTS}
    with tempfile.TemporaryDirectory() as scratch, EmulatorProcess(0, Path(scratch) / "log") as emu:
        url = httpx.URL(emu.url + API)
        clients = {name: httpx.Client(transport=make()) for name, make in TRANSPORTS.items()}
        for _ in range(args.rounds):
            for name, client in clients.items():
                measured[name].append(cpu_per_call(client, url, args.calls))
            emu.reset()
        for client in clients.values():
            client.close()
    for name, figures in measured.items():
        print(f"{name:20s} {statistics.median(figures) * 1000:.3f} ms of CPU per call")


if __name__ == "__main__":
    main()
