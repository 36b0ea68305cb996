"""The command pipelines: load the desired state, read the live state, plan, apply."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from reconciler.api.connect import DEFAULT_PARALLELISM
from reconciler.api.dialects import Dialect
from reconciler.api.dialects.registry import open_dialect
from reconciler.api.retry import RetryPolicy
from reconciler.config.project import known_environment
from reconciler.core.fingerprint import desired_fingerprint
from reconciler.core.kinds.registry import all_kinds
from reconciler.core.plan import build_plan
from reconciler.core.plan_types import FORMAT_VERSION, Mode, Plan
from reconciler.core.promote import Side
from reconciler.core.staleness import moved
from reconciler.core.state import DesiredState, LiveState
from reconciler.engine.apply import Outcome, apply_plan
from reconciler.engine.early_read import EarlyRead
from reconciler.errors import ReconcilerError, StalePlanError, UsageError


@dataclass
class Session:
    """One environment of one project, connected through its API family's dialect."""

    directory: Path
    desired: DesiredState
    dialect: Dialect
    early: EarlyRead | None = None  # the first plan's live state, read while manifests loaded

    def plan(
        self,
        mode: Mode = "normal",
        targets: tuple[str, ...] = (),
        allow_empty: bool = False,
        fingerprinted: bool = True,
    ) -> Plan:
        """`fingerprinted`: the plan may be saved or shown as JSON, so it carries fingerprints."""
        live = self.read()
        gc.freeze()  # the live state too: the heap was settled once the manifests loaded
        made = plan_live(
            self.dialect, self.desired, mode, targets, allow_empty, live, fingerprinted
        )
        # Absolute, so that the saved plan applies from any working directory.
        return made.model_copy(update={"directory": str(self.directory.resolve())})

    def read(self) -> LiveState:
        """The live state: the one read early, the first time; read again after that."""
        early = self.early.take() if self.early is not None else None
        return self.dialect.read_live() if early is None else early

    def apply(self, plan: Plan, parallelism: int, progress: Callable[[str], None]) -> list[Outcome]:
        return apply_plan(plan, self.dialect, parallelism, progress)


def plan_live(  # noqa: PLR0913, PLR0917 - build_plan's parameters, and what was read
    dialect: Dialect,
    desired: DesiredState,
    mode: Mode = "normal",
    targets: tuple[str, ...] = (),
    allow_empty: bool = False,
    live: LiveState | None = None,
    fingerprinted: bool = True,
) -> Plan:
    """Read (unless `live` was read already), plan; when the plan asks for more (the content of
    uploads it cannot otherwise prove ours, the files of stores it did not list, the versions of
    agents), read that and plan again."""
    live = dialect.read_live() if live is None else live
    made = build_plan(desired, live, mode, targets, allow_empty, dialect.kinds, fingerprinted)
    # Agents first reveal their older versions, then stores their files, which may then need
    # verifying: each round reads only what the plan before it asked for.
    for _ in range(3):
        if not made.unverified and not made.unread:
            break
        live = dialect.listed(dialect.verified(live, made.unverified), made.unread)
        made = build_plan(desired, live, mode, targets, allow_empty, dialect.kinds, fingerprinted)
    return made


def settle_heap() -> None:
    """The manifests and the live state stay alive until the command ends: collect the garbage
    of loading once, then freeze what is left, so that the cyclic collector stops walking it
    again and again while planning allocates (at N = 5,000 that halves the planning time).
    Once per command, as soon as the manifests have loaded: a full collection costs tens of
    milliseconds in a big process, spent while the live state is still being read. What the
    read then adds is frozen as it is (its answers leave no cycles: api/responses.py)."""
    gc.collect()
    gc.freeze()


def load_plan(path: Path) -> Plan:
    """A saved plan, or a one-line error saying why the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"{path} is not a saved plan: {error}") from None
    version = data.get("format_version") if isinstance(data, dict) else None
    if version != FORMAT_VERSION:
        raise UsageError(
            f"{path} has plan format version {version!r}; this reconciler reads {FORMAT_VERSION}. Run plan again."
        )
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"{path} is not a valid saved plan: {where}: {first['msg']}") from None
    known = all_kinds()
    for index, change in enumerate(plan.changes):
        if change.kind not in known:
            raise UsageError(
                f"{path} is not a valid saved plan: changes.{index}.kind: unknown kind "
                f"{change.kind!r} (this reconciler knows {', '.join(sorted(known))})"
            )
    return plan


def check_saved(plan: Plan, desired: DesiredState, environment: str | None) -> None:
    """Refuse a saved plan made for another project, environment, endpoint or manifests."""
    if environment is not None and environment != plan.environment:
        raise StalePlanError(
            f"the saved plan is for environment {plan.environment!r}, not {environment!r}."
        )
    if (desired.project, desired.environment.endpoint) != (plan.project, plan.endpoint):
        made_for = f"{plan.project} at {plan.endpoint}"
        raise StalePlanError(
            f"the saved plan was made for {made_for}, not {desired.project} at {desired.environment.endpoint}."
        )
    if desired_fingerprint(desired) != plan.fingerprints.manifests:
        raise StalePlanError(
            "Saved plan is stale: the manifests or their files changed since the plan was made. Run plan again."
        )


def apply_saved(
    path: Path,
    environment: str | None,
    process: Mapping[str, str],
    retry: RetryPolicy | None,
    run: Callable[[Session, Plan], list[Outcome]],
    parallelism: int = DEFAULT_PARALLELISM,
) -> tuple[Plan, list[Outcome]]:
    """Apply exactly the saved plan, after checking that nothing it depends on moved."""
    plan = load_plan(path)
    directory = Path(plan.directory)
    connecting = session(directory, plan.environment, process, True, retry, parallelism)
    with connecting as connected:
        check_saved(plan, connected.desired, environment)
        changed = moved(plan, connected.read(), connected.dialect.kinds)
        if changed:
            raise StalePlanError(
                f"Saved plan is stale: {'; '.join(changed)} since the plan was made. "
                "Nothing was changed. Run plan again."
            )
        return plan, run(connected, plan)


@contextmanager
def session(
    directory: Path,
    environment: str | None,
    process: Mapping[str, str],
    allow_empty: bool = False,
    retry: RetryPolicy | None = None,
    parallelism: int = DEFAULT_PARALLELISM,
) -> Iterator[Session]:
    """The environment, its manifests loaded, connected (for `parallelism` calls at once) and
    its live state being read.

    Connect as soon as reconciler.yaml names the environment, read on a thread while the
    manifests load; their problems come before any of the connection's or the read's. The
    loader's modules (every manifest kind's documents and checks) are imported only then, while
    the first requests are in flight: tens of milliseconds no longer spent before they leave."""
    known = known_environment(directory, environment, process)
    if known is None:  # reconciler.yaml or the environment is wrong: this raises, sending nothing
        desired = _load(directory, environment, process, allow_empty)
        known = (desired.project, desired.environment)
    stop = threading.Event()
    with ExitStack() as stack:
        try:
            connecting = open_dialect(
                directory, *known, process, retry, stop, parallelism=parallelism
            )
            dialect = stack.enter_context(connecting)
        except ReconcilerError:
            _load(directory, environment, process, allow_empty)
            raise
        early = EarlyRead(dialect, stop)
        stack.callback(early.abandon)  # before the connection closes: nothing left in flight
        desired = _load(directory, environment, process, allow_empty)
        settle_heap()  # while the read is still in flight, most often: off the critical path
        yield Session(directory, desired, dialect, early)


def _load(
    directory: Path, environment: str | None, process: Mapping[str, str], allow_empty: bool
) -> DesiredState:
    from reconciler.config.desired import load_desired  # noqa: PLC0415 - see session

    return load_desired(directory, environment, process, allow_empty)


def read_side(
    directory: Path, environment: str, process: Mapping[str, str], retry: RetryPolicy | None
) -> Side:
    """One environment's plan against its own manifests, for comparing environments."""
    with session(directory, environment, process, True, retry) as connected:
        kinds = connected.dialect.kinds
        keys = {a: k for kind in kinds for a, k in kind.match_keys(connected.desired).items()}
        return Side(environment, connected.plan("normal", (), True, fingerprinted=False), keys)
