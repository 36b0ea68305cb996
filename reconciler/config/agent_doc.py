"""`kind: Agent`: a Microsoft Foundry prompt agent, as users write it.

Beside AssistantDoc (document.py). The shape follows the Foundry wire (PromptAgentDefinition:
flat function tools, `text.format`), except where the reconciler owns the ids: code_interpreter
and file_search tools list files by path, and the reconciler uploads them, gathers the knowledge
into a content-addressed vector store and writes the ids itself. Each tool's model is its type's
own (core/tools/); the union of them is built from the registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import Discriminator, Field, Tag, create_model

from reconciler.config.document import Strict
from reconciler.core.kinds.agent.types import RETENTION_DEFAULT
from reconciler.core.tools.base import ToolDoc, ToolType
from reconciler.core.tools.registry import TOOL_TYPES

# The fields of an agent whose drift may be ignored (core/kinds/agent.py IGNORABLE).
AgentIgnorable = Literal[
    "description",
    "metadata",
    "model",
    "instructions",
    "temperature",
    "top_p",
    "text",
    "tools",
    "reasoning",
    "tool_choice",
    "structured_inputs",
    "rai_config",
]


def _tool_union(types: Iterable[ToolType]) -> Any:
    """The tools a manifest may declare: one model per registered type, told apart by `type`."""
    members = tuple(t.doc for t in types)
    return Annotated[Union[members], Field(discriminator="type")]  # noqa: UP007 - built at run time


if TYPE_CHECKING:
    AgentToolDoc = ToolDoc
else:
    AgentToolDoc = _tool_union(TOOL_TYPES.values())


def _listed(types: Mapping[str, object]) -> str:
    *most, last = types
    return f"{', '.join(most)} or {last}"


class PlainFormatDoc(Strict):
    type: Literal["text", "json_object"]


class JsonSchemaFormatDoc(Strict):
    type: Literal["json_schema"]
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str | None = None
    schema_: dict[str, Any] | None = Field(
        None, alias="schema", description="The JSON Schema the answer follows."
    )
    schema_file: str | None = Field(
        None, description="A JSON file holding the schema, relative to this manifest."
    )
    strict: bool | None = None


class TextDoc(Strict):
    format: Annotated[PlainFormatDoc | JsonSchemaFormatDoc, Field(discriminator="type")] = Field(
        description="text, json_object, or json_schema with a schema (or schema_file)."
    )


# The definition's further settings, in the wire shapes of azure-ai-projects 2.10's models
# (Reasoning, ToolChoiceParam, StructuredInputDefinition, RaiConfig); where they are a superset
# of the vendored spec (Reasoning's mode and context), the SDK's are taken: it is what the
# service's own client sends.
Summary = Literal["auto", "concise", "detailed"]


class ReasoningDoc(Strict):
    effort: Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"] | None = Field(
        None, description="How much the model reasons (reasoning models only)."
    )
    summary: Summary | None = None
    generate_summary: Summary | None = Field(None, description="Deprecated: use summary.")
    mode: Literal["standard", "pro"] | None = None
    context: Literal["auto", "current_turn", "all_turns"] | None = None


class NamedChoiceDoc(Strict):
    type: Literal["function", "custom"]
    name: str = Field(description="The tool the model must call.")


class McpChoiceDoc(Strict):
    type: Literal["mcp"]
    server_label: str
    name: str | None = None


class AllowedToolsDoc(Strict):
    type: Literal["allowed_tools"]
    mode: Literal["auto", "required"]
    tools: list[dict[str, Any]] = Field(
        min_length=1, description="Tools the model may call, e.g. {type: function, name: ...}."
    )


HOSTED_CHOICES = (
    "file_search",
    "code_interpreter",
    "web_search_preview",
    "web_search_preview_2025_03_11",
    "image_generation",
    "computer_use_preview",
    "computer",
    "computer_use",
    "programmatic_tool_calling",
    "apply_patch",
    "shell",
)
TOOL_CHOICE_MODES = ("none", "auto", "required")
MODE = "none, auto or required"  # the tag of a mode (a string), as messages list it


class HostedChoiceDoc(Strict):
    type: Literal[HOSTED_CHOICES]  # type: ignore[valid-type]


def _choice_tag(value: Any) -> str | None:
    """A string is a mode (agent_limits.py checks which); a mapping is told by its `type`, so
    that an error's location is the mapping's own (config/document.py drops such tags)."""
    if isinstance(value, str):
        return MODE
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) else None


_CHOICES: tuple[Any, ...] = (
    Annotated[str, Tag(MODE)],
    Annotated[NamedChoiceDoc, Tag("function")],
    Annotated[NamedChoiceDoc, Tag("custom")],
    Annotated[McpChoiceDoc, Tag("mcp")],
    Annotated[AllowedToolsDoc, Tag("allowed_tools")],
    *(Annotated[HostedChoiceDoc, Tag(kind)] for kind in HOSTED_CHOICES),
)
if TYPE_CHECKING:
    ToolChoice = str | NamedChoiceDoc | McpChoiceDoc | AllowedToolsDoc | HostedChoiceDoc
else:
    ToolChoice = Annotated[Union[_CHOICES], Discriminator(_choice_tag)]  # noqa: UP007


class StructuredInputDoc(Strict):
    description: str | None = None
    default_value: Any = Field(None, description="Used when the caller gives no value.")
    schema_: dict[str, Any] | None = Field(
        None, alias="schema", description="A JSON Schema the value follows."
    )
    required: bool | None = Field(None, description="The service's default: false.")


class RaiConfigDoc(Strict):
    rai_policy_name: str = Field(min_length=1, description="The RAI policy to apply.")
    invocations_moderation: dict[str, Any] | None = None  # hosted agents' invocations only


class AgentLifecycleDoc(Strict):
    prevent_destroy: bool = Field(False, description="Refuse any plan that would delete it.")
    ignore_changes: list[AgentIgnorable] = Field(
        default_factory=list, description="Fields whose drift is ignored."
    )
    retention: int = Field(
        RETENTION_DEFAULT,
        ge=1,
        description="How many versions of ours the agent keeps (the newest; each keeps the "
        "knowledge it references): a new version deletes older ones of ours beyond it.",
    )


class AgentDoc(Strict):
    """One Foundry prompt agent: its definition, tools, knowledge and metadata."""

    TOOL_TYPES: ClassVar[str] = _listed(TOOL_TYPES)  # for messages
    # What an Assistant manifest has and an Agent says otherwise, for the error at the key.
    KEY_HINTS: ClassVar[dict[str, str]] = {
        "display_name": "an agent has no display_name; its name is the one Foundry shows",
        "files": "an agent declares its files in its tools: code_interpreter files (for code) "
        "or file_search files (knowledge)",
        "renamed_from": "an agent is known by its name alone: a new name is a new agent",
    }

    kind: Literal["Agent"]
    name: str = Field(
        description="The Foundry agent name and the stable key: 1-63 lowercase letters, digits "
        "or '-', starting and ending with a letter or digit. Unique in a Foundry project: give "
        "each environment its own (support-bot-${env.name})."
    )
    model: str = Field(description="The model deployment name.")
    description: str | None = None
    instructions: str | None = None
    instructions_file: str | None = Field(
        None, description="Path to UTF-8 instructions, relative to this manifest."
    )
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    text: TextDoc | None = None
    reasoning: ReasoningDoc | None = None
    tool_choice: ToolChoice | None = Field(
        None, description="none, auto, required, or the tool to call ({type: function, name})."
    )
    structured_inputs: dict[str, StructuredInputDoc] | None = Field(
        None, description="Inputs bound at run time ({{name}} in instructions and tool fields)."
    )
    rai_config: RaiConfigDoc | None = None
    tools: list[AgentToolDoc] = Field(default_factory=list)  # the types registered at import
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: AgentLifecycleDoc = Field(default_factory=AgentLifecycleDoc)
    import_id: str | dict[str, str] | None = Field(
        None,
        description="Name of an existing agent that no project manages, or names by "
        "environment ({staging: ...}): the next apply adopts it (a new version with our marks). "
        "An agent cannot be renamed, so it must equal name. Written by `reconciler import`.",
    )


def definition_settings(doc: AgentDoc) -> dict[str, Any]:
    """The settings a manifest declares, each as the API takes it (DesiredAgent's fields)."""
    choice = doc.tool_choice
    settings: dict[str, Any] = {
        "reasoning": _wire(doc.reasoning),
        "tool_choice": choice if isinstance(choice, str | None) else _wire(choice),
        "rai_config": _wire(doc.rai_config),
    }
    if doc.structured_inputs is not None:
        inputs = doc.structured_inputs.items()
        settings["structured_inputs"] = {name: _wire(each) for name, each in inputs}
    return settings


def _wire(model: Strict | None) -> Any:
    return None if model is None else model.model_dump(by_alias=True, exclude_none=True)


def agent_doc() -> type[AgentDoc]:
    """AgentDoc for the tool types registered now (a type registered later joins the union)."""
    return _agent_doc(tuple(TOOL_TYPES.values()))


@cache
def _agent_doc(types: tuple[ToolType, ...]) -> type[AgentDoc]:
    if [t.doc for t in types] == [t.doc for t in BUILT_IN]:
        return AgentDoc
    tools: Any = (list[_tool_union(types)], Field(default_factory=list))  # type: ignore[misc]
    model = create_model("AgentDoc", __base__=AgentDoc, tools=tools)
    model.TOOL_TYPES = _listed({t.name: t for t in types})
    return model


BUILT_IN = tuple(TOOL_TYPES.values())
