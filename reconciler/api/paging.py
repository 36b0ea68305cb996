"""Two-ended reads of a cursor list: every item once, oldest first, in about half the round trips
of one chain of pages.

The first page (`order=asc`) comes alone, so a list that fits in it costs one request as ever.
When it says `has_more`, two chains walk in rounds, one request each per round, sent together:
the ascending chain (`order=asc&after=<its newest id>`, the single chain of old) and one from
the newest end (`order=desc`, then `order=desc&after=<its oldest id>&before=<the ascending
chain's newest id>`: only what the other has not read). Rounds, rather than two free-running
chains, make the requests of a read depend on the list alone, never on timing.

Each chain is contiguous from its end, so they hold every item once they overlap and agree on
the overlap: that, read from the ids the server sent, is the only proof that they have met
(`before` and `has_more` of the descending chain are never trusted to say so). A list of T > 100
items therefore costs k = floor((T + 300) / 200) rounds: k ascending pages and k - 1 descending
ones, 2k - 1 requests (T <= 100: one).

The descending chain is dropped, and the ascending one finishes alone to the end (the single
chain of old, so the result is never worse than it was; only the descending requests already
made are spent) when its answers are not what the API says: items at or before its `before`
cursor (a server that ignores `before`), items it sent before, the items next to `before`
instead of those after `after`, a 400 for its cursors, or chains that disagree where they
overlap (a server that ignores `order`, an item deleted between two reads). Any other error of
either chain fails the read as the single chain would; the other chain sends nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reconciler.api.responses import check_advances, list_items
from reconciler.errors import ApiError

PAGE_SIZE = 100
Item = dict[str, Any]
Fetch = Callable[[dict[str, Any]], dict[str, Any]]  # query parameters -> the list's body
T = TypeVar("T")
log = logging.getLogger("reconciler")


def read_list(fetch: Fetch, operation: str, parse: Callable[[Item], T]) -> list[T]:
    """Every item of the list, oldest first, as the single ascending chain would give them.

    Each page's items are parsed while the next round's requests are in flight (a page's ids
    are all the next requests need), so that parsing adds nothing to the round trips; at most
    one round of raw answers waits to be parsed, never the whole list beside its parsed form."""
    ascending = _Ascending(fetch, operation, parse)
    if not ascending.step().more:
        return ascending.items
    try:
        with ThreadPoolExecutor(2, thread_name_prefix="reconciler-page") as pool:
            return _both_ends(ascending, pool)
    except _UnreliableError as why:
        log.info("%s: %s, so the list is read on from the oldest end alone", operation, why)
    while ascending.step().more:
        ascending.parse_pending()
    return ascending.items


@dataclass(frozen=True)
class _Page:
    items: list[Item]
    more: bool  # `has_more`, and not empty: an empty page ends a chain whatever it says

    @property
    def ids(self) -> list[str]:
        return [str(item["id"]) for item in self.items]


class _UnreliableError(Exception):
    """The descending chain's answer is not what the API says: that chain is dropped."""


class _Chain(Generic[T]):
    """The items one end has read, in its order, with each id's position; parsed on demand."""

    def __init__(self, parse: Callable[[Item], T]) -> None:
        self.parse = parse
        self._parsed: list[T] = []
        self._raw: list[Item] = []  # read, not yet parsed
        self.ids: list[str] = []
        self.position: dict[str, int] = {}

    def extend(self, items: list[Item]) -> None:
        for item in items:
            self.position.setdefault(str(item["id"]), len(self.ids))
            self.ids.append(str(item["id"]))
        self._raw += items

    def parse_pending(self) -> None:
        """Parse what was read since the last time (while the next requests are in flight)."""
        raw, self._raw = self._raw, []
        self._parsed += [self.parse(item) for item in raw]

    @property
    def items(self) -> list[T]:
        self.parse_pending()
        return self._parsed

    @property
    def last(self) -> str:
        return self.ids[-1]


class _Ascending(_Chain[T]):
    """The single chain of old: `order=asc`, each page after the newest id read."""

    def __init__(self, fetch: Fetch, operation: str, parse: Callable[[Item], T]) -> None:
        super().__init__(parse)
        self.fetch, self.operation = fetch, operation
        self.seen: set[str] = set()

    def query(self) -> dict[str, Any]:
        return _query("asc", after=self.last if self.ids else None)

    def step(self) -> _Page:
        query = self.query()
        return self.took(self.fetch(query), query)

    def took(self, body: dict[str, Any], query: dict[str, Any]) -> _Page:
        """The page `query` asked for, its items kept (to be parsed)."""
        page = _page(body, self.operation)
        self.extend(page.items)
        if page.more:
            check_advances(page.items, self.seen, query.get("after"), self.operation)
        return page


def _both_ends(ascending: _Ascending[T], pool: ThreadPoolExecutor) -> list[T]:
    """Rounds of one ascending and one descending page until the chains meet."""
    descending = _Chain(ascending.parse)
    while True:
        bounded, start = bool(descending.ids), len(ascending.ids)
        query = (
            _query("desc", after=descending.last, before=ascending.last)
            if bounded
            else _query("desc")  # not `before` alone: that asks for the items closest to it
        )
        pending = pool.submit(ascending.fetch, query)
        asked = ascending.query()
        coming = pool.submit(ascending.fetch, asked)
        ascending.parse_pending()  # the last round's pages, while this round's are on their way
        descending.parse_pending()
        ahead = ascending.took(coming.result(), asked)  # its error wins: the `with` waits
        behind = _answer(pending, ascending.operation)
        if not ahead.more:
            return ascending.items
        if behind is None:
            raise _UnreliableError("the endpoint answered 400 to a descending page's cursors")
        _check(behind, ahead, ascending, descending, start if bounded else None)
        descending.extend(behind.items)
        met = _joined(ascending, descending)
        if met is not None:
            return met


def _answer(pending: Future[dict[str, Any]], operation: str) -> _Page | None:
    """The descending page; None when the endpoint answered 400 to its query."""
    try:
        return _page(pending.result(), operation)
    except ApiError as error:
        if error.status == 400:
            return None
        raise


def _check(
    behind: _Page, ahead: _Page, ascending: _Chain[T], descending: _Chain[T], start: int | None
) -> None:
    """Refuse a descending page that is not what was asked: `start` is how many items the
    ascending chain had when it was asked for with `before` (None: asked for without)."""
    ids = behind.ids
    if any(i in descending.position for i in ids):
        raise _UnreliableError("a descending page sent items it had sent before")
    if start is None:
        return
    if any(ascending.position.get(i, start) < start for i in ids):
        raise _UnreliableError("a descending page sent items at or before its `before` cursor")
    # Honoured, a page with more beyond it cannot reach the item just after `before`.
    if behind.more and ahead.ids[0] in ids:
        raise _UnreliableError("a descending page said there was more, yet reached `before`")


def _joined(ascending: _Chain[T], descending: _Chain[T]) -> list[T] | None:
    """Both chains as one list, oldest first, once they overlap; None while they are apart."""
    newer = descending.ids[::-1]
    if not newer:
        return None
    start = ascending.position.get(newer[0])
    if start is None:
        if any(i in ascending.position for i in newer):
            raise _UnreliableError("the two ends disagree where they overlap")
        return None
    shared = ascending.ids[start : start + len(newer)]
    if shared != newer[: len(shared)]:
        raise _UnreliableError("the two ends disagree where they overlap")
    return ascending.items + descending.items[::-1][len(shared) :]


def _query(order: str, after: str | None = None, before: str | None = None) -> dict[str, Any]:
    cursors = {"after": after, "before": before}
    return {"limit": PAGE_SIZE, "order": order, **{k: v for k, v in cursors.items() if v}}


def _page(body: dict[str, Any], operation: str) -> _Page:
    items = list_items(body, operation)
    return _Page(items, bool(body.get("has_more")) and bool(items))
