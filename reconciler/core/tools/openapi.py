"""The OpenAPI tool: a web API the agent calls, described by an OpenAPI 3 spec in the repository.

Wire shape: azure-ai-projects 2.10 `OpenApiTool`: `{type: openapi, openapi: {name, description,
spec, auth, default_params}}`, `auth` one of `{type: anonymous}`, `{type: project_connection,
security_scheme: {project_connection_id}}` or `{type: managed_identity, security_scheme:
{audience}}`. The manifest keeps that shape, with `connection: <name>` for the id
(connection.py), and names the spec by file (`spec_file`, JSON or YAML, relative to the
manifest) or writes it inline (`spec`, as an import drafts it). The spec's content goes into the
plan, so that a change to the file shows as a diff of the spec. `openapi.functions` is
read-only (the service derives it from the spec): it is never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Names,
    Problem,
    Resolve,
    StrictDoc,
    ToolDoc,
    Wire,
)
from reconciler.core.tools.connection import ConnectionDoc, Declared, WireType

AUTH = ("openapi", "auth", "security_scheme")


class AnonymousAuthDoc(StrictDoc):
    type: Literal["anonymous"]


class ConnectionAuthDoc(StrictDoc):
    type: Literal["project_connection"]
    security_scheme: ConnectionDoc


class AudienceDoc(StrictDoc):
    audience: str = Field(min_length=1, description="The scope of the managed identity's token.")


class ManagedAuthDoc(StrictDoc):
    type: Literal["managed_identity"]
    security_scheme: AudienceDoc


AuthDoc = Annotated[
    AnonymousAuthDoc | ConnectionAuthDoc | ManagedAuthDoc, Field(discriminator="type")
]


class OpenApiFunctionDoc(StrictDoc):
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str | None = None
    spec_file: str | None = Field(
        None, description="The OpenAPI 3 spec (JSON or YAML), relative to this manifest."
    )
    spec: dict[str, Any] | None = Field(None, description="The spec inline (or spec_file).")
    auth: AuthDoc
    default_params: list[str] | None = None


class OpenApiDoc(ToolDoc):
    type: Literal["openapi"]
    openapi: OpenApiFunctionDoc


class OpenApiType(WireType):
    name = "openapi"
    doc = OpenApiDoc
    key_path = ("openapi", "name")
    connections = (AUTH,)
    computed = ("tool_configs",)

    def check(self, doc: OpenApiDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        function = doc.openapi
        problems = checks.check_function(("openapi",), function.name, None, None, seen)
        if (function.spec is None) == (function.spec_file is None):
            problems.append((("openapi",), "openapi takes a spec_file or a spec (exactly one)"))
        elif function.spec is not None and (wrong := spec_problem(function.spec)):
            problems.append((("openapi", "spec"), wrong))
        return problems

    def desired(self, doc: OpenApiDoc, resolve: Resolve) -> Declared:
        function = doc.openapi
        spec = function.spec
        if function.spec_file is not None:
            at = ("openapi", "spec_file")
            spec = resolve.document(function.spec_file, at)
            if spec is not None and (wrong := spec_problem(spec)):
                resolve.problem(at, f"spec_file {function.spec_file!r}: {wrong}")
        inline = doc.model_copy(
            update={"openapi": function.model_copy(update={"spec_file": None, "spec": None})}
        )
        wire = self.wire(inline)
        wire["openapi"] = {**wire["openapi"], "spec": spec}
        return Declared(self.name, wire)

    def named(self, tool: Wire, names: Names) -> Wire:
        named = super().named(tool, names)
        if isinstance(named.get("openapi"), dict):
            named["openapi"] = {k: v for k, v in named["openapi"].items() if k != "functions"}
        return named

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        written = super().draft(tool, paths, drafting)
        function = written.get("openapi")
        if isinstance(function, dict):
            written["openapi"] = {k: v for k, v in function.items() if k != "functions"}
            drafting.notes.append(
                f"{drafting.agent}: the spec of its OpenAPI tool {function.get('name')!r} is "
                "written inline: move it to a file and name it with spec_file"
            )
        return written


def spec_problem(spec: object) -> str | None:
    """Why `spec` is not an OpenAPI 3 document, if it is not (the versions Foundry reads)."""
    if not isinstance(spec, dict):
        return "an OpenAPI spec is a JSON or YAML object"
    version = spec.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        return "an OpenAPI spec states `openapi: 3.x` (Foundry reads OpenAPI 3.0 and 3.1)"
    if not isinstance(spec.get("paths"), dict):
        return "an OpenAPI spec has `paths`, the operations the agent may call"
    return None
