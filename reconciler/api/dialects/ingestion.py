"""Waiting for a new vector store's files to be ingested, and failing cleanly when one is not.

A store is used only once every file in it is ingested. The wait polls the store as the SDK's
pollers do (the service's `openai-poll-after-ms` between polls), shows progress when it moves,
and is bounded by `Waiting.timeout_seconds`. A failed file fails the create: the store is
deleted first, so that no agent can ever point at a half-built store, and the error names each
failed file by its upload name (and declared path, when the change carries `paths`) with the
service's own message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.api.foundry_client import FoundryClient
from reconciler.errors import IngestionError, ReconcilerError

DEFAULT_TIMEOUT = 600.0  # seconds: a large store on a busy service takes minutes
log = logging.getLogger("reconciler")


@dataclass
class Waiting:
    timeout_seconds: float = DEFAULT_TIMEOUT
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    notify: Callable[[str], None] | None = None  # apply's progress line; else the INFO log


def wait_ingested(
    client: FoundryClient, store: dict[str, Any], label: str, waiting: Waiting
) -> dict[str, Any]:
    """The store once no file is in progress any more (raises when that takes too long)."""
    deadline = waiting.clock() + waiting.timeout_seconds
    shown: tuple[int, int] | None = None
    while True:
        counts = store.get("file_counts") or {}
        total, pending = int(counts.get("total", 0)), int(counts.get("in_progress", 0))
        if (total - pending, total) != shown:
            shown = (total - pending, total)
            if waiting.notify is not None:
                waiting.notify(f"{label}: {shown[0]}/{shown[1]} files ingested")
            else:
                log.info("%s: %d/%d files ingested", label, *shown)
        if pending == 0 and store.get("status") != "in_progress":
            return store
        store, delay = client.get_store(str(store["id"]))
        if store.get("status") != "in_progress":
            continue
        if waiting.clock() + delay > deadline:
            raise ReconcilerError(
                f"ingestion not finished after {waiting.timeout_seconds:g} s "
                f"({shown[0]}/{shown[1]} files); vector store {store['id']} is left for the next "
                "plan, which waits for it (no second store is made). Apply again later, or raise "
                "RECONCILER_INGESTION_TIMEOUT_SECONDS."
            )
        waiting.sleep(delay)


def fail_if_failed(client: FoundryClient, store: dict[str, Any], names: dict[str, str]) -> None:
    """Delete the store and raise when any of its files failed. `names`: file id -> how to
    call the file in the message (its upload name, and its path when known)."""
    counts = store.get("file_counts") or {}
    if not int(counts.get("failed", 0)) and not int(counts.get("cancelled", 0)):
        return
    failed = client.list_store_files(str(store["id"]), "failed")
    client.delete_store(str(store["id"]))  # first: nothing may ever point at it
    reasons = [
        f"{names.get(str(f['id']), str(f['id']))}: {_message(f.get('last_error'))}" for f in failed
    ] or ["the service reports failed or cancelled files without naming them"]
    raise IngestionError(
        f"ingestion failed for {'; '.join(reasons)}. The store was deleted, so nothing "
        "points at it: fix or remove the file, then apply again."
    )


def _message(error: Any) -> str:
    if not isinstance(error, dict):
        return "no reason given"
    code, message = error.get("code"), error.get("message") or "no message"
    return f"{message} ({code})" if code else str(message)
