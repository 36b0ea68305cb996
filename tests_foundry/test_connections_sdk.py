"""azure-ai-projects 2.10.0 reads a project's connections and deployments from the emulator."""

from __future__ import annotations

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import ConnectionType, ModelDeployment
from azure.core.exceptions import ResourceNotFoundError

from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.foundry.seed import parse_seed
from tests_foundry.conftest import PROJECT

BING_ID = (
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a/"
    "projects/proj1/connections/bing"
)
SEED = {
    "projects": {
        PROJECT: {
            "connections": [
                {
                    "name": "bing",
                    "type": "ApiKey",
                    "id": BING_ID,
                    "target": "https://api.bing.microsoft.com/",
                    "credentials": {"type": "ApiKey", "key": "k-123"},
                },
                {
                    "name": "search",
                    "type": "CognitiveSearch",
                    "target": "https://search.example.invalid/",
                    "isDefault": True,
                    "credentials": {"type": "AAD"},
                },
            ],
            "deployments": [
                {"name": "gpt-4o", "modelVersion": "2024-11-20"},
                {"name": "chat", "modelName": "gpt-4.1-mini", "connectionName": "aoai"},
            ],
        }
    }
}


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(poll_after_ms=1, resources=parse_seed(SEED))


def test_connections_list_and_get_by_name(project: AIProjectClient) -> None:
    listed = list(project.connections.list())
    assert [(c.name, c.id, c.type) for c in listed] == [
        ("bing", BING_ID, "ApiKey"),
        ("search", listed[1].id, ConnectionType.AZURE_AI_SEARCH),
    ]
    assert listed[1].id.endswith("/projects/proj1/connections/search")
    bing = project.connections.get("bing")
    assert (bing.target, bing.is_default, bing.credentials.type) == (
        "https://api.bing.microsoft.com/",
        False,
        "ApiKey",
    )
    assert "key" not in bing.credentials
    with_key = project.connections.get("bing", include_credentials=True)
    assert with_key.credentials["key"] == "k-123"
    searches = project.connections.list(connection_type=ConnectionType.AZURE_AI_SEARCH)
    assert [c.name for c in searches] == ["search"]
    assert project.connections.get_default(ConnectionType.AZURE_AI_SEARCH).name == "search"


def test_an_unknown_connection_name_or_id_is_not_found(project: AIProjectClient) -> None:
    with pytest.raises(ResourceNotFoundError) as raised:
        project.connections.get("nowhere")
    assert raised.value.status_code == 404
    with pytest.raises(ResourceNotFoundError):
        project.connections.get(BING_ID)  # the routes take names, and an id is none


def test_deployments_list_and_get(project: AIProjectClient) -> None:
    listed = list(project.deployments.list())
    assert all(isinstance(d, ModelDeployment) for d in listed)
    assert [(d.name, d.model_name, d.model_publisher) for d in listed] == [
        ("gpt-4o", "gpt-4o", "OpenAI"),
        ("chat", "gpt-4.1-mini", "OpenAI"),
    ]
    chat = project.deployments.get("chat")
    assert isinstance(chat, ModelDeployment)
    assert (chat.connection_name, chat.sku.name) == ("aoai", "GlobalStandard")
    assert [d.name for d in project.deployments.list(model_name="gpt-4o")] == ["gpt-4o"]
    with pytest.raises(ResourceNotFoundError):
        project.deployments.get("gpt-9")
