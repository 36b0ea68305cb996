"""Two-ended reads (reconciler/api/paging.py): the same items as one chain of pages, in its order,
in the requests tests/support/reads.py states; a server that does not keep to `before` is noticed and read
as one chain would; errors fail the read as they did.

Over the real emulator on loopback HTTP first; then over a list in memory that misbehaves in the
ways a server might (ignores `before` or `order`, pages from the wrong end, changes mid-read).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.paging import read_list
from reconciler.api.retry import RetryPolicy
from reconciler.emulator import Emulator
from reconciler.emulator.core.gateway import SERVER_ERROR
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError
from tests.support.clients import API_VERSION, KEY
from tests.support.reads import assistant_pages, rounds

LIST = "GET /openai/assistants"
Hook = Callable[[httpx.Response], None]
# T: (pages, pages when the server ignores `before`), stated rather than computed
PAGES = {
    0: (1, 1),
    1: (1, 1),
    99: (1, 1),
    100: (1, 1),
    101: (3, 3),
    199: (3, 3),
    200: (3, 3),
    201: (3, 3),
    250: (3, 3),
    299: (3, 3),
    300: (5, 5),  # the ascending chain reaches the end before `before` is crossed
    301: (5, 6),
    399: (5, 6),
    400: (5, 6),
    401: (5, 5),  # the chains overlap before `before` is crossed
    499: (5, 5),
    500: (7, 8),
    1000: (11, 15),
}


def fallback_pages(total: int) -> int:
    """A server that ignores `before`: where the last round's descending page would cross it (the
    gap between the chains is 100 or less), the ascending chain goes on alone to the end."""
    k = rounds(total)
    gap = total - (200 * k - 300)  # what lay between the chains when the last round was asked
    if k < 3 or gap > 100:
        return assistant_pages(total)
    return -(-total // 100) + k - 1


def test_the_tables_are_the_formulas() -> None:
    assert {t: (assistant_pages(t), fallback_pages(t)) for t in PAGES} == PAGES


# --- Over the emulator ---------------------------------------------------------------------------


@contextmanager
def connected(
    url: str, retry: RetryPolicy | None = None, *hooks: Hook
) -> Iterator[AssistantsClient]:
    with httpx.Client(timeout=30, event_hooks={"response": list(hooks)}) as http:
        yield AssistantsClient(http, url, API_VERSION, Credential(KEY), retry)


def one_chain(api: httpx.Client) -> list[str]:
    """The single chain of old: ascending pages, each after the last id, until has_more is false."""
    found: list[str] = []
    params: dict[str, Any] = {"limit": 100, "order": "asc"}
    while True:
        body = api.get("/assistants", params=params).json()
        found += [item["id"] for item in body["data"]]
        if not body["has_more"]:
            return found
        params["after"] = body["last_id"]


def read_counted(emulator: Emulator, url: str) -> tuple[list[str], int]:
    emulator.stats.clear()
    with connected(url) as client:
        ids = [a.id for a in client.list_assistants()]
    return ids, emulator.stats.snapshot()["requests"].get(LIST, 0)


def grow(api: httpx.Client, emulator: Emulator, total: int) -> None:
    for _ in range(total - len(emulator.state.db.children("assistant", ""))):
        assert api.post("/assistants", json={"model": "m"}).is_success


def test_every_size_reads_what_one_chain_reads_in_the_stated_requests(
    server: BackgroundServer,
    api: httpx.Client,
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="reconciler")
    for total, (pages, ignoring) in PAGES.items():
        grow(api, emulator, total)
        expected = one_chain(api)
        assert len(expected) == total
        for ignore_before, count in ((False, pages), (True, ignoring)):
            emulator.faults.update({"ignore_before": ignore_before})
            caplog.clear()
            assert read_counted(emulator, server.url) == (expected, count), (total, ignore_before)
            noticed = any("read on from the oldest end alone" in r.message for r in caplog.records)
            assert noticed == (count != pages), (total, ignore_before)


def test_items_created_in_one_second_keep_their_order(
    server: BackgroundServer, api: httpx.Client, emulator: Emulator
) -> None:
    emulator.state.clock = lambda: 1_700_000_000.0
    grow(api, emulator, 450)
    assert read_counted(emulator, server.url) == (one_chain(api), 5)


def after_responses(count: int, then: Callable[[], object]) -> Hook:
    """A response hook that calls `then` once `count` list responses have come: before the next
    round is asked for, since a round waits for both of its pages."""
    seen, lock = [0], threading.Lock()

    def hook(response: httpx.Response) -> None:
        with lock:
            seen[0] += 1
            if seen[0] == count:
                then()

    return hook


def test_an_error_mid_read_fails_it_as_one_chain_would_and_stops_both_ends(
    server: BackgroundServer, api: httpx.Client, emulator: Emulator
) -> None:
    grow(api, emulator, 450)
    emulator.stats.clear()
    failing = after_responses(3, lambda: emulator.faults.update({"fault_500": 1.0}))
    retry = RetryPolicy(attempts=2, sleep=lambda _: None)
    with connected(server.url, retry, failing) as client, pytest.raises(ApiError) as raised:
        client.list_assistants()
    error = raised.value
    assert (error.status, error.operation, error.api_message) == (
        500,
        "list assistants",
        SERVER_ERROR,
    )
    # Rounds 1 and 2 (3 pages), then round 3: both pages tried twice, and nothing after.
    assert emulator.stats.snapshot()["requests"] == {LIST: 3 + 2 * 2}


def test_a_descending_cursor_deleted_mid_read_is_read_as_one_chain_would(
    server: BackgroundServer, api: httpx.Client, emulator: Emulator
) -> None:
    grow(api, emulator, 350)
    ids = one_chain(api)
    # After round 2 the descending chain's cursor is the 100th newest: its next page gets a 400.
    delete = after_responses(3, lambda: api.delete(f"/assistants/{ids[250]}").raise_for_status())
    emulator.stats.clear()
    with connected(server.url, None, delete) as client:
        found = [a.id for a in client.list_assistants()]
    assert emulator.stats.snapshot()["requests"][LIST] == 4 + 2
    assert found == ids[:250] + ids[251:] == one_chain(api)


# --- Over a list in memory -----------------------------------------------------------------------


@dataclass
class Model:
    """A cursor list as API-FACTS.md describes it, with switches for the ways a server may not.

    Deleted items are kept as tombstones, so that a cursor naming one still pages (a server may
    instead answer 400: the emulator does, tested above)."""

    ids: list[str]
    ignore_before: bool = False
    ignore_order: str | None = None  # "asc" or "desc": the order every page comes in
    closest_to_before: bool = False  # with both cursors, the `limit` items next to `before`
    refuse: Callable[[dict[str, Any]], int | None] = lambda query: None  # an error status
    changes: dict[int, Callable[[Model], None]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    asked: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, query: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.asked.append(query)
            status = self.refuse(query)
            if status is not None:
                raise ApiError(status, None, f"HTTP {status}", "list assistants")
            body = self.page(query)
            change = self.changes.get(len(self.asked))
            if change is not None:
                change(self)
        return body

    def page(self, query: dict[str, Any]) -> dict[str, Any]:
        order = self.ignore_order or query["order"]
        ordered = self.ids if order == "asc" else self.ids[::-1]
        after, before = query.get("after"), None if self.ignore_before else query.get("before")
        if after is not None:
            ordered = ordered[ordered.index(after) + 1 :]
        if before is not None:
            ordered = ordered[: ordered.index(before)] if before in ordered else []
        ordered = [i for i in ordered if i not in self.gone]
        closest = before is not None and (after is None or self.closest_to_before)
        limit = query["limit"]
        page = ordered[-limit:] if closest else ordered[:limit]
        return {"data": [{"id": i} for i in page], "has_more": len(ordered) > limit}

    def live(self) -> list[str]:
        return [i for i in self.ids if i not in self.gone]


def names(count: int, prefix: str = "a") -> list[str]:
    return [f"{prefix}{i:05}" for i in range(count)]


def read(model: Model) -> list[str]:
    return read_list(model, "list assistants", lambda item: str(item["id"]))


MISBEHAVIOURS: dict[str, dict[str, Any]] = {
    "honest": {},
    "ignores before": {"ignore_before": True},
    "pages both cursors from before": {"closest_to_before": True},
    "always ascending": {"ignore_order": "asc"},
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(total=st.integers(0, 900), how=st.sampled_from(sorted(MISBEHAVIOURS)))
def test_any_size_and_misbehaviour_reads_every_item_once_in_order(total: int, how: str) -> None:
    model = Model(names(total), **MISBEHAVIOURS[how])
    assert read(model) == model.ids
    if how == "honest":
        assert len(model.asked) == assistant_pages(total)
    if how == "ignores before":
        assert len(model.asked) == fallback_pages(total)


@pytest.mark.parametrize("total", [150, 450, 1000])
def test_a_server_that_pages_newest_first_whatever_is_asked_is_read_as_one_chain_would(
    total: int,
) -> None:
    model = Model(names(total), ignore_order="desc")
    assert read(model) == model.ids[::-1]  # what one chain read from such a server


def created(name: str) -> Callable[[Model], None]:
    def create(model: Model) -> None:
        model.ids.append(name)

    return create


def deleted(spot: float) -> Callable[[Model], None]:
    def delete(model: Model) -> None:
        model.gone.add(model.ids[int(spot * len(model.ids))])

    return delete


@st.composite
def changes(draw: st.DrawFn) -> dict[int, Callable[[Model], None]]:
    """Items created (newest) and deleted (anywhere) after some of the requests of a read."""
    made: dict[int, Callable[[Model], None]] = {}
    for index in draw(st.lists(st.integers(1, 14), max_size=6, unique=True)):
        made[index] = (
            created(f"new{index:03}") if draw(st.booleans()) else deleted(draw(st.floats(0, 0.999)))
        )
    return made


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(total=st.integers(101, 900), changed=changes())
def test_items_made_or_deleted_mid_read_are_no_worse_than_one_chain(
    total: int, changed: dict[int, Callable[[Model], None]]
) -> None:
    """As for one chain: each item there from start to end comes once, nothing comes twice, the
    order is the list's, and whatever comes was there at some point."""
    model = Model(names(total), changes=changed)
    first = set(model.ids)
    found = read(model)
    assert len(found) == len(set(found))
    assert set(model.live()) & first <= set(found) <= set(model.ids)
    assert found == [i for i in model.ids if i in set(found)]


def refusing(status: int, order: str, cursor: str, skip: int = 0) -> Callable[..., int | None]:
    """Answer `status` once, to the query in `order` with `cursor` that comes after `skip` such."""
    seen = [0]

    def refuse(query: dict[str, Any]) -> int | None:
        if query["order"] != order or cursor not in query:
            return None
        seen[0] += 1
        return status if seen[0] == skip + 1 else None

    return refuse


def test_an_error_of_the_descending_end_alone_fails_the_read_after_its_round() -> None:
    model = Model(names(450), refuse=refusing(503, "desc", "before"))
    with pytest.raises(ApiError, match="HTTP 503"):
        read(model)
    assert len(model.asked) == 3 + 2  # rounds 1 and 2, then round 3's two pages: nothing after


def test_when_both_ends_fail_the_ascending_error_is_the_one_raised() -> None:
    ascending = refusing(502, "asc", "after", skip=1)  # round 3's, beside the failing one
    descending = refusing(503, "desc", "before")

    def refuse(query: dict[str, Any]) -> int | None:
        return ascending(query) or descending(query)

    model = Model(names(450), refuse=refuse)
    with pytest.raises(ApiError, match="HTTP 502"):
        read(model)
    assert len(model.asked) == 5


def test_a_400_to_the_descending_cursors_reads_on_from_the_oldest_end() -> None:
    model = Model(names(450), refuse=refusing(400, "desc", "before"))
    assert read(model) == model.ids
    assert len(model.asked) == 5 + 2  # every ascending page, and the 2 descending ones sent


def test_reads_at_once_share_one_client(
    server: BackgroundServer, api: httpx.Client, emulator: Emulator
) -> None:
    grow(api, emulator, 350)
    expected = one_chain(api)
    found: list[list[str]] = []
    with connected(server.url) as client:

        def run() -> None:
            found.append([a.id for a in client.list_assistants()])

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert found == [expected] * 4


def test_each_round_is_parsed_while_the_next_round_is_asked_for() -> None:
    # A page's ids are all the next round needs: its items are parsed once that round's two
    # requests are sent. Parsing the first page waits until both have been answered; parsed
    # before they are sent (as pages once were), it would wait for nothing and time out.
    model = Model(names(1000))
    answered = threading.Condition()
    count = 0

    def fetch(query: dict[str, Any]) -> dict[str, Any]:
        nonlocal count
        body = model(query)
        with answered:
            count += 1
            answered.notify_all()
        return body

    waited: list[bool] = []

    def parse(item: dict[str, Any]) -> str:
        if item["id"] == "a00000":
            with answered:
                waited.append(answered.wait_for(lambda: count >= 3, timeout=5))
        return str(item["id"])

    assert read_list(fetch, "list assistants", parse) == model.ids
    assert waited == [True]
