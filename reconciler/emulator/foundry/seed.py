"""What a project's connections and model deployments are: seeded, since the emulator makes neither.

The service's connections and deployments are made in the portal or by ARM, never on the data
plane, which only reads them (azure-ai-projects 2.10: `connections.list/get`,
`deployments.list/get`). So the emulator is told what each project has: by a file
(`emulator serve --resources FILE`, `FoundryOptions.resources`) or by the control endpoint
(`PUT /_emulator/foundry/projects/{project}`, which wins). A project named by neither serves the
file's `default`, and without one the demo catalog below: the deployments the examples and the
SDK's samples use, and one connection of each kind an agent tool names.

The file (JSON):
    {"projects": {"<project>": {"connections": [...], "deployments": [...]}},
     "default": {"connections": [...], "deployments": [...]}}
A connection: {"name", "type", "target", "id", "isDefault", "metadata", "credentials"}, all but
the name optional; a deployment: its name, or {"name", "modelName", "modelVersion",
"modelPublisher", "capabilities", "sku", "connectionName"}, all but the name optional.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Json = dict[str, Any]
# The shape of a real connection id: the project's ARM id and the connection's name. The
# project's name is in it, so that two projects (environments) hold different ids.
ID_FORMAT = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/"
    "Microsoft.CognitiveServices/accounts/emulator/projects/{project}/connections/{name}"
)


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ConnectionSeed(_Seed):
    name: str = Field(min_length=1)
    type: str = "CustomKeys"  # ConnectionType: AzureOpenAI, CognitiveSearch, ApiKey, ...
    target: str = ""
    id: str | None = None  # default: ID_FORMAT
    is_default: bool = Field(False, alias="isDefault")
    metadata: dict[str, str] = Field(default_factory=dict)
    # What getConnectionWithCredentials gives; a plain get gives its `type` alone.
    credentials: Json = Field(default_factory=lambda: {"type": "ApiKey"})

    def served(self, project: str, secrets: bool) -> Json:
        credentials = self.credentials if secrets else {"type": self.credentials.get("type")}
        return {
            "name": self.name,
            "id": self.id or ID_FORMAT.format(project=project, name=self.name),
            "type": self.type,
            "target": self.target or f"https://{self.name}.example.invalid/",
            "isDefault": self.is_default,
            "credentials": credentials,
            "metadata": self.metadata,
        }


class DeploymentSeed(_Seed):
    name: str = Field(min_length=1)
    model_name: str | None = Field(None, alias="modelName")  # default: the deployment's name
    model_version: str = Field("1", alias="modelVersion")
    model_publisher: str = Field("OpenAI", alias="modelPublisher")
    capabilities: dict[str, str] = Field(
        default_factory=lambda: {"chat_completion": "true", "agents": "true"}
    )
    sku: Json = Field(
        default_factory=lambda: {
            "capacity": 10,
            "family": "",
            "name": "GlobalStandard",
            "size": "",
            "tier": "",
        }
    )
    connection_name: str | None = Field(None, alias="connectionName")

    @model_validator(mode="before")
    @classmethod
    def _a_name_alone(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    def served(self) -> Json:
        served: Json = {
            "type": "ModelDeployment",
            "name": self.name,
            "modelName": self.model_name or self.name,
            "modelVersion": self.model_version,
            "modelPublisher": self.model_publisher,
            "capabilities": self.capabilities,
            "sku": self.sku,
        }
        if self.connection_name is not None:
            served["connectionName"] = self.connection_name
        return served


class ProjectSeed(_Seed):
    connections: list[ConnectionSeed] = Field(default_factory=list)
    deployments: list[DeploymentSeed] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names_once(self) -> ProjectSeed:
        for what, names in (
            ("connection", [c.name for c in self.connections]),
            ("deployment", [d.name for d in self.deployments]),
        ):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what} {twice[0]!r} is named twice")
        return self


class Seed(_Seed):
    projects: dict[str, ProjectSeed] = Field(default_factory=dict)
    default: ProjectSeed | None = None

    def of(self, project: str) -> ProjectSeed:
        found = self.projects.get(project, self.default)
        return DEMO if found is None else found


def _connection(name: str, kind: str, target: str) -> ConnectionSeed:
    return ConnectionSeed(name=name, type=kind, target=target)


# What a project nobody seeded serves. The data plane's `type` of a Bing grounding connection is
# not in the SDK's ConnectionType (UNVERIFIED: ApiKey taken, as that connection holds a key).
DEMO = ProjectSeed(
    connections=[
        _connection("bing", "ApiKey", "https://api.bing.microsoft.com/"),
        _connection("search", "CognitiveSearch", "https://search.example.invalid/"),
        _connection("mcp", "RemoteTool_Preview", "https://mcp.example.invalid/mcp"),
        _connection("openapi", "OpenAPI", "https://api.example.invalid/"),
        _connection("a2a", "RemoteA2A", "https://agent.example.invalid/"),
    ],
    deployments=[
        DeploymentSeed(name="gpt-4o", model_version="2024-11-20"),
        DeploymentSeed(name="gpt-4o-mini", model_version="2024-07-18"),
        DeploymentSeed(name="gpt-4.1", model_version="2025-04-14"),
        DeploymentSeed(name="gpt-4.1-mini", model_version="2025-04-14"),
        DeploymentSeed(name="gpt-4.1-nano", model_version="2025-04-14"),
        DeploymentSeed(name="o4-mini", model_version="2025-04-16"),
        DeploymentSeed(name="gpt-4", model_version="turbo-2024-04-09"),
        # examples/multi-env's, which `reconciler migrate` turns into a Foundry project
        DeploymentSeed(name="gpt-4-staging", model_name="gpt-4", model_version="turbo-2024-04-09"),
        DeploymentSeed(name="gpt-35-turbo-dev", model_name="gpt-35-turbo", model_version="0125"),
    ],
)


class SeedError(ValueError):
    """A seed file or body that is not one; the message says where."""


def parse_seed(value: Any) -> Seed:
    try:
        return Seed.model_validate(value)
    except ValidationError as error:
        raise SeedError(_first(error)) from None


def parse_project_seed(value: Any) -> ProjectSeed:
    try:
        return ProjectSeed.model_validate(value)
    except ValidationError as error:
        raise SeedError(_first(error)) from None


def load_seed(path: Path) -> Seed:
    """The seed in a JSON file."""
    try:
        return parse_seed(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SeedError(f"{path}: {error}") from None
    except SeedError as error:
        raise SeedError(f"{path}: {error}") from None


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])
