"""The offline pipeline: a project directory -> validated, resolved desired state."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reconciler.content import FileCatalog
from reconciler.errors import ProjectError
from reconciler.manifest import Manifest, Resolver, load_manifests
from reconciler.model import DesiredState, Diagnostic
from reconciler.project import Project, environment_names, load_project, resolve_environment


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
    for name in names:
        problems += _resolve(project, manifests, name, process, catalog)[1]
    return sorted(set(problems))


def load_desired(
    directory: Path, environment: str | None, process: Mapping[str, str], allow_empty: bool = False
) -> DesiredState:
    """The desired state of one environment; raises ProjectError with every problem."""
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    names, problems = environment_names(project, environment)
    if not problems and len(names) != 1:
        message = (
            f"the project has several environments ({', '.join(names)}): choose one with --env"
        )
        problems = [Diagnostic(project.source.locate(("environments",)), message)]
    manifests, found = load_manifests(project, allow_empty)
    problems += found
    if problems:
        raise ProjectError(sorted(set(problems)))
    state, problems = _resolve(project, manifests, names[0], process, FileCatalog(directory))
    if state is None:
        raise ProjectError(sorted(set(problems)))
    return state


def _resolve(
    project: Project,
    manifests: list[Manifest],
    name: str,
    process: Mapping[str, str],
    catalog: FileCatalog,
) -> tuple[DesiredState | None, list[Diagnostic]]:
    environment, problems = resolve_environment(project, name, process)
    if environment is None:
        return None, problems
    return Resolver(project, environment, process, catalog).resolve(manifests)
