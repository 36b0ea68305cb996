"""The documents users write, as pydantic models: `reconciler.yaml` and `kind: Assistant`
(`kind: Agent` is agent_doc.py, built on these; schemas.py gathers their JSON Schemas).

These models check structure (keys, types, required fields) and generate the JSON Schemas in
`schemas/`. Values are checked against API limits later, once interpolation has resolved them.
"""

from __future__ import annotations

import copy
import difflib
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from reconciler.config.doc_keys import allowed_keys
from reconciler.config.located import Document
from reconciler.core.model import Path
from reconciler.diagnostics import Diagnostic

DEFAULT_API_VERSION = "2024-02-15-preview"
DEFAULT_API_KEY_ENV = "AZURE_OPENAI_API_KEY"
IgnorableField = Literal[
    "display_name", "description", "model", "instructions", "tools", "files", "metadata"
]


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, str | int | float | bool):
        return value
    raise PydanticCustomError("scalar_type", "expected a string, a number or true or false")


# One check, so that a wrong value gives one error rather than one per member of the union.
VarValue = Annotated[
    str | int | float | bool,
    PlainValidator(_scalar, json_schema_input_type=str | int | float | bool),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class EnvironmentDoc(Strict):
    """One deployment target: an Azure OpenAI endpoint and the values its manifests use."""

    endpoint: str = Field(
        description="https://<resource>.openai.azure.com, or `local` for the bundled emulator."
    )
    api: Literal["assistants", "foundry"] = Field(
        "assistants",
        description="The API family: assistants (Azure OpenAI Assistants v1, kind: Assistant) or "
        "foundry (a Microsoft Foundry project, https://<account>.services.ai.azure.com/api/"
        "projects/<project>, kind: Agent; Entra ID only).",
    )
    api_version: str = Field(DEFAULT_API_VERSION, description="Assistants v1 api-version.")
    auth: Literal["key", "token", "entra"] | None = Field(
        None,
        description="key: an API key (api_key_env); token: a fixed Entra ID token (ad_token_env); "
        "entra: Entra ID tokens from azure-identity, renewed as they expire (GitHub Actions OIDC "
        f"when its variables are set). Default: key when {DEFAULT_API_KEY_ENV} (or api_key_env) "
        "is set, token when ad_token_env is, else entra.",
    )
    api_key_env: str | None = Field(
        None,
        description=f"auth: key: variable holding the API key (default {DEFAULT_API_KEY_ENV}).",
    )
    ad_token_env: str | None = Field(
        None,
        description="auth: token: variable holding an Entra ID token (default AZURE_OPENAI_AD_TOKEN).",
    )
    vars: dict[str, VarValue] = Field(default_factory=dict, description="Values for ${var.NAME}.")
    requires_evidence_from: str | None = Field(
        None,
        description="Another environment whose agent tests each agent definition must have "
        "passed there (`reconciler test`) before apply creates or changes it here.",
    )


class ProjectDoc(Strict):
    """reconciler.yaml: the project, where its manifests are, and its environments."""

    project: str = Field(description="Ownership scope, written into every mark.")
    manifests: list[str] = Field(
        default_factory=lambda: ["."], description="Manifest files or folders."
    )
    environments: dict[str, EnvironmentDoc] = Field(description="Environments by name.")


class FunctionDoc(Strict):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = Field(None, description="A JSON Schema object.")


class CodeInterpreterDoc(Strict):
    type: Literal["code_interpreter"]


class RetrievalDoc(Strict):
    type: Literal["retrieval"]


class FunctionToolDoc(Strict):
    type: Literal["function"]
    function: FunctionDoc


ToolDoc = Annotated[
    CodeInterpreterDoc | RetrievalDoc | FunctionToolDoc, Field(discriminator="type")
]


class LifecycleDoc(Strict):
    prevent_destroy: bool = Field(
        False, description="Refuse any plan that would delete this assistant."
    )
    ignore_changes: list[IgnorableField] = Field(
        default_factory=list, description="Fields whose drift is ignored."
    )


class AssistantDoc(Strict):
    """One assistant, its files and its metadata."""

    TOOL_TYPES: ClassVar[str] = "code_interpreter, retrieval or function"  # for messages
    kind: Literal["Assistant"]
    name: str = Field(
        description="Logical name: the stable key, and the API name unless display_name is set."
    )
    display_name: str | None = None
    model: str = Field(description="The Azure deployment name.")
    description: str | None = None
    instructions: str | None = None
    instructions_file: str | None = Field(
        None, description="Path to UTF-8 instructions, relative to this manifest."
    )
    tools: list[ToolDoc] = Field(default_factory=list)
    files: list[str] = Field(
        default_factory=list, description="Paths relative to this manifest, inside the project."
    )
    metadata: dict[str, str] = Field(default_factory=dict)
    lifecycle: LifecycleDoc = Field(default_factory=LifecycleDoc)
    import_id: str | dict[str, str] | None = Field(
        None,
        description="Id of an existing assistant that no project manages, or ids by environment "
        "({dev: asst_...}): the next apply adopts it (same id, marks added) instead of creating a "
        "new one. Written by `reconciler import`.",
    )
    renamed_from: list[str] = Field(
        default_factory=list,
        description="Earlier logical names of this assistant: the live assistant that one of them "
        "marks is renamed in place (same id, marks rewritten) instead of deleted and created anew. "
        "Like Terraform's `moved` blocks; safe to leave in place after the apply.",
    )


M = TypeVar("M", bound=BaseModel)


def check_document(model: type[M], document: Document) -> tuple[M | None, list[Diagnostic]]:
    """The document as `model`, or every structural problem with its location."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        problems = [_diagnostic(model, document, detail) for detail in error.errors()]
        return None, sorted(set(problems))


def partial_document(model: type[M], document: Document) -> M | None:
    """The document without the values `check_document` refused (a value out of range, an
    unknown key), so that the checks after it can say what else is wrong in the same run; None
    when a required key is missing, a refused value is a list's item (dropping it would move the
    items after it), or what is left is no document either."""
    try:
        model.model_validate(document.data)
    except ValidationError as error:
        data = copy.deepcopy(document.data)
        for detail in error.errors():
            path = _data_path(detail["loc"], document.data)
            if detail["type"] == "missing" or not _dropped(data, path):
                return None
        try:
            return model.model_validate(data)
        except ValidationError:
            return None
    return None


def _dropped(data: Any, path: Path) -> bool:
    """Whether the value at `path`, a mapping's key, was taken out of `data` (or was already)."""
    if not path or isinstance(path[-1], int):
        return False
    parent = data
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return True  # under a value dropped already
    if not isinstance(parent, dict):
        return False
    parent.pop(path[-1], None)
    return True


def _diagnostic(model: type[BaseModel], document: Document, detail: Any) -> Diagnostic:
    path = _data_path(detail["loc"], document.data)
    kind, name = detail["type"], str(path[-1]) if path else "document"
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, detail["loc"][:-1])
        hint = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        suffix = (
            f" (did you mean '{hint[0]}'?)"
            if hint
            else f" (expected one of: {', '.join(sorted(allowed))})"
        )
        known: dict[str, str] = getattr(model, "KEY_HINTS", {}) if len(path) == 1 else {}
        suffix = f": {known[name]}" if name in known else suffix
        return Diagnostic(document.locate(path, key=True), f"unknown key '{name}'{suffix}")
    if kind == "missing":
        return Diagnostic(document.locate(path[:-1]), f"missing required key '{name}'")
    message = _message(kind, detail, _tagged_what(path, model))
    return Diagnostic(document.locate(path), f"'{_dotted(path)}': {message}")


def _tagged_what(path: Path, model: type[BaseModel]) -> tuple[str, str]:
    """What a tagged union at `path` holds, and its tags, for messages: tools of either kind,
    an answer's format, a chunking strategy."""
    if path[-1:] == ("format",):
        return "format", "text, json_object or json_schema"
    if path[-1:] == ("chunking",):
        return "chunking", "auto or static"
    return "tool", str(getattr(model, "TOOL_TYPES", "tool types"))


_TYPES = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _message(kind: str, detail: Any, tagged: tuple[str, str]) -> str:
    value = detail["input"]
    if kind in _BOUNDS:
        return f"must be {_BOUNDS[kind]} {detail['ctx'][_BOUND_KEY[kind]]}, got {value!r}"
    return _kind_message(kind, detail, tagged)


def _kind_message(kind: str, detail: Any, tagged: tuple[str, str]) -> str:
    value = detail["input"]
    if kind in _TYPES:
        return f"expected {_TYPES[kind]}, got {_describe(value)}"
    if kind == "scalar_type":
        return f"expected a string, a number or true or false, got {_describe(value)}"
    if kind == "literal_error":
        return f"expected {detail['ctx']['expected']}, got {value!r}"
    if kind == "union_tag_invalid":
        expected = detail["ctx"]["expected_tags"]
        return f"unknown {tagged[0]} type {value.get('type')!r} (expected {expected})"
    if kind == "union_tag_not_found":
        return f"a {tagged[0]} needs a 'type' ({tagged[1]})"
    return str(detail["msg"])


_BOUNDS = {
    "greater_than_equal": "at least",
    "less_than_equal": "at most",
    "greater_than": "more than",
    "less_than": "less than",
}
_BOUND_KEY = {
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "greater_than": "gt",
    "less_than": "lt",
}


def _describe(value: Any) -> str:
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    if isinstance(value, str):
        return "a string"
    return "null (an empty value)" if value is None else f"{value!r}"


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def _data_path(loc: tuple[Any, ...], data: Any) -> Path:
    """pydantic's error location, less the union tags it inserts, as a path into the data."""
    path: list[str | int] = []
    value = data
    for index, part in enumerate(loc):
        if _is_tag(value, part, loc[index + 1 : index + 2]):
            continue
        path.append(part)
        value = value[part] if isinstance(value, list | dict) and _has(value, part) else None
    return tuple(path)


def _is_tag(value: Any, part: Any, after: tuple[Any, ...]) -> bool:
    """Whether `part` is the tag of the tagged union `value` is a member of: its `type`, and
    not a key of it, or a key the rest of the location does not go through
    (`chunking: {type: static, static: {...}}` has both)."""
    if not isinstance(value, dict) or value.get("type") != part:
        return False
    if part not in value:
        return True
    inner = value[part]
    return bool(after) and after[0] in value and not (isinstance(inner, dict) and after[0] in inner)


def _has(container: list[Any] | dict[str, Any], part: Any) -> bool:
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return part in container
