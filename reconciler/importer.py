"""`reconciler import`: list the assistants no project manages, and write manifests that adopt them.

Without --select the command lists the endpoint's unmanaged assistants (no `reconciler.owner`
mark); that costs the assistant-list requests and nothing else. With --select it writes, for each
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import click
from pydantic import ValidationError
from ruamel.yaml import YAML

from reconciler.client import AssistantsClient
from reconciler.connect import open_client
from reconciler.content import FileProblem, resolve_path, type_problem
from reconciler.document import AssistantDoc
from reconciler.errors import ProjectError, ReconcilerError, UsageError
from reconciler.interpolate import Scope, interpolate
from reconciler.limits import NAME_MAX, SAFE_NAME, check_assistant
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

DEFAULT_INTO = "assistants"
PROMPTS = "prompts"
FILES = "files"
NAME_LENGTH = 64  # SAFE_NAME's limit
SHOWN_NAME = 48  # longer API names are shortened in the listing
FILENAME_BYTES = 200  # well under the usual 255-byte limit of one path component
_UNSAFE_NAME_CHARS = re.compile(r"[^a-z0-9._-]+")
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
HEADER = (
    "# Written by `reconciler import`. The next apply adopts the assistant named by import_id\n"
    "# (same id, ownership marks added) instead of creating a new one.\n"
)


@dataclass(frozen=True)
class Target:
    """Where the project is, which environment, and what its manifests already claim."""

    project: Project
    environment: Environment
    declared_names: frozenset[str]
    imported: Mapping[str, str]  # import_id -> the manifest file that already declares it

    @property
    def owner(self) -> str:
        return f"{self.project.doc.project}/{self.environment.name}"


@dataclass
class Draft:
    """One assistant about to be imported: its manifest, prompt and files, not yet written."""

    assistant: LiveAssistant
    name: str  # the logical name
    manifest: dict[str, Any] = field(default_factory=dict)
    prompt: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (file id, path under `into`)
    notes: list[str] = field(default_factory=list)


@click.command("import")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--env", "environment", help="Environment to use (may be left out when there is one).")
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
    help="Folder for the manifests, relative to DIRECTORY "
    "(default: the first folder in manifests, or assistants/ when that is the project itself).",
)
@handles_errors_lazy := None  # placeholder replaced below
def _unused() -> None:  # pragma: no cover
    """Placeholder."""
