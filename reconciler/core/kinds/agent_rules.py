"""Pure rules of the agent kind: what a definition references, names and ids of tools, ignored
fields, and version numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.core.marks import user_metadata

DEFINITION = ("model", "instructions", "temperature", "top_p", "text", "tools")


IGNORABLE = {"description": ("description",), "metadata": ("metadata",)} | {
    f: ("definition", f) for f in DEFINITION
}


def tool_references(essence: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for tool in essence.get("definition", {}).get("tools", []):
        found |= {f"file.{n}" for n in tool.get("container", {}).get("file_ids", [])}
        found |= {f"vector_store.{n}" for n in tool.get("vector_store_ids", [])}
    return found


def with_ids(tool: dict[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """A tool with upload and store names replaced by the ids the endpoint knows them by."""
    if tool["type"] == "code_interpreter":
        files = [ids.get(n, n) for n in tool["container"]["file_ids"]]
        return {**tool, "container": {**tool["container"], "file_ids": files}}
    if tool["type"] == "file_search":
        return {**tool, "vector_store_ids": [ids.get(n, n) for n in tool["vector_store_ids"]]}
    return tool


def ids_of(definition: dict[str, Any]) -> tuple[set[str], set[str]]:
    files: set[str] = set()
    stores: set[str] = set()
    for tool in definition.get("tools") or []:
        container = tool.get("container")
        if isinstance(container, dict):
            files.update(container.get("file_ids") or [])
        stores.update(tool.get("vector_store_ids") or [])
    return files, stores


def function_tool(tool: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in tool.items() if v is not None}


def tool_key(tool: dict[str, Any]) -> tuple[str, str]:
    return str(tool.get("type")), str(tool.get("name", ""))


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
