"""Request bodies of the Foundry routes, with the limits the service documents.

Models reuse the shared building blocks of core/validation.py (strict, unknown fields rejected,
metadata 16/64/512) and its `parse`, so a bad field gets the 400 that names it as v1's would
(``definition.tools[0].name``). Tools and agent definitions are open unions: the kinds an
emulator can check (prompt; function, file_search, code_interpreter and the GA tools of
tools.py) are checked field by field, every other kind is kept as sent.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    model_validator,
)

from reconciler.emulator.core import validation
from reconciler.emulator.core.validation import Body, Description, Metadata
from reconciler.emulator.foundry import tools

AGENT_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
MAX_TOOLS = 128
AgentName = Annotated[str, StringConstraints(pattern=AGENT_NAME)]
Opaque = dict[str, Any]


class Open(Body):
    """A shape whose unknown fields are kept (new tool options appear faster than emulators)."""

    model_config = ConfigDict(extra="allow", strict=True)


class FunctionTool(Open):
    type: Literal["function"]
    name: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,64}$")]
    description: str | None = None
    parameters: Opaque | None = None
    strict: bool | None = None


class FileSearchTool(Open):
    type: Literal["file_search"]
    vector_store_ids: Annotated[list[str], Field(min_length=1)]
    max_num_results: Annotated[int, Field(ge=1, le=50)] | None = None


class AutoContainer(Open):
    type: Literal["auto"]
    file_ids: list[str] = Field(default_factory=list)


Container = Annotated[
    Annotated[str, Tag("id")] | Annotated[AutoContainer, Tag("auto")],
    Discriminator(lambda value: "id" if isinstance(value, str) else "auto"),
]


class CodeInterpreterTool(Open):
    type: Literal["code_interpreter"]
    container: Container | None = None  # a container id, or `auto` with the files it gets


class OtherTool(Open):
    type: str


def _tag(known: tuple[str, ...], field: str, missing: str) -> Any:
    """Route a union member by `field`: a known value to its model, another string to 'other',
    no string to `missing` (whose model then reports the field by its own name)."""

    def pick(value: Any) -> str:
        tag = value.get(field) if isinstance(value, dict) else getattr(value, field, None)
        if not isinstance(tag, str):
            return missing
        return tag if tag in known else "other"

    return Discriminator(pick)


Tool = Annotated[
    Annotated[FunctionTool, Tag("function")]
    | Annotated[FileSearchTool, Tag("file_search")]
    | Annotated[CodeInterpreterTool, Tag("code_interpreter")]
    | Annotated[tools.McpTool, Tag("mcp")]
    | Annotated[tools.OpenApiTool, Tag("openapi")]
    | Annotated[tools.AzureAISearchTool, Tag("azure_ai_search")]
    | Annotated[tools.BingGroundingTool, Tag("bing_grounding")]
    | Annotated[tools.WebSearchTool, Tag("web_search")]
    | Annotated[tools.AzureFunctionTool, Tag("azure_function")]
    | Annotated[tools.A2ATool, Tag("a2a")]
    | Annotated[tools.CaptureStructuredOutputsTool, Tag("capture_structured_outputs")]
    | Annotated[OtherTool, Tag("other")],
    _tag(("function", "file_search", "code_interpreter", *tools.TOOLS), "type", "other"),
]


class PromptDefinition(Body):
    kind: Literal["prompt"]
    model: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    instructions: str | None = None
    temperature: Annotated[float, Field(ge=0, le=2)] | None = None
    top_p: Annotated[float, Field(ge=0, le=1)] | None = None
    tools: Annotated[list[Tool], Field(max_length=MAX_TOOLS)] | None = None
    tool_choice: str | Opaque | None = None
    text: Opaque | None = None
    reasoning: Opaque | None = None
    structured_inputs: Opaque | None = None
    rai_config: Opaque | None = None
    harness: Opaque | None = None
    skills: list[Opaque] | None = None


class OtherDefinition(Open):
    kind: str


Definition = Annotated[
    Annotated[PromptDefinition, Tag("prompt")] | Annotated[OtherDefinition, Tag("other")],
    # A definition without a kind is reported as a prompt definition missing its `kind`.
    _tag(("prompt",), "kind", "prompt"),
]


class AgentUpdate(Body):
    """POST /agents/{name}: a new version if anything changed."""

    definition: Definition
    description: Description | None = None
    metadata: Metadata | None = None
    blueprint_reference: Opaque | None = None


class AgentVersionCreate(AgentUpdate):
    draft: bool | None = None


class AgentCreate(AgentVersionCreate):
    name: Annotated[str, StringConstraints(max_length=63)]
    state: Literal["enabled", "disabled"] | None = None
    agent_endpoint: Opaque | None = None
    agent_card: Opaque | None = None


class AgentPatch(Body):
    agent_endpoint: Opaque | None = None
    agent_card: Opaque | None = None


# --- vector stores -----------------------------------------------------------------------------


class StaticSizes(Body):
    max_chunk_size_tokens: Annotated[int, Field(ge=100, le=4096)]
    chunk_overlap_tokens: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _overlap_at_most_half(self) -> StaticSizes:
        if self.chunk_overlap_tokens > self.max_chunk_size_tokens // 2:
            raise ValueError("chunk_overlap_tokens must not exceed half of max_chunk_size_tokens")
        return self


class AutoChunking(Body):
    type: Literal["auto"]


class StaticChunking(Body):
    type: Literal["static"]
    static: StaticSizes


Chunking = Annotated[AutoChunking | StaticChunking, Field(discriminator="type")]


class StoreExpiry(Body):
    anchor: Literal["last_active_at"]
    days: Annotated[int, Field(ge=1, le=365)]


AttributeValue = Annotated[str, StringConstraints(max_length=512)] | bool | int | float
Attributes = Annotated[
    dict[Annotated[str, StringConstraints(max_length=64)], AttributeValue], Field(max_length=16)
]


class VectorStoreCreate(Body):
    file_ids: Annotated[list[str], Field(max_length=500)] = Field(default_factory=list)
    name: Annotated[str, StringConstraints(max_length=256)] | None = None
    description: Description | None = None
    expires_after: StoreExpiry | None = None
    chunking_strategy: Chunking | None = None
    metadata: Metadata | None = None


class VectorStoreModify(Body):
    name: Annotated[str, StringConstraints(max_length=256)] | None = None
    expires_after: StoreExpiry | None = None
    metadata: Metadata | None = None


class VectorStoreFileCreate(Body):
    file_id: str
    chunking_strategy: Chunking | None = None
    attributes: Attributes | None = None


class BatchFile(Body):
    file_id: str
    chunking_strategy: Chunking | None = None
    attributes: Attributes | None = None


class FileBatchCreate(Body):
    file_ids: Annotated[list[str], Field(min_length=1, max_length=2000)] | None = None
    files: Annotated[list[BatchFile], Field(min_length=1, max_length=2000)] | None = None
    chunking_strategy: Chunking | None = None
    attributes: Attributes | None = None


B = TypeVar("B", bound=Body)


def parse(model: type[B], data: Any) -> B:
    """The shared `parse`, with the union tags pydantic adds to error locations taken out first."""
    if not isinstance(data, dict):
        return validation.parse(model, data)  # the shared 400 for a body that is not an object
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = _untag(tuple(first["loc"]), data)
        raise validation.translate({**first, "loc": loc}, data) from None


def _untag(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop each step that names a union member instead of a key (one per level at most)."""
    kept, value, just_dropped, indexed = [], data, False, False
    for part in loc:
        # A tool's tag right after its index is left for the shared `_locate`, which skips it
        # there itself: dropped, a key named as the tag (azure_ai_search.azure_ai_search) is lost.
        tool_tag = indexed and isinstance(value, dict) and part == value.get("type")
        if isinstance(value, dict) and not just_dropped and not tool_tag and _is_tag(part, value):
            just_dropped = True
            continue
        kept.append(part)
        just_dropped = False
        indexed = isinstance(value, list)
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
    return tuple(kept)


def _is_tag(part: Any, value: dict[str, Any]) -> bool:
    named = part in (value.get("type"), value.get("kind"))
    return named or (part in _FALLBACK_TAGS and part not in value)


_FALLBACK_TAGS = ("other", "prompt", "auto")
