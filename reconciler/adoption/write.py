"""What `import` writes, checked and gathered before the first byte is written.

The target paths must be new and inside the folder; every file is downloaded (each once,
however many drafts share it) and must be non-empty; a download the service refuses is a
problem like any other, so that the refusal lists them all and writes nothing. Writing then
creates files, prompts and manifests, and on a failure removes what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from reconciler.adoption.draft import Draft
from reconciler.config.content import FileProblem, resolve_path
from reconciler.errors import ApiError, ReconcilerError

DOWNLOADS = 4  # downloads in flight at once


def within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


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
                elif not within(resolve_path(path), resolve_path(folder)):
                    problems.append(f"{path} would be written outside {folder}, through a link")
            except (OSError, FileProblem) as error:
                problems.append(f"{path} cannot be written: {error}")
    return problems


def download(
    fetch: Callable[[str], bytes], drafts: list[Draft]
) -> tuple[dict[str, bytes], list[str]]:
    """The content of every file to write, each downloaded once, a few at a time; and, for
    each file the service would not give, what it said."""
    file_ids = list(dict.fromkeys(file_id for draft in drafts for file_id, _ in draft.files))

    def one(file_id: str) -> bytes | ApiError:
        try:
            return fetch(file_id)
        except ApiError as error:  # refused (a purpose that cannot be downloaded, say)
            return error

    with ThreadPoolExecutor(max_workers=DOWNLOADS) as pool:
        answers = dict(zip(file_ids, pool.map(one, file_ids), strict=True))
    contents = {i: a for i, a in answers.items() if isinstance(a, bytes)}
    problems = [
        f"{draft.label}: its file {path} ({file_id}) cannot be downloaded: {answer}"
        for draft in drafts
        for file_id, path in draft.files
        if isinstance(answer := answers[file_id], ApiError)
    ]
    return contents, problems


def empty_file_problems(drafts: list[Draft], contents: Mapping[str, bytes]) -> list[str]:
    return [
        f"{draft.label}: its file {file_id} is empty, and a manifest "
        "cannot declare an empty file (the API refuses to upload one)"
        for draft in drafts
        for file_id, _ in draft.files
        if file_id in contents and not contents[file_id]
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
    outputs += [(path, text.encode("utf-8")) for d in drafts for path, text in d.texts]
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
