"""A scripted round trip through the emulator over real HTTP, printed step by step.

The driver is shared; each family's script (assistants/demo.py, foundry/demo.py) says what to
call and what to expect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx


class RoundTripError(RuntimeError):
    """The emulator answered, but not as the API promises."""


def expect(condition: bool, promise: str) -> None:
    if not condition:
        raise RoundTripError(f"Round trip failed: expected {promise}.")


class RoundTrip:
    """Drives one emulator with a plain HTTP client, as any Azure client would."""

    prefix = ""  # where the client's paths start, as printed

    def __init__(self, http: httpx.Client, say: Callable[[str], None]) -> None:
        self.http, self.say = http, say

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        response.raise_for_status()
        self.say(f"{method:6} {self.prefix}{path} -> {response.status_code}")
        return (
            response.json()
            if response.headers["content-type"] == "application/json"
            else response.content
        )

    def run(self) -> None:
        with self.http:
            self._round_trip()

    def _round_trip(self) -> None:
        raise NotImplementedError
