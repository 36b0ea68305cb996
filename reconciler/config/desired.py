"""The offline pipeline: a project directory -> validated, resolved desired state."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import ParamSpec, TypeVar

from reconciler.config.agent_test import load_tests
from reconciler.config.content import FileCatalog
from reconciler.config.manifest import (
    Manifest,
    Resolver,
    environment_scope,
    load_manifests,
    read_manifests,
)
from reconciler.config.manifest_kinds import clashes
from reconciler.config.project import (
    Project,
    environment_names,
    load_project,
    one_environment,
    resolve_environment,
)
from reconciler.core.state import DesiredState
from reconciler.diagnostics import Diagnostic
from reconciler.errors import ProjectError

P = ParamSpec("P")
R = TypeVar("R")
# A full collection's threshold that young collections never reach while loading.
NEVER = 2**30


def collector_paused(load: Callable[P, R]) -> Callable[P, R]:
    """Run with the collector's full collections paused; young ones go on.

    Loading allocates hundreds of thousands of small dicts, lists and tuples that mostly stay
    alive (the desired state): full collections would walk the growing heap again and again,
    finding nothing (5-7% of loading at N = 10,000, measured). Young collections stay: the early
    read runs meanwhile on another thread, and each httpx response it is done with sits in a
    reference cycle (the response and its stream) holding its body; with the collector wholly
    paused, every page's body stayed alive until loading ended (34 MB of a 10,000-assistant
    plan's peak, measured). Young collections free them as they go, for about 2% of loading."""

    @functools.wraps(load)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        young, middle, full = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        try:
            return load(*args, **kwargs)
        finally:
            gc.set_threshold(young, middle, full)

    return paused


@collector_paused
def validate(
    directory: Path, environment: str | None, process: Mapping[str, str]
) -> list[Diagnostic]:
    """Every problem of the project, for one environment or (None) all of them, sorted."""
    project, problems = load_project(directory)
    if project is None:
        return sorted(set(problems))
    manifests, found = load_manifests(project)
    problems += found
    names, found = environment_names(project, environment)
    problems += found
    # Every manifest that loaded is checked, whatever else is wrong: all errors at once.
    catalog = FileCatalog(directory)
    states = []
    for name in names:
        state, found = _resolve(project, manifests, name, process, catalog, offline=True)
        problems += found
        problems += load_tests(project, name, process)[1]  # kind: AgentTest
        states += [state] if state is not None else []
    problems += clashes(states)
    return sorted(set(problems))


@collector_paused
def load_desired(
    directory: Path, environment: str | None, process: Mapping[str, str], allow_empty: bool = False
) -> DesiredState:
    """The desired state of one environment; raises ProjectError with every problem.

    Each manifest is resolved as soon as it is read, so that one parsed document at a time is
    alive rather than all of them. Problems are reported as when reading came first: those of
    reading the manifests (and of the environment's name), else those of resolving.
    """
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    name, problems = one_environment(project, environment)
    reading: list[Diagnostic] = []
    # One environment: each string is interpolated as its manifest is built, in one pass.
    scope = environment_scope(project, name, process) if name is not None else None
    manifests = read_manifests(project, reading, allow_empty, scope)
    state, found = None, problems
    if name is not None:
        state, found = _resolve(project, manifests, name, process, FileCatalog(directory))
    for _ in manifests:  # those left unresolved are still read, for their problems
        pass
    if problems or reading:
        raise ProjectError(sorted(set(problems + reading)))
    if state is None:
        raise ProjectError(sorted(set(found)))
    return state


def _resolve(
    project: Project,
    manifests: Iterable[Manifest],
    name: str,
    process: Mapping[str, str],
    catalog: FileCatalog,
    offline: bool = False,
) -> tuple[DesiredState | None, list[Diagnostic]]:
    environment, problems = resolve_environment(project, name, process, offline)
    if environment is None:
        return None, problems
    state, found = Resolver(project, environment, process, catalog).resolve(manifests)
    problems += found
    return (None if any(p.severity == "error" for p in problems) else state), problems
