"""Plain clients of the emulator's Foundry surface, speaking its wire format."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

TOKEN = "entra-token"
MODEL = "gpt-4.1-mini"


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


@contextmanager
def foundry_client(
    url: str, project: str = "p1", token: str | None = TOKEN, **kwargs: Any
) -> Iterator[httpx.Client]:
    """A client of one project: agents under `/agents`, the OpenAI routes under `/openai/v1`.

    It sends `api-version=v1` everywhere (the OpenAI routes ignore it); `params={}` leaves it out.
    """
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    options: dict[str, Any] = {"params": {"api-version": "v1"}, "headers": headers, "timeout": 30}
    with httpx.Client(base_url=f"{url}/api/projects/{project}", **{**options, **kwargs}) as client:
        yield client


def prompt(**changes: Any) -> dict[str, Any]:
    """A create-version body for a prompt agent."""
    return {"definition": {"kind": "prompt", "model": MODEL, **changes}}


def upload(client: httpx.Client, name: str = "faq.md", data: bytes = b"# FAQ\n") -> str:
    files = {"file": (name, data, "text/plain")}
    response = client.post("/openai/v1/files", files=files, data={"purpose": "assistants"})
    assert response.status_code == 200, response.text
    return str(response.json()["id"])
