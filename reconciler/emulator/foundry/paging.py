"""Cursor pages over a list already in (created_at, creation) order, as v1's Database.page does.

Foundry lists filter before they page (agents by kind, versions without drafts, vector-store
files by status), so the page is cut here rather than in SQL.
"""

from __future__ import annotations

from reconciler.emulator.core.db import CursorError, Json, Page, PageQuery


def page_of(items: list[Json], query: PageQuery) -> Page:
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
