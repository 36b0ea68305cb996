"""Pure: the essence of an assistant on either side, and the field changes between two essences.

Both sides are normalised the same way before comparing (server-owned fields dropped,
defaults filled), so a plan never shows a difference the API would not keep.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.model import LiveAssistant
from reconciler.core.plan_types import FieldChange

WHOLE_FIELDS = ("tools", "files")  # lists compare as one value: order and content both matter
EMPTY_PARAMETERS = {"type": "object", "properties": {}}
# Manifest field -> essence field, for lifecycle.ignore_changes.
IGNORABLE = {
    "display_name": "name",
    "description": "description",
    "model": "model",
    "instructions": "instructions",
    "tools": "tools",
    "files": "files",
    "metadata": "metadata",
}


def normalise_tools(
    tools: tuple[dict[str, Any], ...] | list[dict[str, Any]],
) -> list[dict[str, Any]]:
    normalised = []
    for tool in tools:
        if tool.get("type") != "function":
            normalised.append({"type": tool["type"]})
            continue
        function = dict(tool["function"])
        if function.get("description") is None:
            function.pop("description", None)
        if function.get("parameters") is None:
            function["parameters"] = EMPTY_PARAMETERS
        normalised.append({"type": "function", "function": function})
    return normalised


def live_essence(assistant: LiveAssistant, filename_of: dict[str, str]) -> dict[str, Any]:
    """What of a live assistant a manifest decides, with files by their upload names."""
    return {
        "name": assistant.name,
        "description": assistant.description,
        "model": assistant.model,
        "instructions": assistant.instructions,
        "tools": normalise_tools(assistant.tools),
        "files": sorted(filename_of.get(i, i) for i in assistant.file_ids),
        "metadata": dict(assistant.metadata),
    }


def field_changes(
    before: dict[str, Any], after: dict[str, Any], ignore: tuple[str, ...] = ()
) -> list[FieldChange]:
    """Sorted changes from before to after, leaving out ignored fields."""
    skipped = {IGNORABLE[name] for name in ignore}
    left = {k: v for k, v in before.items() if k not in skipped}
    right = {k: v for k, v in after.items() if k not in skipped}
    if left == right:  # the common case: no diff to compute
        return []
    # Imported here: DeepDiff (and numpy, which it imports when installed) costs some 20-35 MB
    # of memory that a plan without changes never needs.
    from deepdiff import DeepDiff  # noqa: PLC0415

    changes: dict[str, FieldChange] = {}
    for items in DeepDiff(left, right, view="tree").values():
        for item in items:
            path = item.path(output_format="list")
            if path[0] in WHOLE_FIELDS or len(path) == 1:
                field = str(path[0])
                changes[field] = FieldChange(
                    op="change", path=field, old=left.get(field), new=right.get(field)
                )
            else:
                changes[_dotted(path)] = _leaf(path, left, right)
    return sorted(changes.values(), key=lambda change: change.path)


def _leaf(path: list[Any], left: dict[str, Any], right: dict[str, Any]) -> FieldChange:
    old, new = _get(left, path), _get(right, path)
    op = "add" if old is _MISSING else "remove" if new is _MISSING else "change"
    return FieldChange(
        op=op,
        path=_dotted(path),
        old=None if old is _MISSING else old,
        new=None if new is _MISSING else new,
    )


_MISSING = object()


def _get(data: Any, path: list[Any]) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return _MISSING
    return data


def _dotted(path: list[Any]) -> str:
    return ".".join(str(part) for part in path)
