"""Injected faults: fixed latency, throttling, server errors, dropped and lost responses, and a
server that does not know the list parameter `before`.

Settings can be given at start and changed at run time (``PUT /_emulator/faults``). One seeded
generator decides every request's fate in arrival order, so a run with the same seed and the
same sequence of requests meets the same faults.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

Probability = Field(default=0.0, ge=0.0, le=1.0)


class FaultSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    fault_429: float = Probability
    # The next N requests answer 429, whatever the probabilities: a throttle a test can count on.
    fault_429_next: int = Field(default=0, ge=0, le=1000)
    fault_500: float = Probability
    fault_drop: float = Probability
    fault_lost: float = Probability
    retry_after_ms: int = Field(default=1000, ge=0, le=600_000)
    seed: int | None = None
    # Lists served as if `before` had not been sent, as by a server that does not know it:
    # what a client that bounds its pages with `before` must notice rather than trust.
    ignore_before: bool = False


class Fault(StrEnum):
    THROTTLE = "429"
    SERVER_ERROR = "500"
    DROP = "drop"  # the connection closes before the request is handled
    LOST = "lost"  # the request is handled, then the connection closes before the response


class Faults:
    """The current settings and the generator that applies them."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.settings = settings or FaultSettings()
        self._random = random.Random(self.settings.seed)

    def update(self, changes: Mapping[str, object]) -> FaultSettings:
        """Apply a partial change; a new seed restarts the sequence. Raises ValidationError."""
        with self._lock:
            merged = FaultSettings.model_validate({**self.settings.model_dump(), **changes})
            self.settings = merged
            if "seed" in changes:
                self._random = random.Random(merged.seed)
        return merged

    def draw(self) -> Fault | None:
        """The fault that hits the next request, if any (one draw per kind, in a fixed order)."""
        with self._lock:
            if self.settings.fault_429_next:
                left = self.settings.fault_429_next - 1
                self.settings = self.settings.model_copy(update={"fault_429_next": left})
                return Fault.THROTTLE
        s = self.settings
        chances = [(Fault.THROTTLE, s.fault_429), (Fault.SERVER_ERROR, s.fault_500)]
        chances += [(Fault.DROP, s.fault_drop), (Fault.LOST, s.fault_lost)]
        with self._lock:
            rolls = [(fault, self._random.random() < p) for fault, p in chances]
        return next((fault for fault, hit in rolls if hit), None)
