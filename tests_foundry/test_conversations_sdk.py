"""openai 3.x, as `AIProjectClient.get_openai_client()` returns it, drives conversations unchanged.

And a route the emulator does not serve is an error neither client takes for a missing object
nor retries: openai's `InternalServerError` (501), azure-core's `HttpResponseError`.
"""

from __future__ import annotations

from typing import Any

import openai as openai_sdk
import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from reconciler.emulator import Emulator


def test_conversation_lifecycle(openai: Any) -> None:
    conversation = openai.conversations.create(
        items=[{"type": "message", "role": "user", "content": "Hi"}],
        metadata={"topic": "demo"},
    )
    assert conversation.id.startswith("conv_")
    assert (conversation.object, conversation.metadata) == ("conversation", {"topic": "demo"})
    assert openai.conversations.retrieve(conversation.id).metadata == {"topic": "demo"}
    updated = openai.conversations.update(conversation.id, metadata={"topic": "other"})
    assert updated.metadata == {"topic": "other"}

    added = openai.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "assistant", "content": "Hello!"},
            {"type": "message", "role": "user", "content": "Bye"},
        ],
    )
    assert [item.role for item in added.data] == ["assistant", "user"]
    assert added.data[0].content[0].type == "output_text"
    assert added.data[0].content[0].text == "Hello!"

    every = list(openai.conversations.items.list(conversation.id, limit=1))
    texts = [item.content[0].text for item in every]
    assert texts == ["Bye", "Hello!", "Hi"]  # newest first, one page at a time
    first = every[-1]
    assert first.id.startswith("msg_")
    fetched = openai.conversations.items.retrieve(first.id, conversation_id=conversation.id)
    assert fetched.content[0].text == "Hi"
    after = openai.conversations.items.delete(first.id, conversation_id=conversation.id)
    assert after.id == conversation.id
    with pytest.raises(openai_sdk.NotFoundError):
        openai.conversations.items.retrieve(first.id, conversation_id=conversation.id)

    deleted = openai.conversations.delete(conversation.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        conversation.id,
        True,
        "conversation.deleted",
    )
    with pytest.raises(openai_sdk.NotFoundError):
        openai.conversations.retrieve(conversation.id)


def test_bad_input_is_a_bad_request(openai: Any) -> None:
    with pytest.raises(openai_sdk.BadRequestError) as raised:
        openai.conversations.create(metadata={f"k{n}": "v" for n in range(17)})
    assert raised.value.param == "metadata"


def test_a_route_not_served_is_neither_absence_nor_retried(
    openai: Any, project: Any, emulator: Emulator
) -> None:
    with pytest.raises(openai_sdk.InternalServerError) as raised:
        openai.fine_tuning.jobs.list()  # the client's default max_retries is 2
    assert raised.value.status_code == 501
    assert raised.value.code == "not_implemented_by_emulator"
    with pytest.raises(HttpResponseError) as failed:
        project.datasets.get("ds-1", "1")
    assert not isinstance(failed.value, ResourceNotFoundError)
    assert failed.value.status_code == 501
    # One request each: neither client retried.
    assert emulator.stats.snapshot()["requests"] == {"GET (unmatched)": 2}
