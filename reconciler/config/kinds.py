"""The kinds of manifest, and which API family (an environment's `api`) serves which."""

from __future__ import annotations

import difflib

from reconciler.config.project import Project
from reconciler.core.model import Environment

KIND = "Assistant"
AGENT = "Agent"
KINDS = (KIND, AGENT)  # every kind a manifest may declare; a new kind is one more entry here
# The kind each API family serves (Environment.api).
KIND_OF_API = {"assistants": KIND, "foundry": AGENT}


def served_kinds(project: Project) -> tuple[str, ...]:
    """The kinds the project's environments serve, in the order their environments come."""
    apis = dict.fromkeys(env.api for env in project.doc.environments.values())
    return tuple(KIND_OF_API[api] for api in apis) or (KIND,)


def served(project: Project) -> str:
    """The kinds the project's environments serve, as a manifest declares them."""
    return " or ".join(f"kind: {kind}" for kind in served_kinds(project))


def kind_problem(data: object, served: tuple[str, ...] = (KIND,)) -> str | None:
    """Why a YAML document is not a manifest of a known kind, if it is not; `served` are the
    kinds the project's environments take, the ones worth suggesting."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind in KINDS:
        return None
    known = " or ".join(f"kind: {k}" for k in served)
    if kind is None:
        return f"not a manifest: expected a mapping with {known}"
    close = [k for k in KINDS if k.lower() == str(kind).lower()]
    close = close or difflib.get_close_matches(str(kind), KINDS, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"use {known}"
    return f"unknown kind {kind!r}: {hint}"


def api_problem(kind: object, environment: Environment) -> str | None:
    """Why a manifest of this kind cannot go to this environment, if it cannot."""
    served = KIND_OF_API[environment.api]
    if kind == served:
        return None
    if kind == AGENT:
        return (
            f"kind: Agent is a Foundry agent, and environment {environment.name!r} has api: "
            f"{environment.api}: set api: foundry on it (and a Foundry project endpoint)"
        )
    return (
        f"kind: {kind} is an Assistants v1 manifest, and environment {environment.name!r} has "
        "api: foundry, which serves kind: Agent: `reconciler migrate` converts it"
    )
