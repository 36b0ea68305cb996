"""A toolbox's essence: what a plan compares, the same from a manifest and from a live version.

`{description, tools, skills, policies, metadata}`, each tool in its wire shape with the names a
plan uses where the wire has ids (connections: core/tools/connection.py), sorted by type and by
what tells them apart (the toolbox's `name`, else the type's own key), so that order is no
change. Absent and null are one; no version number is in it, so environments whose toolboxes
hold the same tools at other versions compare equal (promotion, `diff --against`).
"""

from __future__ import annotations

from typing import Any

from reconciler.core.kinds.connection import names as connection_names
from reconciler.core.kinds.file import LIVE as FILES
from reconciler.core.kinds.toolbox.types import DesiredToolbox, LiveToolboxVersion
from reconciler.core.marks import Marks
from reconciler.core.model import DesiredFile
from reconciler.core.state import LiveState
from reconciler.core.tools.base import Names, present
from reconciler.core.tools.registry import tool_type


def tool_order(tool: dict[str, Any]) -> tuple[str, str]:
    named = tool.get("name")
    return str(tool.get("type")), str(named) if named else tool_type(tool).key(tool)


def desired_essence(
    toolbox: DesiredToolbox, owner: str, files: dict[str, DesiredFile]
) -> dict[str, Any]:
    tools = []
    for declared in toolbox.tools:
        wire = dict(declared.tool.essence(files))
        wire.update(present({"name": declared.name, "description": declared.description}))
        tools.append(wire)
    marks = Marks(owner, toolbox.name, toolbox.prevent_destroy)
    policies = {"rai_config": toolbox.rai_config} if toolbox.rai_config else None
    return {
        "description": toolbox.description or None,
        "tools": sorted(tools, key=tool_order),
        "skills": [present(s) for s in toolbox.skills] or None,
        "policies": policies,
        "metadata": {**toolbox.metadata, **marks.metadata()},
    }


def live_names(live: LiveState) -> Names:
    return Names({f.id: f.filename for f in live.of(FILES)}, {}, connection_names(live))


def live_essence(version: LiveToolboxVersion, names: Names) -> dict[str, Any]:
    tools = [tool_type(t).named(t, names) for t in version.tools]
    policies = present(version.policies or {})
    return {
        "description": version.description or None,
        "tools": sorted(tools, key=tool_order),
        "skills": [present(s) for s in version.skills] or None,
        "policies": policies or None,
        "metadata": dict(version.metadata),
    }
