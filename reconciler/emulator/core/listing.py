"""Query parameters of cursor lists and the list body they produce."""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.emulator.core.db import Json, Page, PageQuery
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
