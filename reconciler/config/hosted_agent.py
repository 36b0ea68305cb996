"""A `kind: HostedAgent` document (interpolated) -> a DesiredHosted, or every problem with its
location.

`cpu` and `memory` must be one of the combinations Azure Container Apps allocates (a number is
read as the string the API takes: 0.5 -> "0.5"). An environment variable is a plain value, or
`{env: NAME}`: a secret read from the process environment now, held from here on by its
marker (core/tools/secret.py), never by its value.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reconciler.config.agent_limits import check_agent_name
from reconciler.config.claims import claimed_twice, shared_agent_names
from reconciler.config.document import Strict, check_document
from reconciler.config.limits import check_metadata
from reconciler.config.loader import Request
from reconciler.core.kinds.hosted_agent import DESIRED, DesiredHosted
from reconciler.core.kinds.hosted_agent.keys import ALLOCATIONS
from reconciler.core.kinds.hosted_agent.planner import at
from reconciler.core.model import Environment
from reconciler.core.state import DesiredState
from reconciler.core.tools import secret
from reconciler.diagnostics import Diagnostic

IMAGE = r"^[a-z0-9][a-z0-9.-]*(:[0-9]+)?/[a-z0-9._/-]+((:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|(@sha256:[0-9a-f]{64}))?$"
VARIABLE = r"^[A-Za-z_][A-Za-z0-9_]*$"


class SecretDoc(Strict):
    env: str = Field(pattern=secret.ENV_NAME, description="The environment variable to read.")


class ProtocolDoc(Strict):
    protocol: str = Field(description="responses, a2a, mcp, activity, invocations, ...")
    version: str = Field(description="The protocol's version, e.g. v0.1.1.")


class HostedLifecycleDoc(Strict):
    prevent_destroy: bool = Field(False, description="Refuse any plan that would delete it.")


class HostedAgentDoc(Strict):
    """One Foundry hosted agent: a container image the service runs."""

    kind: Literal["HostedAgent"]
    name: str = Field(description="The Foundry agent name and the stable key.")
    image: str = Field(
        pattern=IMAGE,
        description="registry/repository:tag (resolved to its digest at plan time) or "
        "registry/repository@sha256:<digest>.",
    )
    cpu: str | float = Field(description="vCPUs: 0.25, 0.5, ... 2 (with memory 2x in Gi).")
    memory: str = Field(description="0.5Gi, 1Gi, ... 4Gi: twice the vCPUs.")
    environment_variables: dict[str, str | SecretDoc] = Field(
        default_factory=dict, description="A value, or {env: NAME} for a secret."
    )
    protocols: list[ProtocolDoc] = Field(default_factory=list)
    description: str | None = Field(None, max_length=512)
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: HostedLifecycleDoc = Field(default_factory=HostedLifecycleDoc)
    import_id: str | dict[str, str] | None = None


class HostedAgentLoader:
    """The loader of the Foundry hosted agent manifest kind."""

    kind = "HostedAgent"
    document = HostedAgentDoc

    def resolve(self, request: Request) -> tuple[DesiredHosted | None, list[Diagnostic]]:
        source = request.source
        doc, problems = check_document(HostedAgentDoc, source)
        if doc is None:
            return None, problems
        where = source.locate
        problems += [Diagnostic(where(p), m) for p, m in check_metadata(doc.metadata)]
        if message := check_agent_name(doc.name):
            problems.append(Diagnostic(where(("name",)), message))
        cpu = _number(doc.cpu)
        if ALLOCATIONS.get(cpu) != doc.memory:
            combos = ", ".join(f"{c}/{m}" for c, m in ALLOCATIONS.items())
            message = f"cpu {cpu} with memory {doc.memory} is no allocation; use one of {combos}"
            problems.append(Diagnostic(where(("cpu",)), message))
        environment = []
        process = request.scope.process if request.scope is not None else {}
        for name, value in doc.environment_variables.items():
            place = ("environment_variables", name)
            if not isinstance(value, SecretDoc):
                environment.append((name, secret.plain(value, at(doc.name, name))))
            elif (found := process.get(value.env)) is None:
                message = f"environment variable {value.env} is not set (the secret of {name})"
                problems.append(Diagnostic(where(place), message))
            else:
                environment.append((name, secret.marker(value.env, found, at(doc.name, name))))
        import_id = doc.import_id
        env_name = request.environment.name
        adopted = import_id.get(env_name) if isinstance(import_id, dict) else import_id
        desired = DesiredHosted(
            name=doc.name,
            image=doc.image,
            cpu=cpu,
            memory=doc.memory,
            environment=tuple(environment),
            protocols=tuple((p.protocol, p.version) for p in doc.protocols),
            description=doc.description,
            metadata=dict(doc.metadata),
            prevent_destroy=doc.lifecycle.prevent_destroy,
            import_id=adopted,
            location=where(("name",)),
        )
        return desired, problems

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return claimed_twice(objects, lambda h: [h.name], "hosted agent {!r} is declared twice")

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        return shared_agent_names(states, DESIRED, "hosted agent")

    def wrong_api(self, environment: Environment) -> str:
        return (
            f"kind: {self.kind} is a Foundry agent, and environment {environment.name!r} has api: "
            f"{environment.api}: set api: foundry on it (and a Foundry project endpoint)"
        )


def _number(value: str | float) -> str:
    """0.5 -> "0.5", 1.0 -> "1": as the allocations table spells vCPUs."""
    if isinstance(value, str):
        return value
    return f"{value:g}"
