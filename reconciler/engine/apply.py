"""Execute a Plan in dependency order with bounded parallelism.

Stages run one after another: uploads -> assistant creates and updates -> assistant deletes ->
file deletes. Within a stage actions overlap up to `parallelism`. A failed action does not stop
the others; an action that needs what failed is skipped. Re-running apply converges, because
every object the plan touched is found again by its marks or its content-addressed name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reconciler.api.client import AssistantsClient
from reconciler.config.content import sha256_of
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.errors import EXIT_INTERRUPTED, ReconcilerError

Status = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    change: ResourceChange
    status: Status
    detail: str = ""
    error: Exception | None = None  # why it failed, for the advice after the summary


class ApplyInterrupted(ReconcilerError):
    """Ctrl-C during apply: what was done so far travels with it."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, plan: Plan, outcomes: list[Outcome]) -> None:
        super().__init__("apply interrupted")
        self.plan, self.outcomes = plan, outcomes


class Applier:
    def __init__(
        self,
        plan: Plan,
        client: AssistantsClient,
        directory: Path,
        parallelism: int,
        progress: Callable[[str], None],
    ) -> None:
        self.plan, self.client, self.directory = plan, client, directory
        self.parallelism, self.progress = max(1, parallelism), progress
        self.file_ids = dict(plan.files)
        self.failed_uploads: set[str] = set()
        self.outcomes: list[Outcome] = []
        self.stopped = False
        self._lock = threading.Lock()

    def run(self) -> list[Outcome]:
        """Every stage in turn. Ctrl-C starts nothing new, lets calls in flight finish, then raises."""
        try:
            for stage in self._stages():
                self._run_stage(stage)
                if self.stopped:
                    break
        except KeyboardInterrupt:
            self.stopped = True
        if self.stopped:
            raise ApplyInterrupted(self.plan, self.outcomes)
        return self.outcomes

    def _run_stage(self, stage: list[ResourceChange]) -> None:
        pool = ThreadPoolExecutor(max_workers=self.parallelism)
        try:
            for future in [pool.submit(self._one, change) for change in stage]:
                future.result()
        except KeyboardInterrupt:
            self.stopped = True  # what is queued is skipped; what runs is let finish
        finally:
            pool.shutdown(wait=True)

    def _stages(self) -> list[list[ResourceChange]]:
        actions = self.plan.actionable
        return [
            [c for c in actions if c.kind == "file" and c.action == "create"],
            [c for c in actions if c.kind == "assistant" and c.action in ("create", "update")],
            [c for c in actions if c.kind == "assistant" and c.action == "delete"],
            [c for c in actions if c.kind == "file" and c.action == "delete"],
        ]

    def _one(self, change: ResourceChange) -> None:
        if self.stopped:
            return  # not started: the summary lists it; progress counts only what ran
        blocker = self._blocker(change)
        if blocker:
            self._record(Outcome(change, "skipped", blocker))
            return
        try:
            detail = self._execute(change)
        except (ReconcilerError, OSError) as error:
            self._record(Outcome(change, "failed", str(error), error))
            return
        self._record(Outcome(change, "done", detail))

    def _blocker(self, change: ResourceChange) -> str | None:
        if change.kind == "assistant" and change.action != "delete":
            missing = sorted(set((change.after or {}).get("files", [])) & self.failed_uploads)
            return f"its file {missing[0]} was not uploaded" if missing else None
        if change.kind == "file" and change.action == "delete":
            failed = [
                o for o in self.outcomes if o.change.kind == "assistant" and o.status != "done"
            ]
            return "an assistant change failed, so the file may still be in use" if failed else None
        return None

    def _execute(self, change: ResourceChange) -> str:
        if change.kind == "file":
            return self._upload(change) if change.action == "create" else self._delete_file(change)
        if change.action == "create":
            created = self.client.create_assistant(self._body(change.after or {}, None))
            return created.id
        if change.action == "update":
            assert change.id is not None
            self.client.modify_assistant(change.id, self._body(change.after or {}, change))
            return change.id
        assert change.id is not None
        self.client.delete_assistant(change.id)
        return change.id

    def _upload(self, change: ResourceChange) -> str:
        after = change.after or {}
        try:
            path = self.directory / after["path"]
            if sha256_of(path) != after["sha256"]:  # streamed, like the upload itself
                raise ReconcilerError(
                    f"{after['path']} changed since the plan was made. Run plan again."
                )
            file_id = self.client.upload_file(after["filename"], path).id
        except (ReconcilerError, OSError):
            with self._lock:
                self.failed_uploads.add(after["filename"])
            raise
        with self._lock:
            self.file_ids[after["filename"]] = file_id
        return file_id

    def _delete_file(self, change: ResourceChange) -> str:
        assert change.id is not None
        self.client.delete_file(change.id)
        return change.id

    def _body(self, after: dict[str, Any], update: ResourceChange | None) -> dict[str, Any]:
        fields = {c.path.split(".")[0] for c in update.diff} if update else set(after)
        body: dict[str, Any] = {}
        for field in sorted(fields):
            if field == "files":
                body["file_ids"] = [self.file_ids[name] for name in after["files"]]
            elif update is not None or after.get(field) is not None:
                body[field] = after.get(field)
        return body

    def _record(self, outcome: Outcome) -> None:
        with self._lock:  # counted and shown under one lock, so the numbers come out in order
            self.outcomes.append(outcome)
            self._show(outcome, len(self.outcomes))

    def _show(self, outcome: Outcome, done: int) -> None:
        total = len(self.plan.actionable)
        verb = {"done": _past(outcome.change.action), "failed": "FAILED", "skipped": "skipped"}[
            outcome.status
        ]
        detail = (
            f": {outcome.detail}"
            if outcome.detail and outcome.status != "done"
            else f" ({outcome.detail})"
            if outcome.detail
            else ""
        )
        self.progress(f"[{done}/{total}] {outcome.change.address}: {verb}{detail}")


def _past(action: str) -> str:
    return {"create": "created", "update": "updated", "delete": "destroyed"}.get(action, action)


def apply_plan(
    plan: Plan,
    client: AssistantsClient,
    directory: Path,
    parallelism: int = 4,
    progress: Callable[[str], None] = print,
) -> list[Outcome]:
    return Applier(plan, client, directory, parallelism, progress).run()
