"""`import` for Assistants v1: the endpoint's assistants, listed and drafted as manifests.

Listing costs the assistant-list requests and nothing else; drafting adds one file list (the
files' names), and the downloads come after every check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from reconciler.adoption.draft import Draft, Target
from reconciler.adoption.draft_assistant import draft_imports
from reconciler.adoption.listing import Entry, select, shown, unmanaged_listing, when
from reconciler.api.client import AssistantsClient
from reconciler.api.connect_v1 import open_client
from reconciler.api.retry import RetryPolicy
from reconciler.core.kinds.assistant.types import LiveAssistant

HEADER = ("ID", "NAME", "MODEL", "FILES", "CREATED (UTC)")


class Assistants:
    api = "assistants"  # the API family it reads
    folder = "assistants"  # where import writes when the project's manifests are its folder
    noun = "assistant"
    adoption = "same id, ownership marks added"

    @classmethod
    @contextmanager
    def opened(cls, directory: Path, target: Target, retry: RetryPolicy) -> Iterator[Assistants]:
        with open_client(directory, target.environment, os.environ, retry) as client:
            yield cls(client, target)

    def __init__(self, client: AssistantsClient, target: Target) -> None:
        self.client, self.target = client, target

    @cached_property
    def live(self) -> list[LiveAssistant]:
        return self.client.list_assistants()

    def listing(self, directory: Path) -> list[str]:
        return unmanaged_listing(self._entries(), HEADER, self.noun, self.target, directory)

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]:
        by_id = {a.id: a for a in self.live}
        chosen = [by_id[i] for i in select(self._entries(), selections, self.target, self.noun)]
        return draft_imports(chosen, self.live, self.target, self.client.list_files())

    def download_file(self, file_id: str) -> bytes:
        return self.client.download_file(file_id)

    def _entries(self) -> list[Entry]:
        return [
            Entry(
                a.id,
                a.name,
                a.metadata,
                (
                    shown(a.id),
                    shown(a.name),
                    shown(a.model),
                    str(len(a.file_ids)),
                    when(a.created_at),
                ),
            )
            for a in self.live
        ]
