"""Cursor lists: their query parameters, pages cut from a list in memory, the list body.

The database cuts pages in SQL (`Database.page`); a family whose lists filter first (Foundry's
agents by kind, versions without drafts, vector-store files by status) cuts them with
`page_items`, to the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.emulator.core.db import CursorError, Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request

MAX_LIMIT = 100


def parse_query(
    params: Mapping[str, str], max_limit: int = MAX_LIMIT, default_limit: int = 20
) -> PageQuery:
    """`limit` 1..100 (default 20), `order` asc|desc (default desc), `after`, `before`."""
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise bad_request(
            f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.",
            "order",
            "invalid_value",
        )
    return PageQuery(
        limit=_limit(params.get("limit", str(default_limit)), max_limit),
        order="asc" if order == "asc" else "desc",
        after=params.get("after"),
        before=params.get("before"),
    )


def _limit(raw: str, maximum: int = MAX_LIMIT) -> int:
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request(
            f"Invalid type for 'limit': expected an integer, but got '{raw}' instead.",
            "limit",
            "invalid_type",
        ) from None
    if limit < 1:
        message = f"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got {limit} instead."
        raise bad_request(message, "limit", "integer_below_min_value")
    if limit > maximum:
        message = (
            "Invalid 'limit': integer above maximum value. "
            f"Expected a value <= {maximum}, but got {limit} instead."
        )
        raise bad_request(message, "limit", "integer_above_max_value")
    return limit


def list_body(page: Page) -> Json:
    items = page.items
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": page.has_more,
    }


def page_items(items: list[Json], query: PageQuery) -> Page:
    """`after` and `before` are exclusive; `before` alone gives the `limit` items closest to it."""
    ordered = items if query.order == "asc" else items[::-1]
    ids = [item["id"] for item in ordered]
    start, stop = 0, len(ordered)
    if query.after is not None:
        start = _position(ids, "after", query.after) + 1
    if query.before is not None:
        stop = _position(ids, "before", query.before)
    window = ordered[start:stop]
    if query.before is not None and query.after is None:
        return Page(items=window[-query.limit :], has_more=len(window) > query.limit)
    return Page(items=window[: query.limit], has_more=len(window) > query.limit)


def _position(ids: list[str], name: str, value: str) -> int:
    try:
        return ids.index(value)
    except ValueError:
        raise CursorError(name, value) from None
