"""Which Azure surface an endpoint is: it decides the token's scope and the role to ask for.

A dialect (Assistants v1 on an Azure OpenAI resource, Foundry agents on a project) will name
its surface itself; until then the endpoint's host and path tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

FOUNDRY_HOST_SUFFIX = ".services.ai.azure.com"
FOUNDRY_PATH_PREFIX = "/api/projects/"


@dataclass(frozen=True)
class Surface:
    """What an Entra ID token must be for, and which role its identity needs there."""

    name: str  # as a person would say it: "Azure OpenAI resource"
    scope: str
    role: str
    keys: bool = True  # whether it also takes API keys: a Foundry project takes none


AZURE_OPENAI = Surface(
    "Azure OpenAI resource",
    "https://cognitiveservices.azure.com/.default",
    "Cognitive Services OpenAI Contributor",
)
FOUNDRY_PROJECT = Surface(
    "Foundry project", "https://ai.azure.com/.default", "Azure AI User", keys=False
)


def surface_of(endpoint: str) -> Surface:
    """A Foundry project endpoint (https://<name>.services.ai.azure.com/api/projects/<p>), else
    an Azure OpenAI resource: the emulator and every other host speak like one."""
    parsed = urlparse(endpoint)
    host = (parsed.hostname or "").lower()
    if host.endswith(FOUNDRY_HOST_SUFFIX) and parsed.path.startswith(FOUNDRY_PATH_PREFIX):
        return FOUNDRY_PROJECT
    return AZURE_OPENAI
