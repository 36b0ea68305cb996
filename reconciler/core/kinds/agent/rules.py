"""Pure rules of the agent kind: tools' sort key, ignored fields, and version numbers (what
tools reference and hold is their types' own: core/tools/)."""

from __future__ import annotations

from typing import Any

from reconciler.core.marks import user_metadata
from reconciler.core.tools.registry import tool_type

DEFINITION = ("model", "instructions", "temperature", "top_p", "text", "tools")
# The definition's further settings, in the order the essence writes them.
SETTINGS = ("reasoning", "tool_choice", "structured_inputs", "rai_config")


IGNORABLE = {"description": ("description",), "metadata": ("metadata",)} | {
    f: ("definition", f) for f in DEFINITION + SETTINGS
}


def present_settings(definition: dict[str, Any]) -> dict[str, Any]:
    """The definition with the settings' null members dropped (absent and null are one, as the
    service may echo `reasoning: {effort: null}`), and a setting left empty dropped whole."""
    kept = dict(definition)
    for key in SETTINGS:
        value = kept.get(key)
        if not isinstance(value, dict):
            continue
        if key == "structured_inputs":  # a map of inputs, each {description?, schema?, ...}
            value = {name: _present(each) for name, each in value.items()}
        value = _present(value)
        if value:
            kept[key] = value
        else:
            del kept[key]
    return kept


def _present(value: Any) -> Any:
    return {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value


def tool_key(tool: dict[str, Any]) -> tuple[str, str]:
    return str(tool.get("type")), tool_type(tool).key(tool)  # each type says what its key is


def next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else "next"


def keep_ignored(
    before: dict[str, Any], after: dict[str, Any], ignored: tuple[str, ...]
) -> dict[str, Any]:
    kept = {**after, "definition": dict(after["definition"])}
    for field in ignored:
        path = IGNORABLE[field]
        if len(path) == 1:
            kept[path[0]] = before.get(path[0])
        elif path[1] in before["definition"]:
            kept["definition"][path[1]] = before["definition"][path[1]]
        else:
            kept["definition"].pop(path[1], None)
    if "metadata" in ignored:
        marks = {
            k: v for k, v in after["metadata"].items() if k not in user_metadata(after["metadata"])
        }
        kept["metadata"] = {**user_metadata(before["metadata"] or {}), **marks}
    return kept
