"""`kind: Toolbox`: a Microsoft Foundry toolbox, as users write it.

The shape follows azure-ai-projects 2.10's `create_version` (description, tools, skills,
policies.rai_config, metadata). Each tool is an agent tool type's own model (core/tools/), for
the types whose toolbox shape is the agent's (`MCPToolboxTool` is `MCPTool` plus the toolbox's
`name`, `description`, and so on), with the toolbox's `name` and `description` beside it; a
type a toolbox holds that no module types (shell, toolbox_search, ...) goes through `verbatim`.
file_search is not among them: a toolbox's stores would be knowledge no agent declares.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import Field, create_model

from reconciler.config.agent_doc import RaiConfigDoc
from reconciler.config.document import Strict
from reconciler.core.tools.base import ToolDoc
from reconciler.core.tools.registry import TOOL_TYPES

# The agent tool types a toolbox takes in the same shape (ToolboxToolType, SDK 2.10).
TOOLBOX_TYPES = ("mcp", "openapi", "web_search", "azure_ai_search", "a2a", "code_interpreter")
ESCAPE = "verbatim"


@cache
def toolbox_tool(doc: type[ToolDoc]) -> type[ToolDoc]:
    """A tool type's model with the toolbox's own fields for it."""
    fields: Any = {
        "name": (str | None, Field(None, min_length=1, description="Tells the tool apart.")),
        "description": (str | None, None),
    }
    return create_model(f"Toolbox{doc.__name__}", __base__=doc, **fields)


def _tool_union() -> Any:
    types = [TOOL_TYPES[name] for name in (*TOOLBOX_TYPES, ESCAPE) if name in TOOL_TYPES]
    members = tuple(toolbox_tool(t.doc) for t in types)
    return Annotated[Union[members], Field(discriminator="type")]  # noqa: UP007 - built at run time


class SkillDoc(Strict):
    name: str = Field(min_length=1, description="A skill of the project, by name.")
    version: str | None = Field(None, description="Pinned; else the skill's default version.")


class ToolboxLifecycleDoc(Strict):
    prevent_destroy: bool = Field(False, description="Refuse any plan that would delete it.")


class ToolboxDoc(Strict):
    """One Foundry toolbox: tools (and skills) agents reach through one MCP endpoint."""

    TOOL_TYPES: ClassVar[str] = ", ".join((*TOOLBOX_TYPES, ESCAPE))  # for messages

    kind: Literal["Toolbox"]
    name: str = Field(
        description="The toolbox's name and stable key: 1-63 letters, digits or '-', starting "
        "and ending with a letter or digit. Unique in a project (tools-${env.name}).",
    )
    description: str | None = None
    tools: list[Any] = Field(min_length=1)  # the union of _tool_union(), set below
    skills: list[SkillDoc] = Field(default_factory=list)
    rai_config: RaiConfigDoc | None = Field(None, description="policies.rai_config on the wire.")
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: ToolboxLifecycleDoc = Field(default_factory=ToolboxLifecycleDoc)
    import_id: str | dict[str, str] | None = Field(
        None,
        description="Name of an existing toolbox no project manages (or names by environment): "
        "the next apply adopts it (a new version with our marks). It must equal name.",
    )


def toolbox_doc() -> type[ToolboxDoc]:
    return _toolbox_doc(tuple(TOOL_TYPES))


@cache
def _toolbox_doc(types: tuple[str, ...]) -> type[ToolboxDoc]:
    tools: Any = (list[_tool_union()], Field(min_length=1))  # type: ignore[misc]
    return create_model("ToolboxDoc", __base__=ToolboxDoc, tools=tools)
