"""Drafts of imported objects: manifests as `reconciler validate` will read them, not yet written.

A draft holds the manifest, the instructions to put in a prompt file and the files to download.
What assistants (draft_assistant.py) and agents (draft_agent.py) share is here: logical names
made safe for ownership marks and unique in the project, file names made safe on disk, user
metadata without our reserved keys, and the YAML that reads back exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reconciler.adoption.yaml_text import dump_yaml
from reconciler.config.project import Project
from reconciler.config.source import load_documents
from reconciler.core.kinds.file import parse_name
from reconciler.core.marks import MARK_PREFIX
from reconciler.core.model import Environment
from reconciler.errors import ReconcilerError, UsageError

PROMPTS = "prompts"
FILES = "files"
NAME_LENGTH = 64  # the limit of limits.SAFE_NAME
FILENAME_BYTES = 200  # under the usual 255-byte limit of one path component
NO_EXTENSION = ".txt"  # what a file without an extension is written as
_UNSAFE_NAME_CHARS = re.compile(r"[^a-z0-9._-]+")
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Target:
    """The project, the environment, and what the project's manifests already claim."""

    project: Project
    environment: Environment
    declared: Mapping[str, str]  # logical name -> the manifest file that declares it
    imported: Mapping[str, str]  # import_id -> the manifest file that declares it

    @property
    def owner(self) -> str:
        return f"{self.project.doc.project}/{self.environment.name}"


@dataclass
class Draft:
    """One live object about to be imported: its manifest, prompt and files, not yet written."""

    source: str  # what the live object is known by: an assistant's id, an agent's name
    name: str  # the logical name
    manifest: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the manifest as YAML
    prompt: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (file id, path under `into`)
    notes: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (path under `into`, text)

    @property
    def label(self) -> str:
        """How problems name it: an assistant by id and logical name, an agent by its name."""
        return self.source if self.source == self.name else f"{self.source} ({self.name})"

    def targets(self) -> list[str]:
        """What this import writes, relative to `into`: files, prompt, then the manifest."""
        found = [path for _, path in self.files] + [path for path, _ in self.texts]
        if self.prompt is not None:
            found.append(str(self.manifest["instructions_file"]))
        return [*found, f"{self.name}.yaml"]

    def instructions(self, text: str | None) -> None:
        """Instructions go to a prompt file, as people keep them; empty ones stay inline."""
        if text:
            self.prompt = text
            self.manifest["instructions_file"] = f"{PROMPTS}/{self.name}.md"
        elif text is not None:
            self.manifest["instructions"] = text


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


def user_metadata(draft: Draft, live: Mapping[str, str]) -> dict[str, str]:
    """The user's metadata keys; keys reserved for ownership marks are left out, with a note."""
    metadata = {k: v for k, v in live.items() if not k.startswith(MARK_PREFIX)}
    if dropped := sorted(set(live) - set(metadata)):
        draft.notes.append(
            f"{draft.source}: reserved metadata keys left out (apply removes them): "
            + ", ".join(dropped)
        )
    return metadata


def file_paths(
    draft: Draft, file_ids: list[str], filenames: Mapping[str, str], problems: list[str]
) -> list[tuple[str, str]]:
    """Where each file goes under `into`: files/<logical name>/<its original name>."""
    paths: list[tuple[str, str]] = []
    used: set[str] = set()
    for file_id in file_ids:
        if file_id not in filenames:
            problems.append(f"its file {file_id} is not in the endpoint's list of files")
            continue
        filename = original_name(filenames[file_id], file_id)
        if not PurePosixPath(filename).suffix:  # README, .hidden: the tools read by extension
            draft.notes.append(
                f"{draft.source}: its file {filenames[file_id]!r} has no extension; "
                f"written as {filename + NO_EXTENSION!r} so that its tools can read it"
            )
            filename += NO_EXTENSION
        filename = _unique_filename(filename, used)
        used.add(filename.casefold())
        paths.append((file_id, f"{FILES}/{draft.name}/{filename}"))
    return paths


def hand_made(file_ids: list[str], filenames: Mapping[str, str]) -> list[str]:
    """The files no reconciler uploaded (not content-addressed), as `'name' (id)`."""
    return [
        f"{filenames[i]!r} ({i})"
        for i in file_ids
        if i in filenames and parse_name(filenames[i], legacy=True) is None
    ]


def original_name(filename: str, file_id: str) -> str:
    """The name a file had before upload, safe on disk: faq.sha256-3f9a2c1e77b0.md -> faq.md."""
    base = _UNSAFE_FILE_CHARS.sub("_", re.split(r"[\\/]", filename)[-1]).strip()
    if (address := parse_name(base, legacy=True)) is not None:
        base = address.stem + address.suffix
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


Doc = TypeVar("Doc", bound=BaseModel)


def validated(model: type[Doc], draft: Draft) -> tuple[Doc | None, list[str]]:
    """The drafted manifest as the manifest format reads it, or what it cannot express."""
    try:
        return model.model_validate(draft.manifest), []
    except ValidationError as error:
        return None, [
            f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']} "
            "(the manifest format cannot express it)"
            for detail in error.errors()
        ]


def render(manifest: dict[str, Any], header: str) -> str:
    """The manifest as YAML that reads back as exactly these values (`${` written as `$${`)."""
    escaped = _escape(manifest)
    text = header + dump_yaml(escaped)
    documents, problems = load_documents("import", text)
    if problems or len(documents) != 1 or documents[0].data != escaped:
        raise ReconcilerError(
            f"the manifest of {manifest['name']} does not read back as written; "
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


def refuse_if(problems: list[str]) -> None:
    if problems:
        raise refusal(*problems)


def refusal(*problems: str) -> UsageError:
    """One problem on one line; several listed below the first."""
    if len(problems) == 1:
        return UsageError(f"import refused, nothing was written: {problems[0]}")
    listed = "\n".join(f"  {problem}" for problem in problems)
    return UsageError(f"import refused, nothing was written:\n{listed}")
