"""A vector store still ingesting when apply stopped waiting: the next plan waits for it.

The emulator's ingestion delay keeps the store in progress on its own clock; the reconciler's
wait runs on a clock of its own that only its sleeps move, so a test decides exactly when the
wait gives up and when the store is done. No sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reconciler.api.dialects.ingestion import Waiting
from reconciler.core.plan_types import Plan
from reconciler.core.staleness import moved
from reconciler.core.state import DesiredState
from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.apply import Outcome, apply_plan
from reconciler.engine.pipeline import plan_live
from tests.support.foundry_desired import agent, connected, declare, desired, environment

DELAY_S = 60.0


@dataclass
class Clocks:
    """The emulator's clock and the reconciler's wait clock; while `patient`, the service
    finishes during the first wait between two polls."""

    service: list[float]
    waited: list[float]
    server: BackgroundServer
    patient: bool = False

    def sleep(self, seconds: float) -> None:
        self.waited[0] += seconds
        if self.patient:  # the service is done by the next poll
            self.service[0] += DELAY_S

    def waiting(self, timeout: float) -> Waiting:
        return Waiting(timeout, sleep=self.sleep, clock=lambda: self.waited[0])


@pytest.fixture
def clocks() -> Iterator[Clocks]:
    emulator = Emulator.create(foundry=FoundryOptions(ingestion_delay_ms=int(DELAY_S * 1000)))
    service = [1_000_000.0]
    emulator.state.clock = lambda: service[0]
    with BackgroundServer(emulator) as server:
        yield Clocks(service, [0.0], server)


def planned(clocks: Clocks, root: Path, state: DesiredState) -> Plan:
    with connected(clocks.server, root) as dialect:
        return plan_live(dialect, state)


def applied(clocks: Clocks, root: Path, plan: Plan, timeout: float) -> list[Outcome]:
    with connected(clocks.server, root, clocks.waiting(timeout)) as dialect:
        return apply_plan(plan, dialect, 4, lambda _: None)


def stores(clocks: Clocks, root: Path) -> list[tuple[str, str]]:
    with connected(clocks.server, root) as dialect:
        return [(s["id"], s["status"]) for s in dialect.client.list_stores()]


def test_a_store_still_ingesting_is_waited_for_never_duplicated_nor_deleted(
    clocks: Clocks, tmp_path: Path
) -> None:
    files = declare(tmp_path, {"docs/faq.md": b"# FAQ\n"})
    state = desired(environment(clocks.server.url), files, agent("bot", files))
    first = applied(clocks, tmp_path, planned(clocks, tmp_path, state), timeout=0.05)
    assert [(o.change.kind, o.status) for o in first] == [
        ("file", "done"),
        ("vector_store", "failed"),
        ("agent", "skipped"),
    ]
    assert "the next plan, which waits for it" in first[1].detail
    ((store_id, status),) = stores(clocks, tmp_path)
    assert status == "in_progress"

    second = planned(clocks, tmp_path, state)
    assert [(c.kind, c.action, c.action_reason, c.id) for c in second.actionable] == [
        ("vector_store", "update", "ingesting", store_id),
        ("agent", "create", "new", None),
    ]
    assert second.files[second.actionable[0].name] == store_id
    again = planned(clocks, tmp_path, state)  # still in progress: the same plan, not a second store
    assert [c.address for c in again.actionable] == [c.address for c in second.actionable]

    clocks.patient = True  # the service finishes while apply waits
    outcomes = applied(clocks, tmp_path, second, timeout=DELAY_S * 2)
    assert [(o.change.kind, o.status) for o in outcomes] == [
        ("vector_store", "done"),
        ("agent", "done"),
    ]
    assert stores(clocks, tmp_path) == [(store_id, "completed")]
    with connected(clocks.server, tmp_path) as dialect:
        (bot,) = dialect.client.list_agents()
    (search,) = bot["versions"]["latest"]["definition"]["tools"]
    assert search["vector_store_ids"] == [store_id]
    assert planned(clocks, tmp_path, state).actionable == []


def test_a_plan_saved_while_its_store_ingests_is_not_stale_once_the_store_is_done(
    clocks: Clocks, tmp_path: Path
) -> None:
    files = declare(tmp_path, {"docs/faq.md": b"# FAQ\n"})
    state = desired(environment(clocks.server.url), files, agent("bot", files))
    applied(clocks, tmp_path, planned(clocks, tmp_path, state), timeout=0.05)
    saved = planned(clocks, tmp_path, state)
    clocks.service[0] += DELAY_S  # done, without anyone waiting
    with connected(clocks.server, tmp_path) as dialect:
        assert [s["status"] for s in dialect.client.list_stores()] == ["completed"]
        assert moved(saved, dialect.read_live(), dialect.kinds) == []
        outcomes = apply_plan(saved, dialect, 4, lambda _: None)
    assert [o.status for o in outcomes] == ["done", "done"]


def test_a_store_ingesting_knowledge_no_longer_wanted_is_deleted_as_unfinished(
    clocks: Clocks, tmp_path: Path
) -> None:
    files = declare(tmp_path, {"docs/faq.md": b"# FAQ\n"})
    env = environment(clocks.server.url)
    applied(
        clocks, tmp_path, planned(clocks, tmp_path, desired(env, files, agent("bot", files))), 0.05
    )
    changed = declare(tmp_path, {"docs/faq.md": b"# FAQ, changed\n"})
    plan = planned(clocks, tmp_path, desired(env, changed, agent("bot", changed)))
    assert sorted((c.kind, c.action, c.action_reason) for c in plan.actionable) == [
        ("agent", "create", "new"),
        ("file", "create", "new"),
        ("file", "delete", "removed"),
        ("vector_store", "create", "new"),
        ("vector_store", "delete", "orphan"),
    ]
