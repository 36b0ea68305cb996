"""Where `import` writes: the project and environment as plan loads them, what the project's
manifests already claim, and the folder the manifests go to, which the project must read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from reconciler.adoption.draft import Target, refusal
from reconciler.adoption.sources import source_of
from reconciler.adoption.write import within
from reconciler.config.content import FileProblem, resolve_path
from reconciler.config.interpolate import Scope, interpolate
from reconciler.config.manifest import MANIFEST_SUFFIXES, load_manifests
from reconciler.config.project import Project, load_project, one_environment, resolve_environment
from reconciler.errors import ProjectError


def load_target(directory: Path, chosen: str | None, process: Mapping[str, str]) -> Target:
    """The project and its environment, as plan loads them; the manifests need not be valid."""
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    name, problems = one_environment(project, chosen)
    if name is None:
        raise ProjectError(problems)
    environment, problems = resolve_environment(project, name, process)
    if environment is None or problems:
        raise ProjectError(sorted(set(problems)))
    scope = Scope(environment.name, project.variables(environment.name, process)[0], process)
    declared: dict[str, str] = {}
    imported: dict[str, str] = {}
    for manifest in load_manifests(project, allow_empty=True)[0]:
        data = manifest.source.data
        if isinstance(data.get("name"), str):
            declared.setdefault(interpolate(data["name"], scope)[0], manifest.source.file)
        claimed = data.get("import_id")
        if isinstance(claimed, dict):
            claimed = claimed.get(environment.name)
        if isinstance(claimed, str):
            imported[interpolate(claimed, scope)[0]] = manifest.source.file
    return Target(project, environment, declared, imported)


def into_folder(target: Target, chosen: Path | None) -> PurePosixPath:
    """Where the manifests go, relative to the project: a folder the project reads manifests from."""
    project = target.project
    if chosen is None:
        folders = [e for e in project.doc.manifests if not _names_a_file(project.root, e)]
        if not folders:
            raise refusal(
                "every entry of manifests in reconciler.yaml is a file: pass --into with a folder "
                "and add that folder to manifests"
            )
        relative = _normal(folders[0])
        if relative == PurePosixPath("."):
            relative = PurePosixPath(source_of(target).folder)
    else:
        relative = _normal(str(chosen))
        if chosen.is_absolute() or relative.parts[:1] == ("..",):
            raise refusal(f"--into {chosen} must be a folder inside the project, relative to it")
    path = project.root / relative
    if path.exists() and not path.is_dir():
        raise refusal(f"{path} is not a folder: choose another with --into")
    if not _read_as_manifests(project, path):
        entries = ", ".join(project.doc.manifests)
        raise refusal(
            f"{relative}/ is not among the project's manifests ({entries}), so manifests written "
            "there would not be read: add it to manifests in reconciler.yaml, or choose a folder "
            "inside one of them with --into"
        )
    return relative


def _normal(text: str) -> PurePosixPath:
    return PurePosixPath(os.path.normpath(text.replace("\\", "/")))


def _names_a_file(root: Path, entry: str) -> bool:
    path = root / entry
    if path.exists():
        return not path.is_dir()
    return PurePosixPath(entry).suffix in MANIFEST_SUFFIXES


def _read_as_manifests(project: Project, path: Path) -> bool:
    """Whether manifest.load_manifests reads YAML files in `path`, which must be in the project."""
    try:
        root, target = resolve_path(project.root), resolve_path(path)
        if not within(target, root):
            return False
        for entry in project.doc.manifests:
            base = resolve_path(project.root / entry)
            if _names_a_file(project.root, entry) or not within(target, base):
                continue
            if not any(part.startswith(".") for part in target.relative_to(base).parts):
                return True  # the loader skips hidden folders
    except FileProblem as problem:
        raise refusal(f"{path} {problem}") from None
    return False
