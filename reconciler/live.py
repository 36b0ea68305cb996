"""Read the live state: every assistant (all pages) and every file, from list endpoints only."""

from __future__ import annotations

from reconciler.client import AssistantsClient
from reconciler.model import LiveState


def read_live(client: AssistantsClient) -> LiveState:
    return LiveState(assistants=tuple(client.list_assistants()), files=tuple(client.list_files()))
