"""Pure rules of the agent kind: tools' sort key, ignored fields, and version numbers (what
tools reference and hold is their types' own: core/tools/)."""

from __future__ import annotations

from typing import Any

from reconciler.core.marks import user_metadata
from reconciler.core.tools.registry import tool_type

DEFINITION = ("model", "instructions", "temperature", "top_p", "text", "tools")


IGNORABLE = {"description": ("description",), "metadata": ("metadata",)} | {
    f: ("definition", f) for f in DEFINITION
}


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
