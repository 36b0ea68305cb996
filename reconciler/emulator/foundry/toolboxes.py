"""Toolboxes and their immutable versions: store and rules.

As azure-ai-projects 2.10 reads them (models `ToolboxObject`, `ToolboxVersionObject`): a
toolbox is a name, a monotonic version counter and `default_version`, the version its MCP
endpoint serves. The first version becomes the default; a later one does not move it (the
SDK's samples call `update(default_version=...)` after `create_version`, and a public lab notes
that the consumer endpoint keeps serving v1 after v2 is made). Choices no source pins down,
each documented in the README's emulator section: ids are the name (toolbox) and `name:N`
(version), as for agents; numbers are never reused while the toolbox lives; deleting the
default version is a 409 (move the default first); deleting the last version deletes the
toolbox. A toolbox tells its tools apart by `name` (an MCP tool by `server_label`): two tools
without one are the 400 `invalid_payload` a public sample quotes ("Multiple tools without
identifiers found"), and so are two tools of one name.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import NotFoundError, ServiceError, bad_request
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.foundry.agents import check_name
from reconciler.emulator.foundry.state import Foundry

TOOLBOX, VERSION = "foundry.toolbox", "foundry.toolbox.version"
# ToolboxToolType of azure-ai-projects 2.10.
TOOL_TYPES = (
    "code_interpreter",
    "file_search",
    "web_search",
    "mcp",
    "azure_ai_search",
    "openapi",
    "a2a_preview",
    "browser_automation_preview",
    "reminder_preview",
    "work_iq_preview",
    "fabric_iq_preview",
    "toolbox_search",
    "toolbox_search_preview",
    "a2a",
    "shell",
    "web_iq_preview",
    "browser_automation",
)


def create_version(fd: Foundry, name: str, raw: Json) -> Json:
    """POST /toolboxes/{name}/versions: always a new version; the toolbox when absent."""
    check_name(name, "name")
    check_tools(raw["tools"])
    with fd.state.db.transaction():
        toolbox = fd.state.db.get(TOOLBOX, fd.scope(), name)
        number = 1 if toolbox is None else toolbox["last"] + 1
        version: Json = {
            "object": "toolbox.version",
            "id": f"{name}:{number}",
            "name": name,
            "version": str(number),
            "description": raw.get("description"),
            "created_at": fd.now(),
            "metadata": raw.get("metadata") or {},
            "tools": raw["tools"],
            "skills": raw.get("skills"),
            "policies": raw.get("policies"),
        }
        fd.state.db.insert(VERSION, fd.scope(name), version)
        if toolbox is None:
            toolbox = {"id": name, "name": name, "default_version": str(number)}
            made = {**toolbox, "created_at": fd.now(), "last": number, "at": fd.now()}
            fd.state.db.insert(TOOLBOX, fd.scope(), made)
        else:
            fd.state.db.replace(TOOLBOX, fd.scope(), {**toolbox, "last": number, "at": fd.now()})
    return version


def check_tools(tools: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    unnamed = 0
    for index, tool in enumerate(tools):
        kind = tool["type"]
        if kind not in TOOL_TYPES:
            supported = ", ".join(f"'{t}'" for t in TOOL_TYPES)
            message = f"Invalid value: '{kind[:64]}'. Supported values are: {supported}."
            raise bad_request(message, f"tools[{index}].type", "invalid_value")
        label = tool.get("name") or (tool.get("server_label") if kind == "mcp" else None)
        unnamed += label is None
        if unnamed > 1 or (label is not None and label in seen):
            message = (
                "Multiple tools without identifiers found"
                if label is None
                else (f"Multiple tools with the identifier '{label}' found")
            )
            raise bad_request(message, f"tools[{index}]", "invalid_payload")
        if label is not None:
            seen.add(label)


def get(fd: Foundry, name: str) -> Json:
    return _render(fd, _require(fd, name))


def page(fd: Foundry, query: PageQuery) -> Page:
    toolboxes = [_render(fd, t) for t in fd.state.db.select(TOOLBOX, parent=fd.scope())]
    return page_items(toolboxes, query)


def update(fd: Foundry, name: str, default_version: str) -> Json:
    """PATCH /toolboxes/{name}: point the toolbox at one of its versions."""
    with fd.state.db.transaction():
        toolbox = _require(fd, name)
        if fd.state.db.get(VERSION, fd.scope(name), f"{name}:{default_version}") is None:
            message = f"Toolbox '{name}' has no version '{default_version[:64]}'."
            raise bad_request(message, "default_version", "invalid_value")
        changed = {**toolbox, "default_version": default_version, "at": fd.now()}
        fd.state.db.replace(TOOLBOX, fd.scope(), changed)
    return get(fd, name)


def delete(fd: Foundry, name: str) -> None:
    with fd.state.db.transaction():
        _require(fd, name)
        _forget(fd, name)


def get_version(fd: Foundry, name: str, version: str) -> Json:
    _require(fd, name)
    return fd.require(VERSION, fd.scope(name), f"{name}:{version}", "version")


def page_versions(fd: Foundry, name: str, query: PageQuery) -> Page:
    _require(fd, name)
    versions = fd.state.db.children(VERSION, fd.scope(name))
    cursors = {
        k: _version_id(name, v) for k, v in (("after", query.after), ("before", query.before))
    }
    return page_items(versions, PageQuery(query.limit, query.order, **cursors))


def delete_version(fd: Foundry, name: str, version: str) -> None:
    with fd.state.db.transaction():
        toolbox = _require(fd, name)
        get_version(fd, name, version)
        remaining = [
            v for v in fd.state.db.children(VERSION, fd.scope(name)) if v["version"] != version
        ]
        if version == toolbox["default_version"] and remaining:
            message = (
                f"Version '{version}' is the default version of toolbox '{name}': set another "
                "default_version first."
            )
            raise ServiceError(409, message, code="conflict")
        fd.state.db.delete(VERSION, fd.scope(name), f"{name}:{version}")
        if not remaining:
            _forget(fd, name)


def served(fd: Foundry, name: str, version: str | None) -> Json:
    """The version an MCP endpoint serves: the default, or the one its path names."""
    toolbox = _require(fd, name)
    return get_version(fd, name, version or toolbox["default_version"])


def _forget(fd: Foundry, name: str) -> None:
    fd.state.db.delete(TOOLBOX, fd.scope(), name)
    fd.state.db.delete_where(VERSION, parent=fd.scope(name))


def _require(fd: Foundry, name: str) -> Json:
    found = fd.state.db.get(TOOLBOX, fd.scope(), name)
    if found is None:
        error = NotFoundError(f"Toolbox '{name}' not found.")
        error.code = "not_found"
        raise error
    return found


def _render(fd: Foundry, toolbox: Json) -> Json:
    versions = fd.state.db.children(VERSION, fd.scope(toolbox["name"]))
    return {
        "object": "toolbox",
        "id": toolbox["id"],
        "name": toolbox["name"],
        "updated_at": toolbox["at"],
        "default_version": toolbox["default_version"],
        "versions": {"latest": versions[-1]},
    }


def _version_id(name: str, cursor: str | None) -> str | None:
    return cursor if cursor is None or ":" in cursor else f"{name}:{cursor}"
