"""Agent tests as code: every `kind: AgentTest` document of the project's manifest files,
interpolated for one environment and checked, each problem with its `path:line:column`.

AgentTest documents sit beside the agents' manifests, in the same files and folders, but declare
no live object: the manifest reader passes over them (manifest.py) and `reconciler test` reads
them here. The dataset is a JSONL file in the repository, hashed (SHA-256) like knowledge: the
test's hash, and so the evidence a run leaves, changes with its content.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reconciler.config.agent_test_doc import AgentTestDoc, CriterionDoc, is_test
from reconciler.config.content import FileProblem, inside, resolve_path
from reconciler.config.document import check_document
from reconciler.config.interpolate import Scope, interpolate_tree
from reconciler.config.located import Document
from reconciler.config.manifest import manifest_files
from reconciler.config.project import Project, read_text
from reconciler.config.source import load_documents
from reconciler.core.evidence.model import CHECKS, AgentTest, Criterion
from reconciler.diagnostics import Diagnostic, Location

MAX_ROWS = 1000
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CRITERION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
EVALUATOR = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def load_tests(
    project: Project, environment: str, process: Mapping[str, str]
) -> tuple[list[AgentTest], list[Diagnostic]]:
    """The project's agent tests for one environment, or their problems."""
    scope = Scope(environment, project.variables(environment, process)[0], process)
    tests: list[AgentTest] = []
    problems: list[Diagnostic] = []
    for path in manifest_files(project, problems):
        text, errors = read_text(path, str(path))
        documents, more = load_documents(str(path), text or "")
        problems += errors + more
        for document in documents:
            if is_test(document.data):
                test, found = _load(project, document, path.parent, scope)
                problems += found
                tests += [test] if test is not None else []
    problems += _duplicates(tests)
    return tests, sorted(set(problems))


def _load(
    project: Project, written: Document, directory: Path, scope: Scope
) -> tuple[AgentTest | None, list[Diagnostic]]:
    data, found = interpolate_tree(written.data, scope)
    source = Document(written.file, data, written.values, written.keys)
    problems = [Diagnostic(source.locate(path), message) for path, message in found]
    doc, more = check_document(AgentTestDoc, source)
    if doc is None or problems:
        return None, problems + more
    if not NAME.match(doc.name):
        message = "test names are 1-64 lowercase letters, digits, '-' or '_'"
        problems.append(Diagnostic(source.locate(("name",)), message))
    criteria = [_criterion(c, source, i, problems) for i, c in enumerate(doc.criteria)]
    if not doc.criteria:
        problems.append(Diagnostic(source.locate(("criteria",)), "declare at least one criterion"))
    if doc.regression is not None and not 0 <= doc.regression.tolerance <= 1:
        where = source.locate(("regression", "tolerance"))
        problems.append(Diagnostic(where, "tolerance is a drop of pass rate, between 0 and 1"))
    rows, sha = _dataset(project, directory, doc.dataset, source, problems)
    if problems:
        return None, problems
    return AgentTest(
        doc.name,
        doc.agent,
        doc.input,
        tuple(c for c in criteria if c is not None),
        tuple(rows),
        sha,
        doc.model or "",
        doc.regression.tolerance if doc.regression else None,
        source.locate(()),
    ), []


def _criterion(
    doc: CriterionDoc, source: Document, index: int, problems: list[Diagnostic]
) -> Criterion | None:
    where = ("criteria", index)
    checks = [name for name in CHECKS if getattr(doc, name) is not None]
    if len(checks) != 1:
        message = f"a criterion has exactly one check: one of {', '.join(CHECKS)}"
        problems.append(Diagnostic(source.locate(where), message))
        return None
    check = checks[0]
    value: Any = getattr(doc, check)
    if check == "tool_call":
        value = {"name": value.name, "arguments": value.arguments}
    wrong = _value_problem(check, value)
    if wrong is not None:
        problems.append(Diagnostic(source.locate((*where, check)), wrong))
    if not CRITERION_NAME.match(doc.name):
        message = "criterion names are 1-64 letters, digits, '-' or '_'"
        problems.append(Diagnostic(source.locate((*where, "name")), message))
    rate = 1.0 if doc.min_pass_rate is None else doc.min_pass_rate
    if not 0 <= rate <= 1:
        message = "min_pass_rate is a share of rows, between 0 and 1"
        problems.append(Diagnostic(source.locate((*where, "min_pass_rate")), message))
    if doc.min_score is not None and check != "evaluator":
        message = "min_score belongs to evaluators: other checks pass or fail per row"
        problems.append(Diagnostic(source.locate((*where, "min_score")), message))
    return Criterion(doc.name, check, value, rate, doc.min_score)


def _value_problem(check: str, value: Any) -> str | None:
    if check == "regex":
        try:
            re.compile(value)
        except re.error as error:
            return f"not a regular expression: {error}"
    if check == "json_schema":
        import jsonschema  # noqa: PLC0415 - on first use: a plan without schemas never loads it

        try:
            jsonschema.Draft202012Validator.check_schema(value)
        except jsonschema.SchemaError as error:
            return f"not a JSON Schema: {error.message}"
    if check == "evaluator" and not EVALUATOR.match(value):
        return "an evaluator is a builtin's name: relevance, task_adherence, groundedness, ..."
    if check in ("contains", "icontains", "equals", "not_contains") and not value:
        return f"{check} needs a non-empty string"
    return None


def _dataset(
    project: Project, directory: Path, declared: str, source: Document, problems: list[Diagnostic]
) -> tuple[list[dict[str, Any]], str]:
    where = source.locate(("dataset",))
    try:
        path = resolve_path(directory / declared)
        if not inside(path, project.root.resolve()):
            raise FileProblem("is outside the project directory")
        data = path.read_bytes()
    except FileProblem as problem:
        problems.append(Diagnostic(where, f"dataset {declared!r} {problem}"))
        return [], ""
    except OSError as error:
        problems.append(Diagnostic(where, f"dataset {declared!r} cannot be read: {error.strerror}"))
        return [], ""
    rows = _rows(os.path.normpath(directory / declared), data, problems)
    if not rows and not problems:
        problems.append(Diagnostic(where, f"dataset {declared!r} has no rows"))
    if len(rows) > MAX_ROWS:
        problems.append(Diagnostic(where, f"dataset {declared!r}: at most {MAX_ROWS} rows"))
    return rows, hashlib.sha256(data).hexdigest()


def _rows(shown: str, data: bytes, problems: list[Diagnostic]) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Diagnostic(Location(shown, number, error.colno), error.msg))
            continue
        if not isinstance(row, dict):
            problems.append(Diagnostic(Location(shown, number), "a row is a JSON object"))
            continue
        rows.append(row)
    return rows


def _duplicates(tests: list[AgentTest]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    problems = []
    for test in tests:
        if (test.agent, test.name) in seen:
            message = f"agent {test.agent!r} has two tests named {test.name!r}"
            problems.append(Diagnostic(test.location, message))
        seen.add((test.agent, test.name))
    return problems
