"""azure-ai-projects 2.10.0 builds every GA tool type from its own models, and the emulator takes
each as the service does and gives it back unchanged; `{{placeholder}}` ids bound by
`structured_inputs` are no references to check."""

from __future__ import annotations

from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    A2ATool,
    AISearchIndexResource,
    AzureAISearchTool,
    AzureAISearchToolResource,
    AzureFunctionBinding,
    AzureFunctionDefinition,
    AzureFunctionDefinitionFunction,
    AzureFunctionStorageQueue,
    AzureFunctionTool,
    BingGroundingSearchConfiguration,
    BingGroundingSearchToolParameters,
    BingGroundingTool,
    CaptureStructuredOutputsTool,
    FileSearchTool,
    MCPTool,
    OpenApiAnonymousAuthDetails,
    OpenApiFunctionDefinition,
    OpenApiManagedAuthDetails,
    OpenApiManagedSecurityScheme,
    OpenApiProjectConnectionAuthDetails,
    OpenApiProjectConnectionSecurityScheme,
    OpenApiTool,
    PromptAgentDefinition,
    StructuredInputDefinition,
    StructuredOutputDefinition,
    WebSearchConfiguration,
    WebSearchTool,
)
from azure.core.exceptions import HttpResponseError

CONNECTION = (
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices"
    "/accounts/a/projects/p/connections/{}"
)
SPEC = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}}
QUEUE = AzureFunctionStorageQueue(
    queue_service_endpoint="https://q.example.com", queue_name="calls"
)


def every_tool() -> list[Any]:
    return [
        MCPTool(
            server_label="orders",
            server_url="https://mcp.example.com",
            allowed_tools=["get_order"],
            require_approval="never",
            headers={"Authorization": "Bearer t"},
            project_connection_id=CONNECTION.format("mcp"),
        ),
        OpenApiTool(
            openapi=OpenApiFunctionDefinition(
                name="anonymous", spec=SPEC, auth=OpenApiAnonymousAuthDetails()
            )
        ),
        OpenApiTool(
            openapi=OpenApiFunctionDefinition(
                name="connected",
                spec=SPEC,
                auth=OpenApiProjectConnectionAuthDetails(
                    security_scheme=OpenApiProjectConnectionSecurityScheme(
                        project_connection_id=CONNECTION.format("api")
                    )
                ),
            )
        ),
        OpenApiTool(
            openapi=OpenApiFunctionDefinition(
                name="managed",
                spec=SPEC,
                auth=OpenApiManagedAuthDetails(
                    security_scheme=OpenApiManagedSecurityScheme(audience="https://api.example.com")
                ),
            )
        ),
        AzureAISearchTool(
            azure_ai_search=AzureAISearchToolResource(
                indexes=[
                    AISearchIndexResource(
                        project_connection_id=CONNECTION.format("search"),
                        index_name="handbook",
                        query_type="semantic",
                        top_k=5,
                    )
                ]
            )
        ),
        BingGroundingTool(
            bing_grounding=BingGroundingSearchToolParameters(
                search_configurations=[
                    BingGroundingSearchConfiguration(
                        project_connection_id=CONNECTION.format("bing"), count=5
                    )
                ]
            )
        ),
        WebSearchTool(
            custom_search_configuration=WebSearchConfiguration(
                project_connection_id=CONNECTION.format("custom"), instance_name="docs"
            )
        ),
        AzureFunctionTool(
            azure_function=AzureFunctionDefinition(
                function=AzureFunctionDefinitionFunction(
                    name="weather", parameters={"type": "object"}
                ),
                input_binding=AzureFunctionBinding(storage_queue=QUEUE),
                output_binding=AzureFunctionBinding(storage_queue=QUEUE),
            )
        ),
        A2ATool(base_url="https://agents.example.com", a2a_version="1.0"),
        CaptureStructuredOutputsTool(
            outputs=StructuredOutputDefinition(
                name="summary", description="A summary", schema={"type": "object"}, strict=True
            )
        ),
    ]


def definition(**changes: Any) -> PromptAgentDefinition:
    return PromptAgentDefinition(**{"model": "gpt-4.1-mini", **changes})


def test_every_ga_tool_type_is_taken_and_read_back_unchanged(project: AIProjectClient) -> None:
    tools = every_tool()
    made = project.agents.create_version("every-tool", definition=definition(tools=tools))
    read = project.agents.get("every-tool").versions.latest
    sent = [dict(tool.as_dict()) for tool in tools]
    assert [dict(t.as_dict()) for t in made.definition.tools] == sent
    assert [dict(t.as_dict()) for t in read.definition.tools] == sent
    assert isinstance(read.definition.tools[0], MCPTool)


@pytest.mark.parametrize(
    ("tool", "param"),
    [
        (MCPTool(server_label="no-server"), "definition.tools[0]"),
        (
            BingGroundingTool(
                bing_grounding=BingGroundingSearchToolParameters(search_configurations=[])
            ),
            "definition.tools[0].bing_grounding.search_configurations",
        ),
        (A2ATool(base_url="https://a.example.com"), "definition.tools[0].a2a_version"),
    ],
)
def test_a_tool_missing_what_its_type_requires_is_a_400(
    project: AIProjectClient, tool: Any, param: str
) -> None:
    with pytest.raises(HttpResponseError) as raised:
        project.agents.create_version("bad-tool", definition=definition(tools=[tool]))
    assert raised.value.status_code == 400
    assert raised.value.error is not None
    assert raised.value.error.target in (param, None)


def test_placeholders_bound_by_structured_inputs_are_no_unknown_ids(
    project: AIProjectClient,
) -> None:
    inputs = {
        "vector_store_id": StructuredInputDefinition(description="The store", required=True),
        "search": StructuredInputDefinition(description="The connection", required=True),
    }
    tools = [
        FileSearchTool(vector_store_ids=["{{vector_store_id}}"]),
        BingGroundingTool(
            bing_grounding=BingGroundingSearchToolParameters(
                search_configurations=[
                    BingGroundingSearchConfiguration(project_connection_id="{{search}}")
                ]
            )
        ),
    ]
    made = project.agents.create_version(
        "bound", definition=definition(tools=tools, structured_inputs=inputs)
    )
    assert made.definition.tools[0]["vector_store_ids"] == ["{{vector_store_id}}"]
    unbound = [FileSearchTool(vector_store_ids=["{{elsewhere}}"])]
    with pytest.raises(HttpResponseError) as raised:
        project.agents.create_version(
            "bound", definition=definition(tools=unbound, structured_inputs=inputs)
        )
    assert raised.value.status_code == 400
