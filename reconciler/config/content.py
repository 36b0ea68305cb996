"""Declared files on disk: where they are, whether they may be used, and what they hold.

A file is known by its SHA-256 (streamed, so size does not matter) and uploaded under a
content-addressed name that keeps the original readable: docs/faq.md -> faq.sha256-3f9a2c1e77b0.md (core/kinds/file.py).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reconciler.config.limits import FILE_BYTES_MAX
from reconciler.config.project import read_text
from reconciler.core.kinds.file import upload_name
from reconciler.core.model import DesiredFile
from reconciler.core.tools.code_interpreter import READS as CODE_INTERPRETER_TYPES
from reconciler.diagnostics import Diagnostic, Location

HASH_CHUNK = 64 * 1024

# File types each v1 tool can read, by extension (an agent tool's are its module's: core/tools/).
RETRIEVAL_TYPES = frozenset("c cpp docx html java json md pdf php pptx py rb tex txt".split())  # noqa: SIM905
READERS = {"code_interpreter": CODE_INTERPRETER_TYPES, "retrieval": RETRIEVAL_TYPES}


class FileProblem(Exception):
    """A declared file that cannot be used; the message says why."""


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    # A bare descriptor: a file object's wrapping (and its fstat) cost more than a small
    # file's read, and a smaller chunk than a mebibyte is cheaper to allocate for each file.
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        while chunk := os.read(descriptor, HASH_CHUNK):
            digest.update(chunk)
    finally:
        os.close(descriptor)
    return digest.hexdigest()


@dataclass
class FileCatalog:
    """Resolves and hashes declared files once each, however many manifests name them."""

    root: Path

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self._top = str(self.root)
        self._below = self._top.rstrip(os.sep) + os.sep  # what paths inside the root start with
        # Real paths are kept as text: building and hashing Path objects was a third of
        # describing a file.
        self._known: dict[str, DesiredFile] = {}
        # Resolving a path costs a system call per component: a project names the same shared
        # files from many manifests in one folder, so each (folder, path) is resolved once.
        self._located: dict[tuple[Path, str], str | FileProblem] = {}
        self._folders: dict[str, str] = {}  # folder as named -> its real path
        # A file found to be no link: its `lstat`, which is its `stat`, until it is read.
        self._status: dict[str, os.stat_result] = {}
        self._cwd = os.getcwd()

    def locate(self, manifest_dir: Path, declared: str) -> Path:
        """The real path of a declared file, which must stay inside the project directory."""
        real = self._where(manifest_dir, declared)
        self._status.pop(real, None)
        return Path(real)

    def _where(self, manifest_dir: Path, declared: str) -> str:
        key = (manifest_dir, declared)
        found = self._located.get(key)
        if found is None:
            try:
                found = self._locate(manifest_dir, declared)
            except FileProblem as problem:
                found = problem
            self._located[key] = found
        if isinstance(found, FileProblem):
            raise FileProblem(str(found))
        return found

    def _locate(self, manifest_dir: Path, declared: str) -> str:
        if not declared or declared.startswith("/") or os.path.isabs(declared):  # POSIX or not
            raise FileProblem(f"file {declared!r} must be a path relative to its manifest")
        # As text: pathlib's parsing was a fifth of loading a project's files.
        candidate = os.path.join(self._cwd, manifest_dir, declared)  # as Path.absolute()
        if not self._inside(os.path.normpath(candidate)):
            raise FileProblem(f"file {declared!r} is outside the project directory")
        try:
            real = self._real(candidate)
        except FileProblem as problem:
            raise FileProblem(f"file {declared!r} {problem}") from None
        if not self._inside(real):
            raise FileProblem(
                f"file {declared!r} is a link that leads outside the project directory"
            )
        return real

    def _inside(self, path: str) -> bool:
        """inside(path, self.root), the root's text made once."""
        return path == self._top or path.startswith(self._below)

    def _real(self, candidate: str) -> str:
        """resolve_path(candidate), each folder resolved once, from its parent's real path:
        one `lstat` per new file or folder, where resolving took one per component. Anything
        unusual (a link, "..", a missing or unreadable entry) is resolved in full."""
        if "\0" not in candidate:
            real = self._unlinked(candidate, self._status)
            if real is not None:
                return real
        return str(resolve_path(Path(candidate)))

    def _unlinked(self, path: str, status: dict[str, os.stat_result]) -> str | None:
        """The real path of `path` when none of its components is a link (folders are
        remembered, its own `lstat` kept in `status`), else None."""
        parent, name = os.path.split(path)
        if name in ("", ".", ".."):
            return None
        folder = self._folders.get(parent)
        if folder is None:
            if parent in (path, os.sep):
                return None  # the root: resolved in full, once
            folder = self._unlinked(parent, {})
            if folder is None:
                try:
                    folder = str(resolve_path(Path(parent)))
                except FileProblem:
                    return None  # resolving the path itself says why
            self._folders[parent] = folder
        real = folder + name if folder.endswith(os.sep) else folder + os.sep + name  # as join
        try:
            found = os.lstat(real)
        except OSError:
            return None  # missing or unreadable: resolving says what it says of such a path
        if stat.S_ISLNK(found.st_mode):
            return None
        status[real] = found
        return real

    def describe(self, manifest_dir: Path, declared: str) -> DesiredFile:
        real = self._where(manifest_dir, declared)
        status = self._status.pop(real, None)
        known = self._known.get(real)
        if known is None:
            known = self._known[real] = self._read(real, declared, status)
        return known

    def _read(self, real: str, declared: str, status: os.stat_result | None) -> DesiredFile:
        try:
            # One call, or none when locating it saw it: the size, and whether it is a file.
            status = os.stat(real) if status is None else status
            size = status.st_size
            if not stat.S_ISREG(status.st_mode):
                raise FileProblem(f"file {declared!r} is not a regular file")
            if size == 0:
                raise FileProblem(f"file {declared!r} is empty; the API rejects empty files")
            if size > FILE_BYTES_MAX:
                raise FileProblem(
                    f"file {declared!r} is {size} bytes; the API allows at most {FILE_BYTES_MAX}"
                )
            digest = sha256_of(real)
        except FileNotFoundError:
            raise FileProblem(f"file {declared!r} does not exist") from None
        except PermissionError:
            raise FileProblem(f"file {declared!r} cannot be read: permission denied") from None
        except OSError as error:  # e.g. a name too long, a link loop, an I/O error
            raise FileProblem(f"file {declared!r} cannot be read: {error.strerror}") from None
        # Inside the root (located so): the rest of its text, without relpath's normalising.
        relative = real[len(self._below) :].replace(os.sep, "/")
        return DesiredFile(relative, digest, size, upload_name(relative, digest))


def resolve_path(path: Path) -> Path:
    """path.resolve(), with the ways odd input makes it fail as a FileProblem saying why."""
    if "\0" in str(path):
        raise FileProblem("is not a usable path: it contains a NUL character")
    try:
        return path.resolve()
    except RuntimeError:  # Python < 3.13 reports a symbolic link loop this way
        raise FileProblem("is a symbolic link that loops back on itself") from None
    except OSError as error:
        raise FileProblem(f"cannot be resolved: {error.strerror}") from None


def inside(path: Path | str, root: Path) -> bool:
    """Whether an absolute, normalised path is root or below it (by text: `parents` is slow)."""
    text, top = str(path), str(root)
    return text == top or text.startswith(top.rstrip(os.sep) + os.sep)


def type_problem(declared: str, tool_types: set[str]) -> str | None:
    """Why the assistant's tools cannot read this file, if they cannot."""
    readers = {t: READERS[t] for t in tool_types if t in READERS}
    if not readers:
        return f"file {declared!r} needs a tool that reads files: add code_interpreter or retrieval to tools"
    return unreadable(declared, readers)


def unreadable(declared: str, readers: Mapping[str, frozenset[str]]) -> str | None:
    """Why none of these tools (name -> the extensions it reads) can read this file, if so."""
    extension = _extension(declared)
    for reads in readers.values():
        if extension in reads:
            return None
    accepted = ", ".join(sorted(set().union(*readers.values())))
    shown = f"'.{extension}'" if extension else "a file without an extension"
    names = " and ".join(sorted(readers))
    return f"file {declared!r}: {names} cannot read {shown} (accepted: {accepted})"


def _extension(declared: str) -> str:
    """PurePosixPath(declared).suffix, lower case, without its dot; by text, as parsing a path
    for it cost more than the rest of checking a file's type."""
    name = declared.rpartition("/")[2]
    if name in ("", "."):  # pathlib reads the component before it: let it
        return PurePosixPath(declared).suffix.lower().removeprefix(".")
    dot = name.rfind(".")
    return name[dot + 1 :].lower() if 0 < dot < len(name) - 1 else ""


def read_declared_text(
    catalog: FileCatalog, directory: Path, declared: str, label: str, where: Location
) -> tuple[str | None, list[Diagnostic]]:
    """The UTF-8 text of a file a manifest names under `label` (instructions_file, ...)."""
    try:
        path = catalog.locate(directory, declared)
    except FileProblem as problem:
        return None, [Diagnostic(where, str(problem).replace("file ", f"{label} ", 1))]
    text, problems = read_text(path, declared)
    # Editors on Windows write a byte-order mark; it is not part of the text.
    text = text.removeprefix("\ufeff") if text is not None else None
    return text, [Diagnostic(where, f"{label} {p.location.path!r}: {p.message}") for p in problems]
