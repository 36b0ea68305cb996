"""The Foundry agents dialect: files, vector stores and prompt agents of one project.

Reads come from list endpoints only: agents (with their latest versions), files, vector stores,
the project's connections and deployments (one request each: tools name connections, agents
deployments), and the files of each store named as knowledge; the files of other stores only
when the planner asks (`listed`: before it deletes a file, which such a store might hold). All
of them at once through the read scheduler (api/reads.py): the lists side by side, each store's
files as soon as its page arrives.
Writes: uploads (checked against the plan first), a vector store per knowledge set (waited for
until ingested; a failed file fails it and leaves nothing behind; one an earlier apply stopped
waiting for is waited for again, never made twice), one new agent version per create or
update, deletes.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from reconciler.api.connect import DEFAULT_PARALLELISM, LOCAL, read_width
from reconciler.api.connect_foundry import (
    foundry_credential,
    ingestion_timeout,
    open_foundry_client,
)
from reconciler.api.credentials import Auth
from reconciler.api.dialects import Connection
from reconciler.api.dialects.foundry_toolboxes import read_toolboxes, toolbox_handlers
from reconciler.api.dialects.hosted import REGISTRY_ENV, live_hosted, resolve_images, write_hosted
from reconciler.api.dialects.ingestion import Waiting, fail_if_failed, wait_ingested
from reconciler.api.dialects.uploads import checked_path, with_content
from reconciler.api.dialects.workflows import live_workflows
from reconciler.api.foundry_client import FoundryClient
from reconciler.api.foundry_responses import parse_agent, parse_store, parse_version
from reconciler.api.reads import Reads, gather
from reconciler.core.kinds import (
    agent,
    connection,
    deployment,
    file,
    hosted_agent,
    toolbox,
    vector_store,
    workflow_agent,
)
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.base import Kind
from reconciler.core.kinds.registry import kind_named, kinds_of
from reconciler.core.kinds.vector_store import STORE_PREFIX, LiveVectorStore
from reconciler.core.model import Environment
from reconciler.core.plan_types import ResourceChange
from reconciler.core.state import LiveState
from reconciler.errors import ApiError

Handler = Callable[[ResourceChange, dict[str, str]], str]
T = TypeVar("T")
UNREADABLE = (403, 404)  # a list not served, or not ours to read: what it would say is not known


class FoundryAgents:
    api = "foundry"

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return kinds_of(self.api)

    @staticmethod
    def credential(environment: Environment, process: Mapping[str, str]) -> Auth:
        return foundry_credential(environment, process)

    @classmethod
    @contextmanager
    def opened(cls, connection: Connection) -> Iterator[FoundryAgents]:
        """Connected to the environment's project (the bundled emulator's for `local`), its
        ingestion waited for as long as RECONCILER_INGESTION_TIMEOUT_SECONDS says."""
        c = connection
        waiting = Waiting(ingestion_timeout(c.process))
        opening = open_foundry_client(
            c.directory,
            c.project,
            c.environment,
            c.process,
            c.retry,
            c.stop,
            parallelism=c.parallelism,
        )
        with opening as client:
            found = cls(client, c.directory, waiting, c.parallelism)
            found.registry = c.process.get(REGISTRY_ENV) or _stand_in(client, c.environment)
            yield found

    def __init__(
        self,
        client: FoundryClient,
        directory: Path,
        waiting: Waiting | None = None,
        parallelism: int = DEFAULT_PARALLELISM,
    ) -> None:
        self.client, self.directory = client, directory
        self.waiting = waiting or Waiting()
        self.registry: str | None = None  # a registry stand-in's base URL (dialects/hosted.py)
        self.width = read_width(parallelism)  # requests a read has in flight at once
        self._handlers: dict[tuple[str, str], Handler] = {
            (file.NAME, "create"): self._upload,
            (file.NAME, "delete"): lambda c, _: self._delete(self.client.delete_file, c),
            (vector_store.NAME, "create"): self._create_store,
            (vector_store.NAME, "update"): self._await_store,
            (vector_store.NAME, "delete"): lambda c, _: self._delete(self.client.delete_store, c),
            (agent.NAME, "create"): self._write_agent,
            (agent.NAME, "update"): self._write_agent,
            (agent.NAME, "delete"): lambda c, _: self._delete(self._delete_agent, c),
            (workflow_agent.NAME, "create"): self._write_workflow,
            (workflow_agent.NAME, "update"): self._write_workflow,
            (workflow_agent.NAME, "delete"): lambda c, _: self._delete(self._delete_agent, c),
            (hosted_agent.NAME, "create"): self._write_hosted,
            (hosted_agent.NAME, "update"): self._write_hosted,
            (hosted_agent.NAME, "delete"): lambda c, _: self._delete(self._delete_agent, c),
        }
        self._handlers.update(toolbox_handlers(client))  # issue 25

    def read_live(self) -> LiveState:
        """Every list at once; a list left unread (None) is not known. Errors as when read one
        after another: of files, agents, stores (then their files), toolboxes, connections,
        deployments. A new kind's list is one more line here, read through the same scheduler.
        Workflow and hosted agents are the agents list's (one name space: agent_space.py)."""
        with Reads(self.width) as reads:
            lists: dict[str, Future[Any]] = {
                file.LIVE.kind: reads.submit(lambda: tuple(self.client.list_files())),
                agent.LIVE.kind: reads.submit(lambda: tuple(self.client.list_agents())),
                vector_store.LIVE.kind: reads.submit(lambda: self._stores(reads)),
                toolbox.LIVE.kind: reads.submit(lambda: read_toolboxes(self.client)),
                connection.LIVE.kind: reads.submit(_known(self.client.list_connections)),
                deployment.LIVE.kind: reads.submit(_known(self.client.list_deployments)),
            }
            order, stores = list(lists.values()), lists[vector_store.LIVE.kind]
            wait(order)  # the stores' list done: each store's files asked for
            files = stores.result() if stores.exception() is None else []
            after = order.index(stores) + 1  # their files come right after the stores' list
            gather([*order[:after], *files, *order[after:]])
        read = {kind: got.result() for kind, got in lists.items()}
        read[vector_store.LIVE.kind] = tuple(s.result() for s in stores.result())
        listed = read[agent.LIVE.kind]
        agents = tuple(parse_agent(a) for a in listed)
        read[agent.LIVE.kind] = agents  # every kind of agent: one name space (agent_space.py)
        read[workflow_agent.LIVE.kind] = live_workflows(agents)
        read[hosted_agent.LIVE.kind] = live_hosted(listed, agents)
        return LiveState({kind: got for kind, got in read.items() if got is not None})

    def _stores(self, reads: Reads) -> list[Future[LiveVectorStore]]:
        """Each store; the files of ours (by name) read as soon as the store is listed, which
        planning needs to know what is used."""
        found: list[Future[LiveVectorStore]] = []
        for item in self.client.each_store():
            if str(item.get("name") or "").startswith(STORE_PREFIX):
                found.append(reads.submit(functools.partial(self._store, item)))
            else:
                done: Future[LiveVectorStore] = Future()
                done.set_result(parse_store(item))
                found.append(done)
        return found

    def verified(self, live: LiveState, ids: list[str]) -> LiveState:
        return with_content(live, self.client.download_file, ids)

    def watch(self, progress: Callable[[str], None]) -> None:
        self.waiting.notify = progress

    def listed(self, live: LiveState, holders: list[str]) -> LiveState:
        """The live state with the files of these stores (not named as ours) listed too, and
        the versions of these agents (`agent.<name>`)."""
        wanted = set(holders)
        prefix = hosted_agent.IMAGE_PREFIX
        images = [h.removeprefix(prefix) for h in sorted(wanted) if h.startswith(prefix)]
        if images:  # tags to resolve (hosted agents' images)
            known = live.of(hosted_agent.IMAGES)
            live = live.having(
                hosted_agent.IMAGES,
                known + resolve_images(self.client.http, self.registry, images),
            )
        agents = {
            h.removeprefix(f"{agent.NAME}.") for h in wanted if h.startswith(f"{agent.NAME}.")
        }
        with Reads(self.width) as reads:
            histories = [
                reads.submit(functools.partial(self._history, a)) if a.name in agents else a
                for a in live.of(agent.LIVE)
            ]
            files = [
                reads.submit(functools.partial(self._listed_store, s)) if s.id in wanted else s
                for s in live.of(vector_store.LIVE)
            ]
            pending: list[Future[Any]] = [f for f in (*histories, *files) if isinstance(f, Future)]
            gather(pending)
        live = live.having(agent.LIVE, tuple(_done(a) for a in histories))
        return live.having(vector_store.LIVE, tuple(_done(s) for s in files))

    def _listed_store(self, store: LiveVectorStore) -> LiveVectorStore:
        return dataclasses.replace(store, file_ids=self._file_ids(store.id))

    def _history(self, live: LiveAgent) -> LiveAgent:
        """The agent with its versions besides the latest (one list, paged by 100)."""
        versions = (parse_version(v, live.name) for v in self.client.list_versions(live.name))
        older = tuple(v for v in versions if v.version != live.version)
        return dataclasses.replace(live, history=older)

    def _delete_agent(self, agent_id: str) -> None:
        """An agent (`name`), or one of its versions (its id, `name:N`)."""
        name, _, version = agent_id.partition(":")
        if version:
            self.client.delete_version(name, version)
        else:
            self.client.delete_agent(name)

    def execute(self, change: ResourceChange, ids: dict[str, str]) -> str:
        return self._handlers[(change.kind, change.action)](change, ids)

    def _store(self, item: dict[str, Any]) -> LiveVectorStore:
        return parse_store(item, self._file_ids(str(item["id"])))

    def _file_ids(self, store_id: str) -> tuple[str, ...]:
        return tuple(str(f["id"]) for f in self.client.list_store_files(store_id))

    def _upload(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        return self.client.upload_file(body["filename"], checked_path(self.directory, body)).id

    def _create_store(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        store = self.client.create_store(body)
        store = wait_ingested(self.client, store, change.address, self.waiting)
        fail_if_failed(self.client, store, _file_names(change, body))
        return str(store["id"])

    def _await_store(self, change: ResourceChange, ids: dict[str, str]) -> str:
        """A store an earlier apply stopped waiting for: waited for now, failed as a create."""
        assert change.id is not None
        store, _ = self.client.get_store(change.id)
        store = wait_ingested(self.client, store, change.address, self.waiting)
        fail_if_failed(self.client, store, {i: name for name, i in ids.items()})
        return change.id

    def _write_agent(self, change: ResourceChange, ids: dict[str, str]) -> str:
        version = self.client.create_version(change.name, kind_named(change.kind).body(change, ids))
        return str(version.get("id") or f"{change.name}:{version.get('version')}")

    def _write_workflow(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        version = self.client.create_version(change.name, body, workflow_agent.OPT_IN)
        return str(version.get("id") or f"{change.name}:{version.get('version')}")

    def _write_hosted(self, change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        return write_hosted(self.client, change.name, body, self.waiting, change.address)

    @staticmethod
    def _delete(delete: Callable[[str], None], change: ResourceChange) -> str:
        assert change.id is not None
        delete(change.id)
        return change.id


def _known(listed: Callable[[], list[T]]) -> Callable[[], tuple[T, ...] | None]:
    """A list of the project's environment (connections, deployments); None, not known, when
    the endpoint does not serve it or the credential may not read it (404, 403)."""

    def read() -> tuple[T, ...] | None:
        try:
            return tuple(listed())
        except ApiError as error:
            if error.status not in UNREADABLE:
                raise
            return None

    return read


def _done(item: T | Future[T]) -> T:
    return item.result() if isinstance(item, Future) else item


def _file_names(change: ResourceChange, body: dict[str, Any]) -> dict[str, str]:
    """File id -> its upload name, and its declared path when the change carries `paths`."""
    after = change.after or {}
    paths: dict[str, str] = after.get("paths") or {}
    named = zip(after.get("files", []), body["file_ids"], strict=True)
    return {
        file_id: f"{name} ({paths[name]})" if name in paths else name for name, file_id in named
    }


def _stand_in(client: FoundryClient, environment: Environment) -> str | None:
    """The bundled emulator's registry stand-in, for `endpoint: local`."""
    if environment.endpoint != LOCAL:
        return None
    return client.base.split("/api/projects/", 1)[0] + "/_emulator/registry"
