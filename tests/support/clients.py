"""What talks to an emulator in the tests: its key, a plain Azure-style client, the CLI's env."""

from __future__ import annotations

from typing import Any

import httpx

API_VERSION = "2024-02-15-preview"
KEY = "test-key"
# Retries back off for a millisecond, not half a second: the tests count calls, not time.
ENV = {"AZURE_OPENAI_API_KEY": KEY, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}


def azure_client(url: str, key: str = KEY) -> httpx.Client:
    """A plain client speaking Azure's wire format: /openai prefix, api-version, api-key."""
    return httpx.Client(
        base_url=f"{url}/openai",
        params={"api-version": API_VERSION},
        headers={"api-key": key},
        timeout=30,
    )


def assistants(api: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = api.get(
        "/assistants", params={"limit": 100, "order": "asc"}
    ).json()["data"]
    return data
