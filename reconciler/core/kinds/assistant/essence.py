"""The essence of an assistant on either side: what a manifest decides, normalised the same way
on both sides (defaults filled, files by their upload names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.core.kinds.assistant.types import LiveAssistant

EMPTY_PARAMETERS = {"type": "object", "properties": {}}


def normalise_tools(
    tools: tuple[dict[str, Any], ...] | list[dict[str, Any]],
) -> list[dict[str, Any]]:
    return [normalise_tool(tool) for tool in tools]


def normalise_tool(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool itself when it is normal already (as the API returns it): tools are shared
    between the assistants that repeat them (SharedTools), and a copy per assistant of 10,000
    adds up. Essences are never modified, so sharing is safe."""
    if tool.get("type") != "function":
        return tool if len(tool) == 1 else {"type": tool["type"]}
    function = tool["function"]
    if function.get("description") is None or function.get("parameters") is None:
        function = dict(function)
        if function.get("description") is None:
            function.pop("description", None)
        if function.get("parameters") is None:
            function["parameters"] = EMPTY_PARAMETERS
    elif len(tool) == 2:  # type and function, nothing else
        return tool
    return {"type": "function", "function": function}


Tools = tuple[dict[str, Any], ...]


class SharedLists:
    """normalise_tools, one list for each distinct list of tools: a plan holds an essence of
    each of 10,000 assistants, whose tools are a few lists of the same few (shared) tool dicts.

    Keyed by the identity of those dicts: a key holds while the states that hold the dicts do,
    so one lives only as long as one planning of them."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, ...], list[dict[str, Any]]] = {}

    def __call__(self, tools: Tools) -> list[dict[str, Any]]:
        key = tuple(map(id, tools))
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = normalise_tools(tools)
        return found


def live_essence(
    assistant: LiveAssistant,
    filename_of: dict[str, str],
    normalised: Callable[[Tools], list[dict[str, Any]]] = normalise_tools,
) -> dict[str, Any]:
    """What of a live assistant a manifest decides, with files by their upload names."""
    return {
        "name": assistant.name,
        "description": assistant.description,
        "model": assistant.model,
        "instructions": assistant.instructions,
        "tools": normalised(assistant.tools),
        "files": sorted(filename_of.get(i, i) for i in assistant.file_ids),
        "metadata": assistant.metadata,  # shared, as the tools are: never modified
    }
