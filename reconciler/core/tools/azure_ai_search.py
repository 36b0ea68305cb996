"""The Azure AI Search tool: one index the agent searches, through a project connection.

Wire shape: azure-ai-projects 2.10 `AzureAISearchTool`: `{type: azure_ai_search,
azure_ai_search: {indexes: [{project_connection_id, index_name, query_type, top_k, filter,
index_asset_id}]}}`, at most one index (the SDK's docstring). The manifest keeps that shape with
`connection: <name>` (connection.py). An index is named by connection and index_name, or by an
index asset (`index_asset_id`). The deprecated `name`, `description` and `tool_configs` are
computed: whatever the service keeps there is not drift.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.core.tools.base import Checks, Problem, StrictDoc, ToolDoc
from reconciler.core.tools.connection import Connection, WireType

QueryType = Literal[
    "simple", "semantic", "vector", "vector_simple_hybrid", "vector_semantic_hybrid"
]


class SearchIndexDoc(StrictDoc):
    connection: str | None = Connection("The project connection to the search service.")
    index_name: str | None = Field(None, min_length=1, max_length=128)
    query_type: QueryType | None = None
    top_k: int | None = Field(None, ge=1, description="How many documents the model is given.")
    filter: str | None = Field(None, description="An OData filter applied to every search.")
    index_asset_id: str | None = Field(None, min_length=1)


class SearchResourceDoc(StrictDoc):
    indexes: list[SearchIndexDoc] = Field(min_length=1, max_length=1)


class AzureAISearchDoc(ToolDoc):
    type: Literal["azure_ai_search"]
    azure_ai_search: SearchResourceDoc


class AzureAISearchType(WireType):
    name = "azure_ai_search"
    doc = AzureAISearchDoc
    connections = (("azure_ai_search", "indexes", "*"),)
    computed = ("name", "description", "tool_configs")

    def check(self, doc: AzureAISearchDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        for index, found in enumerate(doc.azure_ai_search.indexes):
            by_connection = found.connection is not None and found.index_name is not None
            if by_connection == (found.index_asset_id is not None):
                at = ("azure_ai_search", "indexes", index)
                message = "an index is a connection with an index_name, or an index_asset_id"
                problems.append((at, message))
        return problems
