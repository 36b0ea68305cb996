"""The command pipelines: load the desired state, read the live state, plan, apply."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reconciler.apply import Outcome, apply_plan
from reconciler.client import AssistantsClient
from reconciler.connect import open_client
from reconciler.desired import load_desired
from reconciler.live import read_live
from reconciler.model import DesiredState
from reconciler.plan import build_plan
from reconciler.plan_types import Mode, Plan
from reconciler.retry import RetryPolicy


@dataclass
class Session:
    """One environment of one project, connected."""

    directory: Path
    desired: DesiredState
    client: AssistantsClient

    def plan(
        self, mode: Mode = "normal", targets: tuple[str, ...] = (), allow_empty: bool = False
    ) -> Plan:
        return build_plan(self.desired, read_live(self.client), mode, targets, allow_empty)

    def apply(self, plan: Plan, parallelism: int, progress: Callable[[str], None]) -> list[Outcome]:
        return apply_plan(plan, self.client, self.directory, parallelism, progress)


@contextmanager
def session(
    directory: Path,
    environment: str | None,
    process: Mapping[str, str],
    allow_empty: bool = False,
    retry: RetryPolicy | None = None,
) -> Iterator[Session]:
    desired = load_desired(directory, environment, process, allow_empty)
    with open_client(directory, desired.environment, process, retry) as client:
        yield Session(directory, desired, client)
