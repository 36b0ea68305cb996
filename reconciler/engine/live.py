"""Read the live state: every assistant (all pages) and every file, from list endpoints only."""

from __future__ import annotations

from reconciler.api.client import AssistantsClient
from reconciler.core.model import LiveState


def read_live(client: AssistantsClient) -> LiveState:
    return LiveState(assistants=tuple(client.list_assistants()), files=tuple(client.list_files()))
