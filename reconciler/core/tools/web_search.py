"""The web search tool, optionally through a Bing Custom Search configuration.

Wire shape: azure-ai-projects 2.10 `WebSearchTool` (the OpenAI Responses web search tool plus
Foundry's `custom_search_configuration: {project_connection_id, instance_name}`):
`external_web_access`, `filters: {allowed_domains}`, `user_location: {type: approximate,
country, region, city, timezone}`, `search_context_size` (low, medium, high). The manifest
keeps that shape with `connection: <name>` (connection.py). `external_web_access` (default
true) and `search_context_size` (default medium) are service defaults: computed, as are the
deprecated `name`, `description` and `tool_configs`. 100 allowed domains is OpenAI's limit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.core.tools.base import StrictDoc, ToolDoc
from reconciler.core.tools.connection import Connection, WireType


class WebFiltersDoc(StrictDoc):
    allowed_domains: list[str] | None = Field(None, max_length=100)


class LocationDoc(StrictDoc):
    type: Literal["approximate"] = "approximate"
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1, e.g. GB")
    region: str | None = None
    city: str | None = None
    timezone: str | None = Field(None, description="IANA, e.g. Europe/London")


class CustomSearchDoc(StrictDoc):
    connection: str = Connection("The Bing Custom Search connection.", ...)
    instance_name: str = Field(min_length=1, description="Its custom configuration's name.")


class WebSearchDoc(ToolDoc):
    type: Literal["web_search"]
    external_web_access: bool | None = None
    filters: WebFiltersDoc | None = None
    user_location: LocationDoc | None = None
    search_context_size: Literal["low", "medium", "high"] | None = None
    custom_search_configuration: CustomSearchDoc | None = None


class WebSearchType(WireType):
    name = "web_search"
    doc = WebSearchDoc
    connections = (("custom_search_configuration",),)
    computed = ("external_web_access", "search_context_size", "name", "description", "tool_configs")
