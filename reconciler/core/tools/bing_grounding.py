"""The Grounding with Bing Search tool: web results through a Bing project connection.

Wire shape: azure-ai-projects 2.10 `BingGroundingTool`: `{type: bing_grounding,
bing_grounding: {search_configurations: [{project_connection_id, market, set_lang, count,
freshness}]}}`, one configuration (the SDK's docstring: at most one connection). The manifest
keeps that shape with `connection: <name>` (connection.py). `count` is Bing's own range, 1-50.
The deprecated `name`, `description` and `tool_configs` are computed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.core.tools.base import StrictDoc, ToolDoc
from reconciler.core.tools.connection import Connection, WireType


class BingSearchDoc(StrictDoc):
    connection: str = Connection("The Grounding with Bing Search connection.", ...)
    market: str | None = Field(None, pattern=r"^[a-z]{2}-[A-Za-z]{2}$", description="e.g. en-US")
    set_lang: str | None = Field(None, min_length=2, max_length=7, description="e.g. en")
    count: int | None = Field(None, ge=1, le=50, description="Results per search.")
    freshness: str | None = Field(
        None, description="Day, Week, Month, or a date range (YYYY-MM-DD..YYYY-MM-DD)."
    )


class BingParametersDoc(StrictDoc):
    search_configurations: list[BingSearchDoc] = Field(min_length=1, max_length=1)


class BingGroundingDoc(ToolDoc):
    type: Literal["bing_grounding"]
    bing_grounding: BingParametersDoc


class BingGroundingType(WireType):
    name = "bing_grounding"
    doc = BingGroundingDoc
    connections = (("bing_grounding", "search_configurations", "*"),)
    computed = ("name", "description", "tool_configs")
