"""Every documented v1 limit: the boundary is accepted, one past it is a 400 naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator, Options
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import azure_client


def fn(name: str = "f", **extra: Any) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, **extra}}


def keys(count: int) -> dict[str, str]:
    return {f"k{i}": "v" for i in range(count)}


# (field, body at the limit, body one past it, expected param)
LIMITS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("name", {"name": "n" * 256}, {"name": "n" * 257}, "name"),
    ("description", {"description": "d" * 512}, {"description": "d" * 513}, "description"),
    ("instructions", {"instructions": "i" * 32768}, {"instructions": "i" * 32769}, "instructions"),
    (
        "tools",
        {"tools": [fn(f"f{i}") for i in range(128)]},
        {"tools": [fn(f"f{i}") for i in range(129)]},
        "tools",
    ),
    (
        "function name",
        {"tools": [fn("a" * 64)]},
        {"tools": [fn("a" * 65)]},
        "tools[0].function.name",
    ),
    (
        "function name chars",
        {"tools": [fn("ok_name-1")]},
        {"tools": [fn("no spaces")]},
        "tools[0].function.name",
    ),
    ("function name empty", {"tools": [fn("x")]}, {"tools": [fn("")]}, "tools[0].function.name"),
    (
        "function description",
        {"tools": [fn(description="d" * 1024)]},
        {"tools": [fn(description="d" * 1025)]},
        "tools[0].function.description",
    ),
    (
        "function parameters",
        {"tools": [fn(parameters={"type": "object", "properties": {"id": {"type": "string"}}})]},
        {"tools": [fn(parameters={"type": "object", "properties": {"id": {"type": "text"}}})]},
        "tools[0].function.parameters",
    ),
    ("metadata keys", {"metadata": keys(16)}, {"metadata": keys(17)}, "metadata"),
    (
        "metadata key",
        {"metadata": {"k" * 64: "v"}},
        {"metadata": {"k" * 65: "v"}},
        "metadata." + "k" * 65,
    ),
    (
        "metadata value",
        {"metadata": {"k": "v" * 512}},
        {"metadata": {"k": "v" * 513}},
        "metadata.k",
    ),
    ("metadata string", {"metadata": {"k": "1"}}, {"metadata": {"k": 1}}, "metadata.k"),
]


@pytest.mark.parametrize(("case", "within", "beyond", "param"), LIMITS, ids=[c[0] for c in LIMITS])
def test_assistant_limits_on_create_and_modify(
    api: httpx.Client, case: str, within: dict[str, Any], beyond: dict[str, Any], param: str
) -> None:
    created = api.post("/assistants", json={"model": "m", **within})
    assert created.status_code == 200, created.text
    for response in (
        api.post("/assistants", json={"model": "m", **beyond}),
        api.post(f"/assistants/{created.json()['id']}", json=beyond),
    ):
        assert response.status_code == 400, case
        assert response.json()["error"]["param"] == param


def upload(api: httpx.Client, count: int) -> list[str]:
    return [
        api.post(
            "/files", files={"file": (f"{i}.txt", b"x")}, data={"purpose": "assistants"}
        ).json()["id"]
        for i in range(count)
    ]


def test_twenty_files_per_assistant_in_body_and_by_attach(api: httpx.Client) -> None:
    file_ids = upload(api, 21)
    assert (
        api.post("/assistants", json={"model": "m", "file_ids": file_ids}).json()["error"]["param"]
        == "file_ids"
    )
    full = api.post("/assistants", json={"model": "m", "file_ids": file_ids[:20]}).json()
    assert full["file_ids"] == file_ids[:20]
    response = api.post(f"/assistants/{full['id']}/files", json={"file_id": file_ids[20]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "array_above_max_length"


def test_ten_files_per_message(api: httpx.Client) -> None:
    file_ids = upload(api, 11)
    thread = api.post("/threads", json={}).json()["id"]
    ok = api.post(
        f"/threads/{thread}/messages",
        json={"role": "user", "content": "c", "file_ids": file_ids[:10]},
    )
    assert ok.status_code == 200
    over = api.post(
        f"/threads/{thread}/messages", json={"role": "user", "content": "c", "file_ids": file_ids}
    )
    assert over.json()["error"]["param"] == "file_ids"


def test_message_content_limit(api: httpx.Client) -> None:
    thread = api.post("/threads", json={}).json()["id"]
    path = f"/threads/{thread}/messages"
    assert api.post(path, json={"role": "user", "content": "c" * 32768}).status_code == 200
    assert (
        api.post(path, json={"role": "user", "content": "c" * 32769}).json()["error"]["param"]
        == "content"
    )
    assert (
        api.post(path, json={"role": "user", "content": ""}).json()["error"]["param"] == "content"
    )
    assert (
        api.post(path, json={"role": "assistant", "content": "c"}).json()["error"]["param"]
        == "role"
    )


def test_run_overrides_obey_the_same_limits(api: httpx.Client) -> None:
    assistant = api.post("/assistants", json={"model": "m"}).json()["id"]
    thread = api.post("/threads", json={}).json()["id"]
    body = {"assistant_id": assistant, "instructions": "i" * 32769}
    assert api.post(f"/threads/{thread}/runs", json=body).json()["error"]["param"] == "instructions"
    body = {"assistant_id": assistant, "tools": [fn("bad name")]}
    assert (
        api.post(f"/threads/{thread}/runs", json=body).json()["error"]["param"]
        == "tools[0].function.name"
    )


@pytest.fixture
def small_files() -> Iterator[httpx.Client]:
    """The size limit is an option so a test can meet it without 512 MB of data."""
    emulator = Emulator.create(options=Options(max_file_bytes=1024))
    with BackgroundServer(emulator) as server, azure_client(server.url) as client:
        yield client


def test_file_size_limit(small_files: httpx.Client) -> None:
    def post(data: bytes) -> dict[str, Any]:
        sent = small_files.post(
            "/files", files={"file": ("f.bin", data)}, data={"purpose": "assistants"}
        )
        body: dict[str, Any] = sent.json()
        return body

    assert post(b"x" * 1024)["bytes"] == 1024
    error = post(b"x" * 1025)["error"]
    assert (error["param"], error["code"]) == ("file", "file_too_large")


def test_the_default_file_size_limit_is_512_mib() -> None:
    assert Options().max_file_bytes == 512 * 1024 * 1024


@pytest.fixture
def azure_strict() -> Iterator[httpx.Client]:
    emulator = Emulator.create(options=Options(reject_retrieval=True))
    with BackgroundServer(emulator) as server, azure_client(server.url) as client:
        yield client


def test_retrieval_is_accepted_by_default(api: httpx.Client) -> None:
    assert (
        api.post("/assistants", json={"model": "m", "tools": [{"type": "retrieval"}]}).status_code
        == 200
    )


def test_retrieval_is_rejected_when_asked_like_azure(azure_strict: httpx.Client) -> None:
    error = azure_strict.post(
        "/assistants", json={"model": "m", "tools": [{"type": "retrieval"}]}
    ).json()["error"]
    assert error["message"] == "Retrieval tools are not supported."
