"""The GA tool types beyond function, file_search and code_interpreter, as the service takes them.

Shapes are azure-ai-projects 2.10's models (`MCPTool`, `OpenApiTool`, `AzureAISearchTool`,
`BingGroundingTool`, `WebSearchTool`, `AzureFunctionTool`, `A2ATool`,
`CaptureStructuredOutputsTool`): their required fields are required here, their enums and the
documented limits checked; unknown fields are kept (`Open`), as new options appear faster than
emulators. `connection_ids` lists the project connections a tool names, for definitions.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from reconciler.emulator.core.validation import Body

Name = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,64}$")]
Opaque = dict[str, Any]


class Open(Body):
    """A shape whose unknown fields are kept."""

    model_config = ConfigDict(extra="allow", strict=True)


class McpFilter(Open):
    tool_names: list[str] | None = None
    read_only: bool | None = None


class McpApproval(Open):
    always: McpFilter | None = None
    never: McpFilter | None = None


class McpTool(Open):
    type: Literal["mcp"]
    server_label: Annotated[str, StringConstraints(min_length=1)]
    server_url: str | None = None
    connector_id: str | None = None
    tunnel_id: str | None = None
    server_description: str | None = None
    headers: dict[str, str] | None = None
    authorization: str | None = None
    allowed_tools: list[str] | McpFilter | None = None
    require_approval: Literal["always", "never"] | McpApproval | None = None
    project_connection_id: str | None = None

    @model_validator(mode="after")
    def _one_server(self) -> McpTool:
        if not (self.server_url or self.connector_id or self.tunnel_id):
            raise ValueError("one of server_url, connector_id or tunnel_id is required")
        return self


class ConnectionScheme(Open):
    project_connection_id: str


class AnonymousAuth(Open):
    type: Literal["anonymous"]


class ConnectionAuth(Open):
    type: Literal["project_connection"]
    security_scheme: ConnectionScheme


class ManagedScheme(Open):
    audience: Annotated[str, StringConstraints(min_length=1)]


class ManagedAuth(Open):
    type: Literal["managed_identity"]
    security_scheme: ManagedScheme


class OpenApiFunction(Open):
    name: Name
    description: str | None = None
    spec: Opaque
    auth: Annotated[AnonymousAuth | ConnectionAuth | ManagedAuth, Field(discriminator="type")]
    default_params: list[str] | None = None


class OpenApiTool(Open):
    type: Literal["openapi"]
    openapi: OpenApiFunction


class SearchIndex(Open):
    project_connection_id: str | None = None
    index_name: str | None = None
    query_type: (
        Literal["simple", "semantic", "vector", "vector_simple_hybrid", "vector_semantic_hybrid"]
        | None
    ) = None
    top_k: Annotated[int, Field(ge=1)] | None = None
    filter: str | None = None
    index_asset_id: str | None = None


class SearchResource(Open):
    indexes: Annotated[list[SearchIndex], Field(min_length=1, max_length=1)]


class AzureAISearchTool(Open):
    type: Literal["azure_ai_search"]
    azure_ai_search: SearchResource


class BingSearch(Open):
    project_connection_id: str
    market: str | None = None
    set_lang: str | None = None
    count: Annotated[int, Field(ge=1, le=50)] | None = None
    freshness: str | None = None


class BingParameters(Open):
    search_configurations: Annotated[list[BingSearch], Field(min_length=1, max_length=1)]


class BingGroundingTool(Open):
    type: Literal["bing_grounding"]
    bing_grounding: BingParameters


class WebFilters(Open):
    allowed_domains: Annotated[list[str], Field(max_length=100)] | None = None


class Location(Open):
    type: Literal["approximate"]
    country: str | None = None
    region: str | None = None
    city: str | None = None
    timezone: str | None = None


class CustomSearch(Open):
    project_connection_id: str
    instance_name: str


class WebSearchTool(Open):
    type: Literal["web_search"]
    external_web_access: bool | None = None
    filters: WebFilters | None = None
    user_location: Location | None = None
    search_context_size: Literal["low", "medium", "high"] | None = None
    custom_search_configuration: CustomSearch | None = None


class Queue(Open):
    queue_service_endpoint: str
    queue_name: str


class Binding(Open):
    type: Literal["storage_queue"]
    storage_queue: Queue


class AzureFunctionSignature(Open):
    name: Name
    description: str | None = None
    parameters: Opaque


class AzureFunctionDefinition(Open):
    function: AzureFunctionSignature
    input_binding: Binding
    output_binding: Binding


class AzureFunctionTool(Open):
    type: Literal["azure_function"]
    azure_function: AzureFunctionDefinition


class A2ATool(Open):
    type: Literal["a2a"]
    base_url: str | None = None
    agent_card_path: str | None = None
    project_connection_id: str | None = None
    send_credentials_for_agent_card: bool | None = None
    a2a_version: Literal["1.0"]


class StructuredOutput(Open):
    name: Name
    description: str
    schema_: Opaque = Field(alias="schema")
    strict: bool


class CaptureStructuredOutputsTool(Open):
    type: Literal["capture_structured_outputs"]
    outputs: StructuredOutput


TOOLS: dict[str, type[Open]] = {
    "mcp": McpTool,
    "openapi": OpenApiTool,
    "azure_ai_search": AzureAISearchTool,
    "bing_grounding": BingGroundingTool,
    "web_search": WebSearchTool,
    "azure_function": AzureFunctionTool,
    "a2a": A2ATool,
    "capture_structured_outputs": CaptureStructuredOutputsTool,
}


def connection_ids(tool: object) -> list[tuple[str, str]]:
    """The project connections a tool names: (its param path below the tool, the id)."""
    found: list[tuple[str, str | None]] = []
    if isinstance(tool, McpTool | A2ATool):
        found.append(("project_connection_id", tool.project_connection_id))
    elif isinstance(tool, OpenApiTool) and isinstance(tool.openapi.auth, ConnectionAuth):
        scheme = tool.openapi.auth.security_scheme.project_connection_id
        found.append(("openapi.auth.security_scheme.project_connection_id", scheme))
    elif isinstance(tool, AzureAISearchTool):
        for index, search in enumerate(tool.azure_ai_search.indexes):
            at = f"azure_ai_search.indexes[{index}].project_connection_id"
            found.append((at, search.project_connection_id))
    elif isinstance(tool, BingGroundingTool):
        for index, bing in enumerate(tool.bing_grounding.search_configurations):
            at = f"bing_grounding.search_configurations[{index}].project_connection_id"
            found.append((at, bing.project_connection_id))
    elif isinstance(tool, WebSearchTool) and tool.custom_search_configuration is not None:
        custom = tool.custom_search_configuration.project_connection_id
        found.append(("custom_search_configuration.project_connection_id", custom))
    return [(at, value) for at, value in found if value is not None]
