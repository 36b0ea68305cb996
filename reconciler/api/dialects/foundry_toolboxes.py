"""The toolbox kind's reads and writes in the Foundry dialect (dialects/foundry.py calls them).

Read: the toolboxes list (each with its latest version and `default_version`), and the default
version itself where it is not the latest (one GET each). Writes: a create is one new version
(the first becomes the default); an update moves `default_version`, to the latest version when
that already holds the body (a new version made by an apply that stopped before the move, as
the plan said), else to a new version; a delete takes the toolbox with its versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.api.foundry_client import FoundryClient
from reconciler.core.kinds import toolbox
from reconciler.core.kinds.registry import kind_named
from reconciler.core.kinds.toolbox import LiveToolbox, LiveToolboxVersion
from reconciler.core.plan_types import ResourceChange
from reconciler.errors import ResponseError

Handler = Callable[[ResourceChange, dict[str, str]], str]


def read_toolboxes(client: FoundryClient) -> tuple[LiveToolbox, ...]:
    found = []
    for item in client.list_toolboxes():
        try:
            name, latest = str(item["name"]), item["versions"]["latest"]
            default = str(item.get("default_version") or latest["version"])
            served = latest if str(latest["version"]) == default else None
            served = served or client.get_toolbox_version(name, default)
            found.append(
                LiveToolbox(name, _version(served), _version(latest), client.toolbox_url(name))
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ResponseError(
                f"the endpoint sent a toolbox that does not match the API ({error!r})"
            ) from None
    return tuple(found)


def _version(item: dict[str, Any]) -> LiveToolboxVersion:
    metadata = item.get("metadata") or {}
    return LiveToolboxVersion(
        version=str(item["version"]),
        created_at=int(item["created_at"]),
        description=item.get("description"),
        tools=tuple(item.get("tools") or ()),
        skills=tuple(item.get("skills") or ()),
        policies=item.get("policies"),
        metadata={str(k): str(v) for k, v in metadata.items()},
    )


def toolbox_handlers(client: FoundryClient) -> dict[tuple[str, str], Handler]:
    def create(change: ResourceChange, ids: dict[str, str]) -> str:
        client.create_toolbox_version(change.name, kind_named(change.kind).body(change, ids))
        return client.toolbox_url(change.name)  # what the agents that use it point at

    def update(change: ResourceChange, ids: dict[str, str]) -> str:
        body = kind_named(change.kind).body(change, ids)
        latest = client.get_toolbox(change.name).get("versions", {}).get("latest") or {}
        if not _says(latest, body):
            latest = client.create_toolbox_version(change.name, body)
        client.set_default_toolbox_version(change.name, str(latest["version"]))
        return f"default_version {latest['version']}"

    def delete(change: ResourceChange, ids: dict[str, str]) -> str:
        client.delete_toolbox(change.name)
        return change.name

    return {
        (toolbox.NAME, "create"): create,
        (toolbox.NAME, "update"): update,
        (toolbox.NAME, "delete"): delete,
    }


def _says(version: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a version holds what a create-version body says (null and absent are one)."""
    fields = ("description", "tools", "skills", "policies", "metadata")
    return all((version.get(k) or None) == (body.get(k) or None) for k in fields)
