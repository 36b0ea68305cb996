"""What a live read holds once it is done: only the live objects, never the answers they were
read from (a 10,000-assistant read is a process's biggest holder besides the manifests)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import httpx
import pytest

from reconciler.api.client import AssistantsClient, Credential
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import API_VERSION, KEY


@pytest.fixture
def no_collector() -> Iterator[None]:
    """What is freed must be freed by its last reference going, not by the cyclic collector
    (loading pauses its full collections: what waits for them waits to the end)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_each_answer_is_freed_once_read_not_at_the_next_full_collection(
    server: BackgroundServer, api: httpx.Client, no_collector: None
) -> None:
    for _ in range(150):  # two-ended: three pages
        assert api.post("/assistants", json={"model": "m"}).is_success
    answers: list[weakref.ref[httpx.Response]] = []
    hooks = {"response": [lambda response: answers.append(weakref.ref(response))]}
    with httpx.Client(timeout=30, event_hooks=hooks) as http:
        client = AssistantsClient(http, server.url, API_VERSION, Credential(KEY))
        assert len(client.list_assistants()) == 150
        client.list_files()
        assert len(answers) == 4
        assert [answer() for answer in answers] == [None] * 4


def test_the_values_assistants_repeat_are_held_once(
    server: BackgroundServer, api: httpx.Client
) -> None:
    upload = api.post(
        "/files", files={"file": ("faq.md", b"# FAQ")}, data={"purpose": "assistants"}
    )
    file_id = upload.json()["id"]
    for name in ("a", "b"):
        created = api.post(
            "/assistants",
            json={
                "model": "gpt-4",
                "name": name,
                "description": "Answers questions",
                "tools": [{"type": "code_interpreter"}],
                "file_ids": [file_id],
                "metadata": {"team": "support", "name": name},
            },
        )
        assert created.is_success, created.text
    with httpx.Client(timeout=30) as http:
        client = AssistantsClient(http, server.url, API_VERSION, Credential(KEY))
        first, second = client.list_assistants()
    assert (first.name, second.name) == ("a", "b")
    assert first.model is second.model
    assert first.description is second.description
    assert first.file_ids[0] is second.file_ids[0]
    assert first.metadata["team"] is second.metadata["team"]
    assert first.tools[0] is second.tools[0]
    assert (first.metadata["name"], second.metadata["name"]) == ("a", "b")
