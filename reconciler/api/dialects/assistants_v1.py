"""The Assistants v1 dialect: files and assistants under `/openai`, written through the client."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from reconciler.api.client import AssistantsClient
from reconciler.api.connect import READS_AT_ONCE
from reconciler.api.connect_v1 import open_client, v1_credential
from reconciler.api.credentials import Auth
from reconciler.api.dialects import Connection
from reconciler.api.dialects.uploads import checked_path, with_content
from reconciler.api.reads import Reads
from reconciler.core.kinds import assistant, file
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.registry import kind_named, kinds_of
from reconciler.core.model import Environment
from reconciler.core.plan_types import ResourceChange
from reconciler.core.state import LiveState

Handler = Callable[[ResourceChange, dict[str, str]], str]


class AssistantsV1:
    api = "assistants"

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return kinds_of(self.api)

    @staticmethod
    def credential(environment: Environment, process: Mapping[str, str]) -> Auth:
        return v1_credential(environment, process)

    @classmethod
    @contextmanager
    def opened(cls, connection: Connection) -> Iterator[AssistantsV1]:
        """Connected to the environment: its resource, or the bundled emulator."""
        c = connection
        with open_client(
            c.directory, c.environment, c.process, c.retry, c.stop, c.parallelism
        ) as http:
            yield cls(http, c.directory)

    def __init__(self, client: AssistantsClient, directory: Path) -> None:
        self.client, self.directory = client, directory
        self._handlers: dict[tuple[str, str], Handler] = {
            (file.NAME, "create"): self._upload,
            (file.NAME, "delete"): lambda change, _: self._delete(self.client.delete_file, change),
            (assistant.NAME, "create"): self._create_assistant,
            (assistant.NAME, "update"): self._modify_assistant,
            (assistant.NAME, "delete"): lambda c, _: self._delete(self.client.delete_assistant, c),
        }

    def read_live(self) -> LiveState:
        """The assistants, with the file list read alongside through the read scheduler: its
        round trip costs no time. An error of the assistant list wins, as when the file list
        came after it. (The assistant list pages from both ends on a thread of its own,
        api/paging.py: with this one, three requests at most, within the pool's four.)"""
        with Reads(READS_AT_ONCE) as reads:
            files = reads.submit(self.client.list_files)
            assistants = tuple(self.client.list_assistants())
            objects = {assistant.LIVE.kind: assistants, file.LIVE.kind: tuple(files.result())}
            return LiveState(objects)

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        return with_content(live, self.client.download_file, ids)

    def watch(self, progress: Callable[[str], None]) -> None:
        pass  # every v1 call answers at once: nothing to follow

    def listed(self, live: LiveState, stores: list[str]) -> LiveState:
        return live  # v1 has no vector stores

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        return self._handlers[(change.kind, change.action)](change, ids)

    def _upload(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        return self.client.upload_file(body["filename"], checked_path(self.directory, body)).id

    def _create_assistant(self, change: ResourceChange, ids: dict[str, str]) -> str:
        return self.client.create_assistant(kind_named(change.kind).body(change, ids)).id

    def _modify_assistant(self, change: ResourceChange, ids: dict[str, str]) -> str:
        assert change.id is not None
        self.client.modify_assistant(change.id, kind_named(change.kind).body(change, ids))
        return change.id

    @staticmethod
    def _delete(delete: Callable[[str], None], change: ResourceChange) -> str:
        assert change.id is not None
        delete(change.id)
        return change.id
