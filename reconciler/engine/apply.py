"""Execute a Plan in dependency order with bounded parallelism.

Stages run one after another: creates and updates kind by kind in dependency order (uploads,
then assistants), then deletes in reverse order (assistants, then files). Within a stage actions
overlap up to `parallelism`. A failed action does not stop the others; an action that needs
what failed is skipped. Re-running apply converges, because
every object the plan touched is found again by its marks or its content-addressed name.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from reconciler.api.dialects import Dialect
from reconciler.core.kinds.registry import kind_named
from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.errors import ApplyInterruptedError, ReconcilerError

Status = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    change: ResourceChange
    status: Status
    detail: str = ""
    error: Exception | None = None  # why it failed, for the advice after the summary


class Applier:
    def __init__(
        self,
        plan: Plan,
        dialect: Dialect,
        parallelism: int,
        progress: Callable[[str], None],
    ) -> None:
        self.plan, self.dialect = plan, dialect
        self.parallelism, self.progress = max(1, parallelism), progress
        self.ids = dict(plan.files)  # name -> id of what writes point at, growing as creates finish
        self._visible = self.ids  # the stage's copy of ids
        self.order = {kind.name: index for index, kind in enumerate(dialect.kinds)}
        self.missing: set[str] = set()  # addresses of creates that did not happen
        self.unsettled: set[int] = set()  # kind positions with a change not done
        self.outcomes: list[Outcome] = []
        self.total = len(plan.actionable)
        self.stopped = False
        self._lock = threading.Lock()

    def run(self) -> list[Outcome]:
        """Every stage in turn. Ctrl-C starts nothing new, lets calls in flight finish, then raises."""
        self.dialect.watch(self.progress)
        # The plan, the live state and the desired state are long-lived; without freezing them
        # the collector rescans them every few hundred new futures and responses, which made
        # the applier's CPU per action grow with N (70% of destroy's CPU at N = 8000).
        gc.freeze()
        try:
            self._run_stages()
        finally:
            gc.unfreeze()
        if self.stopped:
            raise ApplyInterruptedError(self.plan, self.outcomes)
        return self.outcomes

    def _run_stages(self) -> None:
        try:
            for stage in self._stages():
                self._run_stage(stage)
                if self.stopped:
                    break
        except KeyboardInterrupt:
            self.stopped = True

    def _run_stage(self, stage: list[ResourceChange]) -> None:
        # What a stage points at was made by earlier stages (a kind never requires its own kind),
        # so one copy per stage serves all its actions: a copy per action is quadratic in N.
        with self._lock:
            self._visible = dict(self.ids)
        pool = ThreadPoolExecutor(max_workers=self.parallelism)
        try:
            for future in [pool.submit(self._one, change) for change in stage]:
                future.result()
        except KeyboardInterrupt:
            self.stopped = True  # what is queued is skipped; what runs is let finish
        finally:
            pool.shutdown(wait=True)

    def _stages(self) -> list[list[ResourceChange]]:
        """Creates and updates in dependency order, then deletes in reverse."""
        writes: list[list[ResourceChange]] = [[] for _ in self.order]
        deletes: list[list[ResourceChange]] = [[] for _ in self.order]
        for change in self.plan.actionable:
            stages = deletes if change.action == "delete" else writes
            stages[self.order[change.kind]].append(change)
        return [*writes, *reversed(deletes)]

    def _one(self, change: ResourceChange) -> None:
        if self.stopped:
            return  # not started: the summary lists it; progress counts only what ran
        blocker = self._blocker(change)
        if blocker:
            self._record(Outcome(change, "skipped", blocker))
            return
        try:
            detail = self.dialect.execute(change, self._visible)
        except (ReconcilerError, OSError) as error:
            self._record(Outcome(change, "failed", str(error), error))
            return
        self._record(Outcome(change, "done", detail))

    def _blocker(self, change: ResourceChange) -> str | None:
        if change.action != "delete":
            needs = sorted(kind_named(change.kind).requires(change) & self.missing)
            return f"{needs[0]} was not created or made ready" if needs else None
        position = self.order[change.kind]
        if any(later > position for later in self.unsettled):
            return "a change of what uses it failed, so it may still be in use"
        return None

    def _record(self, outcome: Outcome) -> None:
        change = outcome.change
        with self._lock:  # counted and shown under one lock, so the numbers come out in order
            self.outcomes.append(outcome)
            if outcome.status != "done":
                self.unsettled.add(self.order[change.kind])
                if change.action != "delete":  # a create, or a store that never got ready
                    self.missing.add(change.address)
            elif change.action == "create":
                self.ids[change.name] = outcome.detail  # what later stages point at
            self._show(outcome, len(self.outcomes))

    def _show(self, outcome: Outcome, done: int) -> None:
        change = outcome.change
        verb = {"done": _past(change.action), "failed": "FAILED", "skipped": "skipped"}[
            outcome.status
        ]
        detail = (
            f": {outcome.detail}"
            if outcome.detail and outcome.status != "done"
            else f" ({outcome.detail})"
            if outcome.detail
            else ""
        )
        self.progress(f"[{done}/{self.total}] {change.address}: {verb}{detail}")


def _past(action: str) -> str:
    return {"create": "created", "update": "updated", "delete": "destroyed"}.get(action, action)


def apply_plan(
    plan: Plan,
    dialect: Dialect,
    parallelism: int = 4,
    progress: Callable[[str], None] = print,
) -> list[Outcome]:
    return Applier(plan, dialect, parallelism, progress).run()
