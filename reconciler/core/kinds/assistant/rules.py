"""Pure rules of the assistant kind: ignored fields, the files an assistant keeps, renames in
prose and the look-alike test for replacements."""

from __future__ import annotations

import json
from typing import Any

from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.marks import NAME_MARK, OWNER_MARK, Marks, user_metadata
from reconciler.core.plan_types import ActionReason, ResourceChange

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


def keep_ignored(
    before: dict[str, Any], after: dict[str, Any], ignored: tuple[str, ...]
) -> dict[str, Any]:
    """Ignored fields keep their live values (so ignored files stay attached); marks are ours."""
    kept = {**after, **{IGNORABLE[f]: before[IGNORABLE[f]] for f in ignored}}
    if "metadata" in ignored:
        marks = {k: after["metadata"][k] for k in (OWNER_MARK, NAME_MARK)}
        kept["metadata"] = {**user_metadata(before["metadata"]), **marks}
    return kept


def file_ids_after(change: ResourceChange, live: LiveAssistant, id_of: dict[str, str]) -> set[str]:
    """What the assistant references once the change is applied. Its files are only rewritten
    when they differ: otherwise it keeps the very ids it has (two uploads may share a name)."""
    if change.action == "delete":
        return set()
    if not any(c.path == "files" for c in change.diff):
        return set(live.file_ids)
    return {id_of.get(name, name) for name in (change.after or {}).get("files", [])}


def likeness(essence: dict[str, Any]) -> tuple[str, str]:
    """Two keys under which a removed assistant and a new one look alike (a likely rename):
    the same API name, or the same content under another name. Keys, so that pairing them is
    a lookup, not a comparison of every new one with every removed one."""
    fields = ("description", "model", "instructions", "tools", "files")
    content = json.dumps([essence.get(f) for f in fields], sort_keys=True, default=str)
    return f"name:{essence.get('name')}", f"content:{content}"


def prose(reason: ActionReason, live: LiveAssistant, marks: Marks | None) -> str:
    if reason == "adopt":
        return f"adopts the existing assistant {live.id} (import_id): same id, now managed"
    if reason == "moved":
        old = marks.name if marks is not None else "?"
        return f"moved from assistant.{old}: same id {live.id}, marks rewritten"
    return "differs from its manifest"
