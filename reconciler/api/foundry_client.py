"""FoundryClient: a Foundry project's agents, files and vector stores over an injected httpx.Client.

The project endpoint (`https://{account}.services.ai.azure.com/api/projects/{project}`) serves
agents under `/agents` (api-version `v1` required) and files and vector stores under
`/openai/v1` (no api-version, as the SDK sends none; `OpenAI-Beta: assistants=v2` on every
vector-store call, as the SDK sends it). Bearer tokens only (FOUNDRY-FACTS §0). Retries, errors
and the recovery of lost creates are calls.py's, shared with the v1 client.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from reconciler.api.calls import ApiBase
from reconciler.api.credentials import Auth
from reconciler.api.foundry_project import parse_connection, parse_deployment
from reconciler.api.foundry_toolboxes import ToolboxCalls
from reconciler.api.responses import check_advances, list_items, parse_file
from reconciler.api.retry import RetryPolicy
from reconciler.api.surface import FOUNDRY_PROJECT
from reconciler.core.kinds.connection import LiveConnection
from reconciler.core.kinds.deployment import LiveDeployment
from reconciler.core.kinds.file import LiveFile
from reconciler.core.tools.registry import TOOL_TYPES
from reconciler.core.tools.verbatim import preview_features
from reconciler.errors import ResponseError

PAGE_SIZE = 100
FILES_PAGE = 10_000  # the files list's own maximum: one request for nearly every project
AGENTS = {"api-version": "v1"}
OPENAI = "/openai/v1"
STORES = f"{OPENAI}/vector_stores"
BETA = {"OpenAI-Beta": "assistants=v2"}
POLL_DEFAULT_MS = 1000  # the SDK's pollers wait this long when the service says nothing


class FoundryClient(ToolboxCalls, ApiBase):
    def __init__(
        self,
        http: httpx.Client,
        endpoint: str,
        credential: Auth,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(http, endpoint.rstrip("/"), {}, credential, retry, FOUNDRY_PROJECT)

    # Agents

    def list_agents(self) -> list[dict[str, Any]]:
        """Every agent of the project, each with its latest version, paged by `last_id`."""
        return self._agent_pages("/agents", "list agents")

    def list_versions(self, name: str) -> list[dict[str, Any]]:
        """Every version of an agent (drafts left out), paged as the agents list."""
        return self._agent_pages(f"/agents/{name}/versions", f"list versions of agent {name}")

    def _agent_pages(self, path: str, operation: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {**AGENTS, "limit": PAGE_SIZE, "order": "asc"}
        seen: set[str] = set()
        found: list[dict[str, Any]] = []
        while True:
            page = self._call("GET", path, operation, params=params)
            items = list_items(page, operation)
            found += items
            # As the SDK does: has_more is not read, a null last_id ends the list.
            cursor = page.get("last_id")
            if not cursor or not items:
                return found
            check_advances(items, seen, params.get("after"), operation)
            params = {**params, "after": cursor}

    def delete_version(self, name: str, version: str) -> None:
        path = f"/agents/{name}/versions/{version}"
        self._call("DELETE", path, f"delete version {version} of agent {name}", params=AGENTS)

    def create_version(
        self, name: str, body: dict[str, Any], opt_in: str | None = None
    ) -> dict[str, Any]:
        """A new version (and the agent, when there is none). A lost answer is looked for as
        the latest version: when it already says what `body` says, it is what we made.
        `opt_in`: the Foundry-Features key a preview kind of agent needs (workflow agents)."""

        def recover() -> dict[str, Any] | None:
            latest = self.latest_version(name)
            return latest if latest is not None and _says(latest, body) else None

        path = f"/agents/{name}/versions"
        # A tool no module claims may be a preview one: opt in as the SDK does (verbatim.py).
        features = preview_features(body.get("definition") or {}, TOOL_TYPES)
        features = ",".join(f for f in (features, opt_in) if f) or None
        headers = {} if features is None else {"Foundry-Features": features}
        operation = f"create a version of agent {name}"
        return self._call(
            "POST", path, operation, recover, params=AGENTS, json=body, headers=headers
        )

    def get_version(self, name: str, version: str) -> dict[str, Any]:
        path = f"/agents/{name}/versions/{version}"
        return self._call("GET", path, f"get version {version} of agent {name}", params=AGENTS)

    def latest_version(self, name: str) -> dict[str, Any] | None:
        path, operation = f"/agents/{name}", f"get agent {name}"
        response, attempt = self._exchange("GET", path, operation, None, {"params": AGENTS})
        if response.status_code == 404:
            return None
        latest = self._result(response, operation, "GET", attempt).get("versions", {})
        return latest.get("latest") if isinstance(latest, dict) else None

    def delete_agent(self, name: str) -> None:
        self._call("DELETE", f"/agents/{name}", f"delete agent {name}", params=AGENTS)

    # Files

    def list_files(self) -> list[LiveFile]:
        return [parse_file(f) for f in self._files()]

    def _files(self) -> Iterator[dict[str, Any]]:
        return self._pages(f"{OPENAI}/files", FILES_PAGE, "assistants")

    def upload_file(self, filename: str, content: bytes | Path) -> LiveFile:
        """Upload bytes, or a file streamed from disk; a lost upload is found, not repeated."""
        return parse_file(self._upload(f"{OPENAI}/files", filename, content, self._files))

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"{OPENAI}/files/{file_id}", f"delete file {file_id}")

    def download_file(self, file_id: str) -> bytes:
        return self._content(f"{OPENAI}/files/{file_id}/content", f"download file {file_id}")

    # Vector stores

    def list_stores(self) -> list[dict[str, Any]]:
        return list(self._pages(STORES, PAGE_SIZE))

    def each_store(self) -> Iterator[dict[str, Any]]:
        """The stores as their pages arrive: what each leads to can be read meanwhile."""
        return self._pages(STORES, PAGE_SIZE)

    def create_store(self, body: dict[str, Any]) -> dict[str, Any]:
        """A store; a lost answer is looked for as a store of that name made since we began."""
        began = int(time.time())  # Unix seconds, as created_at is

        def recover() -> dict[str, Any] | None:
            made = [
                s
                for s in self._pages(STORES, PAGE_SIZE)
                if s.get("name") == body["name"] and int(s.get("created_at", 0)) >= began
            ]
            return made[0] if made else None

        operation = f"create vector store {body['name']}"
        return self._call("POST", STORES, operation, recover, json=body, headers=BETA)

    def get_store(self, store_id: str) -> tuple[dict[str, Any], float]:
        """The store, and how many seconds the service asks a poller to wait before the next."""
        operation = f"get vector store {store_id}"
        response, attempt = self._exchange(
            "GET", f"{STORES}/{store_id}", operation, None, {"headers": BETA}
        )
        store = self._result(response, operation, "GET", attempt)
        return store, _poll_after(response)

    def delete_store(self, store_id: str) -> None:
        operation = f"delete vector store {store_id}"
        self._call("DELETE", f"{STORES}/{store_id}", operation, headers=BETA)

    def list_store_files(self, store_id: str, status: str | None = None) -> list[dict[str, Any]]:
        """The files of a store; `status` (e.g. `failed`) keeps only those."""
        extra = {"filter": status} if status else {}
        return list(self._pages(f"{STORES}/{store_id}/files", PAGE_SIZE, **extra))

    # Connections and deployments: the environment's, read only

    def list_connections(self) -> list[LiveConnection]:
        return [parse_connection(c) for c in self._values("/connections", "list connections")]

    def list_deployments(self) -> list[LiveDeployment]:
        return [parse_deployment(d) for d in self._values("/deployments", "list deployments")]

    def _values(self, path: str, operation: str) -> list[dict[str, Any]]:
        """An Azure-style list: `value`, on while `nextLink` names a next page. A link is
        followed only under the project's endpoint (the credential goes nowhere else)."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = dict(AGENTS)
        seen: set[str] = set()
        while True:
            page = self._call("GET", path, operation, params=params)
            items = page.get("value")
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ResponseError(
                    f"{operation}: the endpoint sent a list without a 'value' array"
                )
            found += items
            link = page.get("nextLink")
            if not link:
                return found
            path, params = self._next(str(link), seen, operation)

    def _next(self, link: str, seen: set[str], operation: str) -> tuple[str, dict[str, Any]]:
        url = httpx.URL(link)
        base = httpx.URL(self.base)
        same = (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)
        if not same or not url.path.startswith(base.path.rstrip("/") + "/"):
            raise ResponseError(f"{operation}: the next page is off the project's endpoint")
        if link in seen:
            raise ResponseError(f"{operation}: the endpoint sent the same next page again")
        seen.add(link)
        return url.path[len(base.path.rstrip("/")) :], {**dict(url.params), **AGENTS}

    def _pages(
        self, path: str, limit: int, purpose: str | None = None, **extra: str
    ) -> Iterator[dict[str, Any]]:
        """An OpenAI-style list: on while `has_more`, the next cursor the last item's id."""
        params: dict[str, Any] = {"limit": limit, "order": "asc", **extra}
        if purpose is not None:
            params["purpose"] = purpose
        operation = f"list {path.removeprefix(OPENAI).strip('/')}"
        headers = BETA if path.startswith(STORES) else {}
        seen: set[str] = set()
        while True:
            page = self._call("GET", path, operation, params=params, headers=headers)
            items = list_items(page, operation)
            yield from items
            if not page.get("has_more") or not items:
                return
            check_advances(items, seen, params.get("after"), operation)
            params = {**params, "after": items[-1]["id"]}


def _says(version: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a version holds what a create-version body asked for (the service may add
    fields of its own to the definition, so only the ones sent are compared)."""
    definition = version.get("definition") or {}
    sent = body.get("definition", {})
    return (
        all(definition.get(k) == v for k, v in sent.items())
        and (version.get("metadata") or {}) == (body.get("metadata") or {})
        and (version.get("description") or None) == (body.get("description") or None)
    )


def _poll_after(response: httpx.Response) -> float:
    raw = response.headers.get("openai-poll-after-ms")
    try:
        return max(0.0, float(raw)) / 1000 if raw is not None else POLL_DEFAULT_MS / 1000
    except ValueError:
        return POLL_DEFAULT_MS / 1000
