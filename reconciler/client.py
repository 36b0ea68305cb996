"""AssistantsClient: typed calls for assistants and files over an injected httpx.Client.

Every call carries `api-version` and the credential; lists page with limit=100 and stop when
`has_more` is false. Error bodies of both Azure layers become ApiError with status, code and
message; the credential never appears in an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from reconciler.errors import ApiError, ConnectionFailedError
from reconciler.model import LiveAssistant, LiveFile

PAGE_SIZE = 100


@dataclass(frozen=True)
class Credential:
    """An API key (sent as `api-key`) or an Entra ID token (sent as a bearer token)."""

    secret: str
    bearer: bool = False

    def headers(self) -> dict[str, str]:
        return (
            {"authorization": f"Bearer {self.secret}"} if self.bearer else {"api-key": self.secret}
        )

    def __repr__(self) -> str:
        return f"Credential(bearer={self.bearer}, secret=***)"


class AssistantsClient:
    def __init__(
        self, http: httpx.Client, endpoint: str, api_version: str, credential: Credential
    ) -> None:
        self.http = http
        self.base = f"{endpoint.rstrip('/')}/openai"
        self.params = {"api-version": api_version}
        self.headers = credential.headers()

    def list_assistants(self) -> list[LiveAssistant]:
        return [_assistant(item) for item in self._pages("/assistants")]

    def create_assistant(self, body: dict[str, Any]) -> LiveAssistant:
        return _assistant(self._call("POST", "/assistants", "create assistant", json=body))

    def modify_assistant(self, assistant_id: str, body: dict[str, Any]) -> LiveAssistant:
        path = f"/assistants/{assistant_id}"
        return _assistant(self._call("POST", path, f"modify assistant {assistant_id}", json=body))

    def delete_assistant(self, assistant_id: str) -> None:
        self._call("DELETE", f"/assistants/{assistant_id}", f"delete assistant {assistant_id}")

    def list_files(self) -> list[LiveFile]:
        body = self._call("GET", "/files", "list files", params={"purpose": "assistants"})
        return [_file(item) for item in body["data"]]

    def upload_file(self, filename: str, content: bytes) -> LiveFile:
        parts = {"file": (filename, content, "application/octet-stream")}
        body = self._call(
            "POST", "/files", f"upload {filename}", files=parts, data={"purpose": "assistants"}
        )
        return _file(body)

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"/files/{file_id}", f"delete file {file_id}")

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"limit": PAGE_SIZE, "order": "asc"}
        while True:
            page = self._call("GET", path, f"list {path.strip('/')}", params=params)
            yield from page["data"]
            if not page["has_more"] or not page["data"]:
                return
            params = {**params, "after": page["last_id"]}

    def _call(self, method: str, path: str, operation: str, **kwargs: Any) -> dict[str, Any]:
        params = {**self.params, **kwargs.pop("params", {})}
        try:
            response = self.http.request(
                method, self.base + path, params=params, headers=self.headers, **kwargs
            )
        except httpx.TransportError as error:
            raise ConnectionFailedError(
                f"{operation} failed: {type(error).__name__}: {error}"
            ) from None
        if response.status_code >= 400:
            raise _error(response, operation)
        body: dict[str, Any] = response.json()
        return body


def _error(response: httpx.Response, operation: str) -> ApiError:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or response.reason_phrase or "no message")
    code = error.get("code")
    return ApiError(response.status_code, None if code is None else str(code), message, operation)


def _assistant(item: dict[str, Any]) -> LiveAssistant:
    return LiveAssistant(
        id=item["id"],
        created_at=int(item["created_at"]),
        name=item.get("name"),
        description=item.get("description"),
        model=item["model"],
        instructions=item.get("instructions"),
        tools=tuple(item.get("tools") or ()),
        file_ids=tuple(item.get("file_ids") or ()),
        metadata=dict(item.get("metadata") or {}),
    )


def _file(item: dict[str, Any]) -> LiveFile:
    return LiveFile(
        item["id"], item["filename"], int(item["bytes"]), int(item["created_at"]), item["purpose"]
    )
