"""Cursor lists: limit, order, after, before, empty pages, ties in created_at, bad parameters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.emulator import Emulator
from reconciler.emulator.core.db import Database, PageQuery


def make(api: httpx.Client, count: int) -> list[str]:
    """Create assistants; returns their ids oldest first."""
    return [
        api.post("/assistants", json={"model": "m", "name": f"a{i}"}).json()["id"]
        for i in range(count)
    ]


def page(api: httpx.Client, **params: Any) -> dict[str, Any]:
    response = api.get("/assistants", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["data"]]


@pytest.fixture
def frozen(emulator: Emulator) -> Emulator:
    """Every object created in the same second: order must come from creation sequence."""
    emulator.state.clock = lambda: 1_700_000_000.0
    return emulator


def test_default_page_is_20_newest_first(frozen: Emulator, api: httpx.Client) -> None:
    created = make(api, 25)
    body = page(api)
    assert ids(body) == created[::-1][:20]
    assert body["first_id"] == created[-1]
    assert body["last_id"] == created[5]
    assert body["has_more"] is True


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_walking_after_cursors_sees_everything_once_then_an_empty_page(
    frozen: Emulator, api: httpx.Client, order: str
) -> None:
    created = make(api, 23)
    expected = created if order == "asc" else created[::-1]
    seen: list[str] = []
    body = page(api, limit=5, order=order)
    while body["data"]:
        seen += ids(body)
        body = page(api, limit=5, order=order, after=body["last_id"])
    assert seen == expected
    assert body == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


def test_has_more_is_false_on_the_last_full_page(api: httpx.Client) -> None:
    created = make(api, 10)
    body = page(api, limit=5, order="asc", after=created[4])
    assert ids(body) == created[5:]
    assert body["has_more"] is False


@pytest.mark.parametrize(
    ("order", "expected_slice"), [("asc", slice(7, 10)), ("desc", slice(11, 14))]
)
def test_before_returns_the_items_closest_to_the_cursor_in_request_order(
    frozen: Emulator, api: httpx.Client, order: str, expected_slice: slice
) -> None:
    created = make(api, 20)
    body = page(api, limit=3, order=order, before=created[10])
    expected = created[expected_slice]
    assert ids(body) == (expected if order == "asc" else expected[::-1])
    assert body["has_more"] is True


def test_after_and_before_together_select_the_items_between(
    frozen: Emulator, api: httpx.Client
) -> None:
    created = make(api, 12)
    body = page(api, order="asc", after=created[2], before=created[9])
    assert ids(body) == created[3:9]
    body = page(api, order="desc", after=created[9], before=created[2], limit=2)
    assert ids(body) == [created[8], created[7]]
    assert body["has_more"] is True


def test_before_the_first_item_is_an_empty_page(api: httpx.Client) -> None:
    created = make(api, 3)
    assert page(api, order="asc", before=created[0])["data"] == []
    assert page(api, order="desc", after=created[0])["data"] == []


def test_ties_in_created_at_keep_creation_order_in_both_directions(
    frozen: Emulator, api: httpx.Client
) -> None:
    created = make(api, 8)
    assert len({item["created_at"] for item in page(api, limit=100)["data"]}) == 1
    assert ids(page(api, order="asc", limit=100)) == created
    assert ids(page(api, order="desc", limit=100)) == created[::-1]


def test_created_at_orders_before_creation_sequence(emulator: Emulator, api: httpx.Client) -> None:
    times = iter([200.0, 100.0, 300.0])
    emulator.state.clock = lambda: next(times)
    created = make(api, 3)
    assert ids(page(api, order="asc")) == [created[1], created[0], created[2]]


def test_limit_bounds_are_inclusive(api: httpx.Client) -> None:
    created = make(api, 3)
    assert ids(page(api, limit=1)) == [created[-1]]
    assert len(page(api, limit=100)["data"]) == 3


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 0}, "limit", "integer_below_min_value"),
        ({"limit": 101}, "limit", "integer_above_max_value"),
        ({"limit": -5}, "limit", "integer_below_min_value"),
        ({"limit": "ten"}, "limit", "invalid_type"),
        ({"limit": "1.5"}, "limit", "invalid_type"),
        ({"order": "sideways"}, "order", "invalid_value"),
        ({"after": "asst_unknown"}, "after", "invalid_value"),
        ({"before": "asst_unknown"}, "before", "invalid_value"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(
    api: httpx.Client, params: dict[str, Any], param: str, code: str
) -> None:
    make(api, 1)
    response = api.get("/assistants", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")


def test_a_cursor_from_another_list_is_rejected(api: httpx.Client) -> None:
    assistant = make(api, 1)[0]
    thread = api.post("/threads", json={}).json()["id"]
    response = api.get(f"/threads/{thread}/messages", params={"after": assistant})
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"]
        == f"Invalid 'after': no object with id '{assistant}' in this list."
    )


def test_nested_lists_page_the_same_way(api: httpx.Client) -> None:
    thread = api.post("/threads", json={}).json()["id"]
    created = [
        api.post(f"/threads/{thread}/messages", json={"role": "user", "content": str(i)}).json()[
            "id"
        ]
        for i in range(5)
    ]
    body = api.get(
        f"/threads/{thread}/messages", params={"limit": 2, "order": "asc", "after": created[1]}
    ).json()
    assert ids(body) == created[2:4]
    assert body["has_more"] is True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(0, 12),
    limit=st.integers(1, 5),
    order=st.sampled_from(["asc", "desc"]),
    after=st.none() | st.integers(0, 11),
    before=st.none() | st.integers(0, 11),
)
def test_pages_agree_with_a_plain_list_model(
    count: int, limit: int, order: str, after: int | None, before: int | None
) -> None:
    """Property: the SQL paging equals filtering and slicing a Python list."""
    db = Database()
    for i in range(count):
        db.insert("x", "", {"id": f"x{i}", "created_at": i // 3})
    names = [f"x{i}" for i in range(count)]
    cursor_after = names[after] if after is not None and after < count else None
    cursor_before = names[before] if before is not None and before < count else None
    query = PageQuery(limit, "asc" if order == "asc" else "desc", cursor_after, cursor_before)
    got = [item["id"] for item in db.page("x", "", query).items]
    assert got == model_page(names, query)


def model_page(names: list[str], query: PageQuery) -> list[str]:
    ordered = names if query.order == "asc" else names[::-1]
    if query.after is not None:
        ordered = ordered[ordered.index(query.after) + 1 :]
    if query.before is not None:
        ordered = ordered[: ordered.index(query.before)] if query.before in ordered else []
        if query.after is None:
            return ordered[-query.limit :]
    return ordered[: query.limit]
