"""reconciler.yaml: the project, its manifests' locations and its environments."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reconciler.config.document import EnvironmentDoc, ProjectDoc, check_document
from reconciler.config.endpoints import ENDPOINT_RULES, LOCAL_ENDPOINT
from reconciler.config.interpolate import Scope, interpolate
from reconciler.config.limits import V1_API_VERSIONS, check_name
from reconciler.config.located import Document
from reconciler.config.source import load_documents
from reconciler.config.variables import resolve_variables
from reconciler.core.model import Environment
from reconciler.diagnostics import Diagnostic, Location

PROJECT_FILE = "reconciler.yaml"
_READS_PROCESS = re.compile(r"\$\{\s*env:([^{}]*)\}")  # ${env:NAME} in an endpoint


@dataclass(frozen=True)
class Project:
    root: Path
    doc: ProjectDoc
    source: Document

    def written_variables(self, environment: str) -> dict[str, str]:
        values = self.doc.environments[environment].vars
        return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in values.items()}

    def variables(
        self, environment: str, process: Mapping[str, str]
    ) -> tuple[dict[str, str], list[Diagnostic]]:
        """The environment's vars, each resolved (config/variables.py), and their problems."""
        written = self.written_variables(environment)
        resolved, found = resolve_variables(written, environment, process)
        at = ("environments", environment, "vars")
        return resolved, [Diagnostic(self.source.locate((*at, *p)), m) for p, m in found]


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        data = path.read_bytes()
        return data.decode("utf-8"), []
    except FileNotFoundError:
        return None, [Diagnostic(Location(shown), "file not found")]
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8")) + 1
        where = Location(shown, line, column)
        return None, [Diagnostic(where, f"not UTF-8 text: byte 0x{data[error.start]:02x}")]
    except OSError as error:
        return None, [Diagnostic(Location(shown), f"cannot be read: {error.strerror}")]


def load_project(directory: Path) -> tuple[Project | None, list[Diagnostic]]:
    shown = str(directory / PROJECT_FILE)
    if not (directory / PROJECT_FILE).is_file():
        message = f"no {PROJECT_FILE} here: create one, or pass the project directory as DIR"
        return None, [Diagnostic(Location(shown), message)]
    text, problems = read_text(directory / PROJECT_FILE, shown)
    if text is None:
        return None, problems
    documents, problems = load_documents(shown, text)
    if problems:
        return None, problems
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        return None, [Diagnostic(Location(shown), f"{PROJECT_FILE} must hold one YAML mapping")]
    doc, problems = check_document(ProjectDoc, documents[0])
    if doc is None:
        return None, problems
    project = Project(directory, doc, documents[0])
    return project, _check_names(project)


def _check_names(project: Project) -> list[Diagnostic]:
    source, problems = project.source, []
    if message := check_name("project name", project.doc.project):
        problems.append(Diagnostic(source.locate(("project",)), message))
    if not project.doc.environments:
        problems.append(
            Diagnostic(source.locate(("environments",)), "declare at least one environment")
        )
    for name, env in project.doc.environments.items():
        if message := check_name("environment name", name):
            problems.append(Diagnostic(source.locate(("environments", name), key=True), message))
        problems += _check_environment(project, name, env)
    return problems


def _check_environment(project: Project, name: str, env: EnvironmentDoc) -> list[Diagnostic]:
    where = ("environments", name)
    problems = []
    if env.api_key_env is not None and env.ad_token_env is not None:
        message = "set either api_key_env or ad_token_env, not both"
        problems.append(Diagnostic(project.source.locate((*where, "ad_token_env")), message))
    for key, belongs in (("api_key_env", "key"), ("ad_token_env", "token")):
        if getattr(env, key) is not None and env.auth not in (None, belongs):
            message = f"{key} belongs to auth: {belongs}, and this environment has auth: {env.auth}"
            problems.append(Diagnostic(project.source.locate((*where, key)), message))
    if env.requires_evidence_from not in (None, *project.doc.environments) or (
        env.requires_evidence_from == name
    ):
        message = f"requires_evidence_from names another environment of {PROJECT_FILE}"
        problems.append(
            Diagnostic(project.source.locate((*where, "requires_evidence_from")), message)
        )
    if env.api_version not in V1_API_VERSIONS:
        versions = ", ".join(V1_API_VERSIONS)
        message = (
            f"api_version {env.api_version!r} does not serve Assistants v1; use one of {versions}"
        )
        problems.append(Diagnostic(project.source.locate((*where, "api_version")), message))
    return problems


def environment_names(project: Project, chosen: str | None) -> tuple[list[str], list[Diagnostic]]:
    """The environments a command acts on: the one chosen, or all of them."""
    names = list(project.doc.environments)
    if chosen is None or chosen in names:
        return ([chosen] if chosen else names), []
    message = f"unknown environment {chosen!r}: the project defines {', '.join(names)}"
    return [], [Diagnostic(project.source.locate(("environments",)), message)]


def one_environment(project: Project, chosen: str | None) -> tuple[str | None, list[Diagnostic]]:
    """The environment a command that acts on one uses: the one chosen, or the only one."""
    names, problems = environment_names(project, chosen)
    if problems:
        return None, problems
    if len(names) != 1:
        message = (
            f"the project has several environments ({', '.join(names)}): choose one with --env"
        )
        return None, [Diagnostic(project.source.locate(("environments",)), message)]
    return names[0], []


def resolve_environment(
    project: Project, name: str, process: Mapping[str, str], offline: bool = False
) -> tuple[Environment | None, list[Diagnostic]]:
    """The environment with its endpoint resolved, and every problem of its vars and endpoint;
    None when the endpoint cannot be used. `offline` (validate, which connects to nothing)
    passes over an endpoint that reads a process variable not set here."""
    env = project.doc.environments[name]
    where = ("environments", name, "endpoint")
    variables, problems = project.variables(name, process)
    if offline and any(n.strip() not in process for n in _READS_PROCESS.findall(env.endpoint)):
        return _environment(env, name, env.endpoint), problems
    endpoint, found = interpolate(env.endpoint, Scope(name, variables, process))
    wrong = [Diagnostic(project.source.locate(where), message) for message in found]
    if not found and (problem := endpoint_problem(endpoint, env.endpoint, env.api)):
        wrong.append(Diagnostic(project.source.locate(where), problem))
    if wrong:
        return None, problems + wrong
    return _environment(env, name, endpoint.rstrip("/")), problems


def _environment(env: EnvironmentDoc, name: str, endpoint: str) -> Environment:
    return Environment(
        name, endpoint, env.api_version, env.api_key_env, env.ad_token_env, env.auth, env.api
    )


def endpoint_problem(endpoint: str, written: str, api: str = "assistants") -> str | None:
    """Why the endpoint (`written` before interpolation) cannot be the base of every request."""
    if endpoint == LOCAL_ENDPOINT:
        return None
    if not endpoint:
        if written:  # set but empty, which is not the same as not set
            return (
                f"endpoint {written!r} resolves to an empty value: give what it reads the "
                f"resource's https URL, or write {LOCAL_ENDPOINT!r}"
            )
        return f"endpoint is empty: write the resource's https URL, or {LOCAL_ENDPOINT!r}"
    if endpoint != endpoint.strip():
        return f"endpoint {endpoint!r} has spaces around it: remove them"
    return ENDPOINT_RULES[api](endpoint)


def known_environment(
    directory: Path, environment: str | None, process: Mapping[str, str]
) -> tuple[str, Environment] | None:
    """The project's name and its chosen environment, resolved, before any manifest is read;
    None when reconciler.yaml or the environment has a problem (load_desired reports it)."""
    project, problems = load_project(directory)
    if project is None or problems:
        return None
    name, problems = one_environment(project, environment)
    if name is None or problems:
        return None
    resolved, problems = resolve_environment(project, name, process)
    return None if resolved is None else (project.doc.project, resolved)
