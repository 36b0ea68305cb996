"""Loading pauses the collector's full collections only: cycles made meanwhile (an httpx
response on the early read's thread is one) are freed as they go, not held to the end."""

from __future__ import annotations

import gc
import weakref

from reconciler.config.desired import collector_paused


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.body = bytearray(1024)


def test_cycles_made_while_loading_are_freed_while_loading() -> None:
    freed = 0

    def count() -> None:
        nonlocal freed
        freed += 1

    @collector_paused
    def load() -> int:
        for _ in range(20_000):
            weakref.finalize(_Cycle(), count)
        return freed

    before = gc.get_threshold()
    freed_while_loading = load()
    assert freed_while_loading > 19_000
    assert gc.get_threshold() == before


def test_no_full_collection_runs_while_loading() -> None:
    full = 0

    def watch(phase: str, info: dict[str, int]) -> None:
        nonlocal full
        full += phase == "start" and info["generation"] == 2

    @collector_paused
    def load() -> list[list[int]]:
        return [[i] for i in range(200_000)]  # survivors, as a desired state is

    gc.callbacks.append(watch)
    try:
        load()
    finally:
        gc.callbacks.remove(watch)
    assert full == 0
