"""What an agent's tool reads through config (core/tools/base.py `Resolve`): its declared files
(by SHA-256, through the agent's reader), JSON or YAML documents in the repository (an OpenAPI
spec), and secrets from the process environment, each problem at the tool's location."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reconciler.config.content import FileCatalog, read_declared_text
from reconciler.config.located import Document
from reconciler.config.source import load_documents
from reconciler.core.model import Path as At
from reconciler.diagnostics import Diagnostic

Files = Callable[[Sequence[str], At, int, frozenset[str]], tuple[str, ...]]


class ToolReads:
    """The `Resolve` of the tool at `at` (("tools", index)) in one agent's manifest."""

    def __init__(
        self, files: Files, source: Document, where: tuple[Path, FileCatalog], at: At
    ) -> None:
        self.files, self.source, self.at = files, source, at
        self.directory, self.catalog = where
        self.problems: list[Diagnostic] = []

    def __call__(
        self, entries: Sequence[str], at: At, limit: int, reads: frozenset[str]
    ) -> tuple[str, ...]:
        return self.files(entries, at, limit, reads)

    def document(self, entry: str, at: At) -> Any:
        where = self.source.locate((*self.at, *at))
        label = str(at[-1]) if at else "file"
        text, found = read_declared_text(self.catalog, self.directory, entry, label, where)
        self.problems += found
        if text is None:
            return None
        if entry.lower().endswith(".json"):
            try:
                return json.loads(text)
            except json.JSONDecodeError as error:
                spot = f"line {error.lineno} column {error.colno}"
                self.problem(at, f"{label} {entry!r} is not JSON ({spot}: {error.msg})")
                return None
        documents, problems = load_documents(entry, text)
        self.problems += problems  # at their line in the file itself
        if not problems and len(documents) != 1:
            self.problem(at, f"{label} {entry!r} must hold one YAML document")
        return documents[0].data if len(documents) == 1 and not problems else None

    def secret(self, name: str, at: At) -> str | None:
        value = os.environ.get(name)
        if value is None:
            self.problem(at, f"environment variable {name} is not set (a secret is read from it)")
        return value

    def problem(self, at: At, message: str) -> None:
        self.problems.append(Diagnostic(self.source.locate((*self.at, *at)), message))
