"""AssistantsClient: typed calls for assistants and files over an injected httpx.Client.

Every call carries `api-version` and goes through the credential, an httpx.Auth (credentials.py:
a key, a fixed token, or Entra ID tokens renewed as they expire); the assistant list is read from
both ends at once, 100 per page (paging.py). Retries, errors and the recovery of lost creates are
the shared machinery of calls.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from reconciler.api.calls import ApiBase, has_marks
from reconciler.api.credentials import Auth, Credential
from reconciler.api.paging import Fetch, T, read_list
from reconciler.api.responses import Repeats, list_items, parse_assistant, parse_file
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import Surface, surface_of
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LiveFile
from reconciler.core.marks import NAME_MARK, OWNER_MARK

__all__ = ["AssistantsClient", "Credential"]  # Credential: where callers found it first


class AssistantsClient(ApiBase):
    def __init__(
        self,
        http: httpx.Client,
        endpoint: str,
        api_version: str,
        credential: Auth,
        retry: RetryPolicy | None = None,
        surface: Surface | None = None,
    ) -> None:
        base, params = f"{endpoint.rstrip('/')}/openai", {"api-version": api_version}
        super().__init__(http, base, params, credential, retry, surface or surface_of(endpoint))

    def list_assistants(self) -> list[LiveAssistant]:
        repeats = Repeats()
        return self._listed("/assistants", lambda item: parse_assistant(item, repeats))

    def create_assistant(self, body: dict[str, Any]) -> LiveAssistant:
        marks = {
            k: v for k, v in (body.get("metadata") or {}).items() if k in (OWNER_MARK, NAME_MARK)
        }

        def recover() -> dict[str, Any] | None:
            found = [a for a in self._listed("/assistants", dict) if has_marks(a, marks)]
            return found[0] if found and marks else None

        return parse_assistant(
            self._call("POST", "/assistants", "create assistant", recover=recover, json=body)
        )

    def modify_assistant(self, assistant_id: str, body: dict[str, Any]) -> LiveAssistant:
        path = f"/assistants/{assistant_id}"
        return parse_assistant(
            self._call("POST", path, f"modify assistant {assistant_id}", json=body)
        )

    def delete_assistant(self, assistant_id: str) -> None:
        self._call("DELETE", f"/assistants/{assistant_id}", f"delete assistant {assistant_id}")

    def list_files(self) -> list[LiveFile]:
        body = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
        return [parse_file(item) for item in list_items(body, "list files")]

    def upload_file(self, filename: str, content: bytes | Path) -> LiveFile:
        """Upload bytes, or a file streamed from disk: a large file is never read whole."""

        def listed() -> list[dict[str, Any]]:
            body = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
            return list_items(body, "list files")

        return parse_file(self._upload("/files", filename, content, listed))

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"/files/{file_id}", f"delete file {file_id}")

    def download_file(self, file_id: str) -> bytes:
        """The bytes of an uploaded file (`GET /files/{id}/content`), retried like every call."""
        return self._content(f"/files/{file_id}/content", f"download file {file_id}")

    def _listed(self, path: str, parse: Callable[[dict[str, Any]], T]) -> list[T]:
        operation = f"list {path.strip('/')}"
        fetch: Fetch = lambda query: self._call("GET", path, operation, params=query)  # noqa: E731
        return read_list(fetch, operation, parse)
