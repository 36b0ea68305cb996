"""The Assistants v1 dialect: files and assistants under `/openai`, written through the client."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from reconciler.api.client import AssistantsClient
from reconciler.core.kinds import BY_NAME, KINDS
from reconciler.core.model import LiveState
from reconciler.core.plan_types import ResourceChange
from reconciler.errors import ReconcilerError

Handler = Callable[[ResourceChange, dict[str, str]], str]


class AssistantsV1:
    kinds = KINDS

    def __init__(self, client: AssistantsClient, directory: Path) -> None:
        self.client, self.directory = client, directory
        self._handlers: dict[tuple[str, str], Handler] = {
            ("file", "create"): self._upload,
            ("file", "delete"): lambda change, _: self._delete(self.client.delete_file, change),
            ("assistant", "create"): self._create_assistant,
            ("assistant", "update"): self._modify_assistant,
            ("assistant", "delete"): lambda c, _: self._delete(self.client.delete_assistant, c),
        }

    def read_live(self) -> LiveState:
        return LiveState(
            assistants=tuple(self.client.list_assistants()), files=tuple(self.client.list_files())
        )

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        content = {i: hashlib.sha256(self.client.download_file(i)).hexdigest() for i in ids}
        return dataclasses.replace(live, content={**live.content, **content})

    def listed(self, live: LiveState, stores: list[str]) -> LiveState:
        return live  # v1 has no vector stores

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        return self._handlers[(change.kind, change.action)](change, ids)

    def _upload(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = BY_NAME[change.kind].body(change, ids)
        path = self.directory / body["path"]
        if _sha256_of(path) != body["sha256"]:  # streamed, like the upload itself
            raise ReconcilerError(
                f"{body['path']} changed since the plan was made. Run plan again."
            )
        return self.client.upload_file(body["filename"], path).id

    def _create_assistant(self, change: ResourceChange, ids: dict[str, str]) -> str:
        return self.client.create_assistant(BY_NAME[change.kind].body(change, ids)).id

    def _modify_assistant(self, change: ResourceChange, ids: dict[str, str]) -> str:
        assert change.id is not None
        self.client.modify_assistant(change.id, BY_NAME[change.kind].body(change, ids))
        return change.id

    @staticmethod
    def _delete(delete: Callable[[str], None], change: ResourceChange) -> str:
        assert change.id is not None
        delete(change.id)
        return change.id


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
