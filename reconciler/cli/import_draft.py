"""Drafts of imported assistants: manifests as `reconciler validate` will read them, not yet written.

A draft holds the manifest, the instructions to put in a prompt file and the files to download.
Logical names come from the API names, made safe for ownership marks and unique in the project.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from reconciler.config.content import type_problem
from reconciler.config.document import AssistantDoc
from reconciler.config.limits import check_assistant
from reconciler.config.project import Project
from reconciler.config.source import load_documents
from reconciler.core.kinds.file import parse_name
from reconciler.core.marks import MARK_PREFIX, read_marks
from reconciler.core.model import Environment, LiveAssistant, LiveFile
from reconciler.errors import ReconcilerError, UsageError

PROMPTS = "prompts"
FILES = "files"
NAME_LENGTH = 64  # the limit of limits.SAFE_NAME
FILENAME_BYTES = 200  # under the usual 255-byte limit of one path component
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


def draft_imports(
    chosen: list[LiveAssistant], live: list[LiveAssistant], target: Target, files: list[LiveFile]
) -> list[Draft]:
    """A manifest for each chosen assistant, checked as validate will check it."""
    taken = set(target.declared_names)
    taken |= {
        marks.name
        for a in live
        if (marks := read_marks(a.metadata)) is not None and marks.owner == target.owner
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


def refuse_if(problems: list[str]) -> None:
    if problems:
        raise refusal(*problems)


def refusal(*problems: str) -> UsageError:
    listed = "\n".join(f"  {problem}" for problem in problems)
    return UsageError(f"import refused, nothing was written:\n{listed}")
