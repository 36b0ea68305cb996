"""The dialects, one per API family, registered by the family they speak (an environment's
`api`); a new family is its dialect module plus one line here."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from reconciler.api.connect import DEFAULT_PARALLELISM, stoppable
from reconciler.api.credentials import Auth
from reconciler.api.dialects import Connection, Dialect
from reconciler.api.dialects.assistants_v1 import AssistantsV1
from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.retry import RetryPolicy
from reconciler.core.model import Environment


class DialectType(Protocol):
    api: str

    def credential(self, environment: Environment, process: Mapping[str, str]) -> Auth: ...

    def opened(self, connection: Connection) -> AbstractContextManager[Dialect]: ...


DIALECTS: dict[str, DialectType] = {d.api: d for d in (AssistantsV1, FoundryAgents)}


def credential_for(environment: Environment, process: Mapping[str, str]) -> Auth:
    """How the environment's requests authenticate, by the rules of its API family."""
    return DIALECTS[environment.api].credential(environment, process)


@contextmanager
def open_dialect(  # noqa: PLR0913 - what the connection needs, the environment and the pool
    directory: Path,
    project: str,
    environment: Environment,
    process: Mapping[str, str],
    retry: RetryPolicy | None = None,
    stop: threading.Event | None = None,
    *,
    parallelism: int = DEFAULT_PARALLELISM,
) -> Iterator[Dialect]:
    """The environment's dialect, connected, with connections for `parallelism` calls at once
    (apply's --parallelism).

    Setting `stop` refuses every later request, so that a read the command no longer wants
    (its manifests failed to load) ends at its next page, a back-off included."""
    connection = Connection(
        directory, project, environment, process, stoppable(retry, stop), stop, parallelism
    )
    with DIALECTS[environment.api].opened(connection) as dialect:
        yield dialect
