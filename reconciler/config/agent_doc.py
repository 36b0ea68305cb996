"""`kind: Agent`: a Microsoft Foundry prompt agent, as users write it.

Beside AssistantDoc (document.py). The shape follows the Foundry wire (PromptAgentDefinition:
flat function tools, `text.format`), except where the reconciler owns the ids: code_interpreter
and file_search tools list files by path, and the reconciler uploads them, gathers the knowledge
into a content-addressed vector store and writes the ids itself.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from reconciler.config.document import Strict

# The fields of an agent whose drift may be ignored (core/kinds/agent.py IGNORABLE).
AgentIgnorable = Literal[
    "description", "metadata", "model", "instructions", "temperature", "top_p", "text", "tools"
]


class AgentFunctionDoc(Strict):
    """A function tool, flat as Foundry takes it."""

    type: Literal["function"]
    name: str = Field(description="1-64 letters, digits, '_' or '-'.")
    description: str | None = None
    parameters: dict[str, Any] | None = Field(
        None, description="A JSON Schema object (default: an object without properties)."
    )
    strict: bool | None = Field(None, description="Make the model follow the schema exactly.")


class AgentCodeInterpreterDoc(Strict):
    type: Literal["code_interpreter"]
    files: list[str] = Field(
        default_factory=list,
        description="Files the code interpreter may read: paths relative to this manifest.",
    )


class StaticChunkingDoc(Strict):
    max_chunk_size_tokens: int = Field(800, ge=100, le=4096)
    chunk_overlap_tokens: int = Field(400, ge=0, description="At most half the chunk size.")


class AutoChunkingDoc(Strict):
    type: Literal["auto"]


class StaticChunkingStrategyDoc(Strict):
    type: Literal["static"]
    static: StaticChunkingDoc = Field(default_factory=StaticChunkingDoc)


ChunkingDoc = Annotated[AutoChunkingDoc | StaticChunkingStrategyDoc, Field(discriminator="type")]


class AgentFileSearchDoc(Strict):
    type: Literal["file_search"]
    files: list[str] = Field(
        description="Knowledge files (at least one), relative to this manifest: gathered into "
        "a vector store named after the hash of their contents."
    )
    max_num_results: int | None = Field(None, ge=1, le=50)
    chunking: ChunkingDoc | None = Field(
        None, description="How the files are split (default: the service's, auto)."
    )


AgentToolDoc = Annotated[
    AgentFunctionDoc | AgentCodeInterpreterDoc | AgentFileSearchDoc,
    Field(discriminator="type"),
]


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


class AgentLifecycleDoc(Strict):
    prevent_destroy: bool = Field(False, description="Refuse any plan that would delete it.")
    ignore_changes: list[AgentIgnorable] = Field(
        default_factory=list, description="Fields whose drift is ignored."
    )


class AgentDoc(Strict):
    """One Foundry prompt agent: its definition, tools, knowledge and metadata."""

    TOOL_TYPES: ClassVar[str] = "function, code_interpreter or file_search"  # for messages
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
    tools: list[AgentToolDoc] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: AgentLifecycleDoc = Field(default_factory=AgentLifecycleDoc)
    import_id: str | dict[str, str] | None = Field(
        None,
        description="Name of an existing agent that no project manages, or names by "
        "environment ({staging: ...}): the next apply adopts it (a new version with our marks). "
        "An agent cannot be renamed, so it must equal name. Written by `reconciler import`.",
    )
