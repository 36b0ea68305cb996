"""`reconciler import`: list the assistants no project manages, and write manifests that adopt them.

Without --select the command lists the endpoint's unmanaged assistants (no `reconciler.owner`
mark), which costs the assistant-list requests and nothing else. With --select it writes, for each
chosen assistant, `<into>/<logical-name>.yaml` with `import_id`, its instructions in
`<into>/prompts/<logical-name>.md` and its attached files, downloaded, in
`<into>/files/<logical-name>/`. The next apply adopts the assistant (same id, marks added) instead
of creating a new one, and the plan after that shows no changes.

Everything is checked before the first byte is written: the selections, the target paths, and
what `reconciler validate` will ask of the manifests. Files are downloaded (each once, however
many assistants share it) before writing too, so a refusal or a failed download writes nothing.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import click
from pydantic import ValidationError
from ruamel.yaml import YAML

from reconciler.client import AssistantsClient
from reconciler.connect import open_client
from reconciler.console import handles_errors, settings
from reconciler.content import FileProblem, resolve_path, type_problem
from reconciler.document import AssistantDoc
from reconciler.errors import ProjectError, ReconcilerError, UsageError
from reconciler.interpolate import Scope, interpolate
from reconciler.limits import check_assistant
from reconciler.manifest import MANIFEST_SUFFIXES, load_manifests
from reconciler.model import (
    MARK_PREFIX,
    NAME_MARK,
    OWNER_MARK,
    Diagnostic,
    Environment,
    LiveAssistant,
    LiveFile,
)
from reconciler.plan import CONTENT_ADDRESSED
from reconciler.project import Project, environment_names, load_project, resolve_environment
from reconciler.source import load_documents

DEFAULT_INTO = "assistants"  # when the project's manifests are the project folder itself
PROMPTS = "prompts"
FILES = "files"
NAME_LENGTH = 64  # the limit of limits.SAFE_NAME
SHOWN_LENGTH = 48  # longer API names are shortened in the listing
FILENAME_BYTES = 200  # under the usual 255-byte limit of one path component
DOWNLOADS = 4  # downloads in flight at once
_UNSAFE_NAME_CHARS = re.compile(r"[^a-z0-9._-]+")
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
HEADER = (
    "# Written by `reconciler import`: the next apply adopts the assistant that import_id names\n"
    "# (same id, ownership marks added) instead of creating a new one.\n"
)


@dataclass(frozen=True)
class Target:
    """The project, the environment, and what the project's manifests already claim."""

    project: Project
    environment: Environment
    declared_names: frozenset[str]
    imported: Mapping[str, str]  # import_id -> the manifest file that declares it

    @property
    def owner(self) -> str:
        return f"{self.project.doc.project}/{self.environment.name}"


@dataclass
class Draft:
    """One assistant about to be imported: its manifest, prompt and files, not yet written."""

    assistant: LiveAssistant
    name: str  # the logical name
    manifest: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the manifest as YAML
    prompt: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (file id, path under `into`)
    notes: list[str] = field(default_factory=list)

    def targets(self) -> list[str]:
        """What this import writes, relative to `into`: files, prompt, then the manifest."""
        found = [path for _, path in self.files]
        if self.prompt is not None:
            found.append(str(self.manifest["instructions_file"]))
        return [*found, f"{self.name}.yaml"]


@click.command("import")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--env", "environment", help="Environment to use (may be left out when there is one)."
)
@click.option(
    "--select",
    "selections",
    multiple=True,
    metavar="NAME_OR_ID",
    help="Write a manifest for this unmanaged assistant, by API name or id (repeatable).",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    help="Folder for the manifests, relative to DIRECTORY (default: the first folder of "
    "`manifests`, or assistants/ when that is the project folder itself).",
)
@handles_errors
def import_command(
    directory: Path, environment: str | None, selections: tuple[str, ...], into: Path | None
) -> None:
    """List the assistants no project manages; with --select, write manifests that adopt them."""
    target = load_target(directory, environment, os.environ)
    folder = into_folder(target.project, into) if selections else None
    with open_client(directory, target.environment, os.environ, settings().retry) as client:
        live = client.list_assistants()
        if folder is None:
            show_unmanaged(live, target, directory)
            return
        drafts = draft_imports(select(live, selections, target), live, target, client.list_files())
        refuse_if(target_problems(directory / folder, drafts))
        contents = download(client, drafts)
    refuse_if(empty_file_problems(drafts, contents))
    write(directory / folder, drafts, contents)
    report(directory, folder, drafts, target)


def load_target(directory: Path, chosen: str | None, process: Mapping[str, str]) -> Target:
    """The project and its environment, as plan loads them; the manifests need not be valid."""
    project, problems = load_project(directory)
    if project is None or problems:
        raise ProjectError(sorted(set(problems)))
    names, problems = environment_names(project, chosen)
    if not problems and len(names) != 1:
        message = (
            f"the project has several environments ({', '.join(names)}): choose one with --env"
        )
        problems = [Diagnostic(project.source.locate(("environments",)), message)]
    if problems:
        raise ProjectError(problems)
    environment, problems = resolve_environment(project, names[0], process)
    if environment is None:
        raise ProjectError(problems)
    scope = Scope(environment.name, project.variables(environment.name), process)
    names_found: set[str] = set()
    imported: dict[str, str] = {}
    for manifest in load_manifests(project, allow_empty=True)[0]:
        data = manifest.source.data
        if isinstance(data.get("name"), str):
            names_found.add(interpolate(data["name"], scope)[0])
        claimed = data.get("import_id")
        if isinstance(claimed, dict):
            claimed = claimed.get(environment.name)
        if isinstance(claimed, str):
            imported[interpolate(claimed, scope)[0]] = manifest.source.file
    return Target(project, environment, frozenset(names_found), imported)


def into_folder(project: Project, chosen: Path | None) -> PurePosixPath:
    """Where the manifests go, relative to the project: a folder the project reads manifests from."""
    if chosen is None:
        folders = [e for e in project.doc.manifests if not _names_a_file(project.root, e)]
        if not folders:
            raise refusal(
                "every entry of manifests in reconciler.yaml is a file: pass --into with a folder "
                "and add that folder to manifests"
            )
        relative = _normal(folders[0])
        relative = PurePosixPath(DEFAULT_INTO) if relative == PurePosixPath(".") else relative
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
        if not _within(target, root):
            return False
        for entry in project.doc.manifests:
            base = resolve_path(project.root / entry)
            if _names_a_file(project.root, entry) or not _within(target, base):
                continue
            if not any(part.startswith(".") for part in target.relative_to(base).parts):
                return True  # the loader skips hidden folders
    except FileProblem as problem:
        raise refusal(f"{path} {problem}") from None
    return False


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def show_unmanaged(live: list[LiveAssistant], target: Target, directory: Path) -> None:
    unmanaged = [a for a in live if OWNER_MARK not in a.metadata]
    managed = len(live) - len(unmanaged)
    where = target.environment.endpoint
    if not unmanaged:
        click.echo(f"No unmanaged assistants at {where} ({managed} managed by projects).")
        return
    rows = [("ID", "NAME", "MODEL", "FILES", "CREATED (UTC)")]
    rows += [
        (_shown(a.id), _shown(a.name), _shown(a.model), str(len(a.file_ids)), _when(a.created_at))
        for a in unmanaged
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    click.echo(
        f"\n{_count(len(unmanaged), 'unmanaged assistant')} at {where}; "
        f"{managed} managed by projects, not shown."
    )
    for assistant in unmanaged:
        if assistant.id in target.imported:
            manifest = target.imported[assistant.id]
            click.echo(f"{assistant.id} is already imported by {manifest}: apply adopts it.")
    command = f"reconciler import {shlex.quote(str(directory))} --env {target.environment.name}"
    click.echo(f"Write manifests for some of them: {command} --select NAME_OR_ID")


def _shown(text: str | None) -> str:
    if text is None:
        return "-"
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def _when(timestamp: int) -> str:
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def select(
    live: list[LiveAssistant], selections: tuple[str, ...], target: Target
) -> list[LiveAssistant]:
    """The unmanaged assistants selected, each once, in the order asked; else every problem."""
    chosen: dict[str, LiveAssistant] = {}
    problems: list[str] = []
    for selection in selections:
        by_id = [a for a in live if a.id == selection]
        matches = by_id or [a for a in live if a.name == selection]
        free = [a for a in matches if OWNER_MARK not in a.metadata]
        if not matches:
            where = target.environment.endpoint
            problems.append(f"--select {selection!r} matches no assistant at {where}")
        elif not free:
            owners = ", ".join(sorted({a.metadata[OWNER_MARK] for a in matches}))
            problems.append(
                f"--select {selection!r} names an assistant managed by {owners}: "
                "only unmanaged assistants can be imported"
            )
        elif len(free) > 1:
            ids = ", ".join(a.id for a in free)
            problems.append(
                f"--select {selection!r} matches {len(free)} unmanaged assistants ({ids}): "
                "select one by its id"
            )
        elif free[0].id in target.imported:
            manifest = target.imported[free[0].id]
            problems.append(
                f"--select {selection!r}: {free[0].id} is already imported by {manifest}; "
                "apply adopts it"
            )
        else:
            chosen.setdefault(free[0].id, free[0])
    refuse_if(problems)
    return list(chosen.values())


def refuse_if(problems: list[str]) -> None:
    if problems:
        raise refusal(*problems)


def refusal(*problems: str) -> UsageError:
    listed = "\n".join(f"  {problem}" for problem in problems)
    return UsageError(f"import refused, nothing was written:\n{listed}")


def draft_imports(
    chosen: list[LiveAssistant], live: list[LiveAssistant], target: Target, files: list[LiveFile]
) -> list[Draft]:
    """A manifest for each chosen assistant, checked as validate will check it."""
    taken = set(target.declared_names)
    taken |= {
        a.metadata.get(NAME_MARK, "") for a in live if a.metadata.get(OWNER_MARK) == target.owner
    }
    filenames = {f.id: f.filename for f in files}
    drafts: list[Draft] = []
    problems: list[str] = []
    for assistant in chosen:
        name = unique_name(logical_name(assistant.name, assistant.id), taken)
        taken.add(name)
        draft, found = _draft(assistant, name, filenames, target.environment.name)
        drafts.append(draft)
        problems += [f"{assistant.id} ({name}): {message}" for message in found]
    refuse_if(problems)
    return drafts


def logical_name(api_name: str | None, assistant_id: str) -> str:
    """The API name made safe for ownership marks (see limits.SAFE_NAME), else the id."""
    for candidate in (api_name or "", assistant_id):
        folded = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        name = _UNSAFE_NAME_CHARS.sub("-", folded.lower())
        name = re.sub(r"-{2,}", "-", name).strip("._-")[:NAME_LENGTH].rstrip("._-")
        if name:
            return name
    return "assistant"


def unique_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = name[: NAME_LENGTH - len(suffix)].rstrip("._-") + suffix
    return candidate


def _draft(
    assistant: LiveAssistant, name: str, filenames: Mapping[str, str], environment: str
) -> tuple[Draft, list[str]]:
    draft = Draft(assistant, name)
    problems: list[str] = []
    manifest: dict[str, Any] = {"kind": "Assistant", "name": name}
    if assistant.name is None:
        draft.notes.append(f"{assistant.id} has no name: apply gives it the name {name!r}")
    elif assistant.name != name:
        manifest["display_name"] = assistant.name
    manifest["model"] = assistant.model  # the Azure deployment, as it is
    if assistant.description is not None:
        manifest["description"] = assistant.description
    if assistant.instructions:
        draft.prompt = assistant.instructions
        manifest["instructions_file"] = f"{PROMPTS}/{name}.md"
    elif assistant.instructions is not None:
        manifest["instructions"] = assistant.instructions
    if assistant.tools:
        manifest["tools"] = [dict(tool) for tool in assistant.tools]
    draft.files = _file_paths(assistant, name, filenames, problems)
    if draft.files:
        manifest["files"] = [path for _, path in draft.files]
    if metadata := _user_metadata(draft):
        manifest["metadata"] = metadata
    # Scoped to the environment it was found in: other environments get their own assistant.
    manifest["import_id"] = {environment: assistant.id}
    draft.manifest = manifest
    problems += _validation_problems(draft)
    if not problems:
        draft.text = render(manifest)
    return draft, problems


def _user_metadata(draft: Draft) -> dict[str, str]:
    """The user's metadata keys; keys reserved for ownership marks are left out, with a note."""
    live = draft.assistant.metadata
    metadata = {k: v for k, v in live.items() if not k.startswith(MARK_PREFIX)}
    if dropped := sorted(set(live) - set(metadata)):
        draft.notes.append(
            f"{draft.assistant.id}: reserved metadata keys left out (apply removes them): "
            + ", ".join(dropped)
        )
    return metadata


def _file_paths(
    assistant: LiveAssistant, name: str, filenames: Mapping[str, str], problems: list[str]
) -> list[tuple[str, str]]:
    paths: list[tuple[str, str]] = []
    used: set[str] = set()
    for file_id in assistant.file_ids:
        if file_id not in filenames:
            problems.append(f"its file {file_id} is not in the endpoint's list of files")
            continue
        filename = _unique_filename(original_name(filenames[file_id], file_id), used)
        used.add(filename.casefold())
        paths.append((file_id, f"{FILES}/{name}/{filename}"))
    return paths


def original_name(filename: str, file_id: str) -> str:
    """The name a file had before upload, safe on disk: faq.3f9a2c1e77b0.md -> faq.md."""
    base = _UNSAFE_FILE_CHARS.sub("_", re.split(r"[\\/]", filename)[-1]).strip()
    if (match := CONTENT_ADDRESSED.match(base)) is not None:
        base = match["stem"] + (match["suffix"] or "")
    if base in ("", ".", ".."):
        base = _UNSAFE_ID_CHARS.sub("_", file_id).strip(".") or "file"
    if len(base.encode("utf-8")) <= FILENAME_BYTES:
        return base
    suffix = PurePosixPath(base).suffix if len(PurePosixPath(base).suffix) <= 16 else ""
    room = FILENAME_BYTES - len(suffix.encode("utf-8"))
    stem = base.removesuffix(suffix).encode("utf-8")[:room].decode("utf-8", "ignore")
    return stem + suffix


def _unique_filename(filename: str, used: set[str]) -> str:
    """Another name for a second file of the same name (compared as case-insensitive disks do)."""
    path, candidate, number = PurePosixPath(filename), filename, 1
    while candidate.casefold() in used:
        number += 1
        candidate = f"{path.stem}-{number}{path.suffix}"
    return candidate


def _validation_problems(draft: Draft) -> list[str]:
    """What `reconciler validate` would object to in this manifest, files aside."""
    try:
        doc = AssistantDoc.model_validate(draft.manifest)
    except ValidationError as error:
        return [
            f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']} "
            "(the manifest format cannot express it)"
            for detail in error.errors()
        ]
    instructions = draft.prompt if draft.prompt is not None else doc.instructions
    problems = [message for _, message in check_assistant(doc, instructions)]
    tool_types: set[str] = {tool.type for tool in doc.tools}
    problems += [m for path in doc.files if (m := type_problem(path, tool_types)) is not None]
    return problems


def render(manifest: dict[str, Any]) -> str:
    """The manifest as YAML that reads back as exactly these values (`${` written as `$${`)."""
    escaped = _escape(manifest)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.sort_base_mapping_type_on_output = False  # keep the order written
    stream = io.StringIO()
    yaml.dump(escaped, stream)
    text = HEADER + stream.getvalue()
    documents, problems = load_documents("import", text)
    if problems or len(documents) != 1 or documents[0].data != escaped:
        raise ReconcilerError(
            f"the manifest of {manifest['import_id']} does not read back as written; "
            "nothing was written. Please report this."
        )
    return text


def _escape(value: Any) -> Any:
    """Strings as manifests must spell them: `${` starts an expression, `$${` is a literal `${`."""
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, dict):
        return {key: _escape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape(item) for item in value]
    return value


def target_problems(folder: Path, drafts: Iterable[Draft]) -> list[str]:
    """Every path the import would write that exists already or would land outside the project."""
    problems: list[str] = []
    for draft in drafts:
        for relative in draft.targets():
            path = folder / relative
            try:
                if path.exists() or path.is_symlink():
                    problems.append(
                        f"{path} already exists: move it, or import with another --into"
                    )
                elif not _within(resolve_path(path), resolve_path(folder)):
                    problems.append(f"{path} would be written outside {folder}, through a link")
            except (OSError, FileProblem) as error:
                problems.append(f"{path} cannot be written: {error}")
    return problems


def download(client: AssistantsClient, drafts: list[Draft]) -> dict[str, bytes]:
    """The content of every file to write, each downloaded once, a few at a time."""
    file_ids = list(dict.fromkeys(file_id for draft in drafts for file_id, _ in draft.files))
    with ThreadPoolExecutor(max_workers=DOWNLOADS) as pool:
        return dict(zip(file_ids, pool.map(client.download_file, file_ids), strict=True))


def empty_file_problems(drafts: list[Draft], contents: Mapping[str, bytes]) -> list[str]:
    return [
        f"{draft.assistant.id} ({draft.name}): its file {file_id} is empty, and a manifest "
        "cannot declare an empty file (the API refuses to upload one)"
        for draft in drafts
        for file_id, _ in draft.files
        if not contents[file_id]
    ]


def write(folder: Path, drafts: list[Draft], contents: Mapping[str, bytes]) -> None:
    """Files, prompts, then manifests; on any failure, what was written is removed again."""
    files: list[Path] = []
    folders: list[Path] = []
    outputs = [(path, contents[file_id]) for draft in drafts for file_id, path in draft.files]
    outputs += [
        (str(d.manifest["instructions_file"]), d.prompt.encode("utf-8"))
        for d in drafts
        if d.prompt is not None
    ]
    outputs += [(f"{d.name}.yaml", d.text.encode("utf-8")) for d in drafts]
    try:
        for relative, data in outputs:
            _create(folder / relative, data, files, folders)
    except OSError as error:
        for path in reversed(files):
            path.unlink(missing_ok=True)
        for path in reversed(folders):
            with suppress(OSError):
                path.rmdir()
        raise ReconcilerError(
            f"writing {error.filename} failed ({error.strerror}); nothing was written"
        ) from None


def _create(path: Path, data: bytes, files: list[Path], folders: list[Path]) -> None:
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir()
        folders.append(folder)
    with path.open("xb") as stream:  # never over a file that appeared meanwhile
        files.append(path)
        stream.write(data)


def report(directory: Path, folder: PurePosixPath, drafts: list[Draft], target: Target) -> None:
    written = sum(len(draft.targets()) for draft in drafts)
    click.echo(
        f"Imported {_count(len(drafts), 'assistant')} into {directory / folder} "
        f"({_count(written, 'file')} written):"
    )
    for draft in drafts:
        click.echo(f"  {draft.assistant.id} -> {directory / folder / f'{draft.name}.yaml'}")
        for relative in draft.targets()[:-1]:
            click.echo(f"      {directory / folder / relative}")
    for draft in drafts:
        for note in draft.notes:
            click.echo(f"Note: {note}")
    command = f"reconciler plan {shlex.quote(str(directory))} --env {target.environment.name}"
    click.echo(
        f"Next: run `{command}`: it will show the adoption of each imported assistant "
        "(same id, ownership marks added). Then `reconciler apply` makes them managed."
    )
