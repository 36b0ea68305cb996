"""Tools that bind to project connections by name, and whose manifest entry is their wire shape.

A manifest says `connection: bing` where the wire has `project_connection_id`; the essence
holds the name there (so that environments whose ids differ hold the same agent), `with_ids`
swaps in `ids["connection.<name>"]`, `named` swaps a live id back through `Names.connections`,
and `references` gives `connection.<name>` (base.py). A `{{placeholder}}` bound by the agent's
`structured_inputs` is kept as it is and references nothing.

`WireType` is the base of such a tool type: its `connections` are the paths (`*` for each item
of a list) of the objects that hold `project_connection_id` on the wire and `connection` in a
manifest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import (
    Drafting,
    Knowledge,
    Names,
    Resolve,
    StrictDoc,
    ToolBase,
    ToolDoc,
    Wire,
)

WIRE_KEY, MANIFEST_KEY = "project_connection_id", "connection"
PLACEHOLDER = re.compile(r"^\{\{\s*[A-Za-z0-9_.-]+\s*\}\}$")
# What stays as written inside a tool even when null (a schema's `default: null`, a spec).
OPAQUE = frozenset({"spec", "parameters", "schema"})
Route = tuple[str, ...]


def Connection(description: str, default: Any = None) -> Any:
    """The manifest field naming a project connection (or a `{{placeholder}}`); `...`: required."""
    return Field(default, min_length=1, max_length=260, description=description)


class ConnectionDoc(StrictDoc):
    """An object holding only a connection (OpenAPI's project_connection security scheme)."""

    connection: str = Connection("A project connection, by its name.", ...)


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and PLACEHOLDER.match(value) is not None


def pruned(value: Any) -> Any:
    """The value without null fields, at any depth but inside schemas and specs."""
    if isinstance(value, dict):
        return {k: (v if k in OPAQUE else pruned(v)) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def _holders(value: Any, route: Route) -> list[dict[str, Any]]:
    """The objects at `route` in `value` (`*` = each item of a list)."""
    if not route:
        return [value] if isinstance(value, dict) else []
    step, rest = route[0], route[1:]
    if step == "*":
        items = value if isinstance(value, list) else []
        return [h for item in items for h in _holders(item, rest)]
    return _holders(value.get(step), rest) if isinstance(value, dict) else []


def _rebuilt(value: Any, route: Route, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A copy of `value` with each object at `route` changed (the rest shared)."""
    if not route:
        return change(value) if isinstance(value, dict) else value
    step, rest = route[0], route[1:]
    if step == "*":
        return [_rebuilt(v, rest, change) for v in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or step not in value:
        return value
    return {**value, step: _rebuilt(value[step], rest, change)}


def renamed(tool: Wire, routes: tuple[Route, ...], old: str, new: str) -> Wire:
    """The tool with key `old` called `new` in each object at `routes`."""
    for route in routes:
        tool = _rebuilt(tool, route, lambda o: {(new if k == old else k): v for k, v in o.items()})
    return tool


def mapped(tool: Wire, routes: tuple[Route, ...], swap: Callable[[str], str]) -> Wire:
    """The tool with each connection (id or name) at `routes` swapped."""

    def change(holder: dict[str, Any]) -> dict[str, Any]:
        value = holder.get(WIRE_KEY)
        if not isinstance(value, str) or is_placeholder(value):
            return holder
        return {**holder, WIRE_KEY: swap(value)}

    for route in routes:
        tool = _rebuilt(tool, route, change)
    return tool


def connections(tool: Wire, routes: tuple[Route, ...]) -> list[str]:
    found = [h.get(WIRE_KEY) for route in routes for h in _holders(tool, route)]
    return [c for c in found if isinstance(c, str) and not is_placeholder(c)]


@dataclass(frozen=True)
class Declared:
    """A tool that reads no files: its wire shape as declared, connections by name."""

    type: str
    wire: Wire

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        return self.wire

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class WireType(ToolBase):
    """A tool type whose manifest entry is its wire shape with connections by name."""

    name: str
    doc: type[ToolDoc]
    connections: tuple[Route, ...] = ()
    key_path: tuple[str, ...] = ("name",)  # where its key is (base.py ToolType.key)

    def key(self, tool: Wire) -> str:
        value: Any = tool
        for step in self.key_path:
            value = value.get(step) if isinstance(value, dict) else None
        return "" if value is None else str(value)

    def wire(self, doc: Any) -> Wire:
        """Its wire shape (names where the wire has ids) from its manifest entry."""
        dumped = pruned(doc.model_dump(by_alias=True))
        return renamed(dumped, self.connections, MANIFEST_KEY, WIRE_KEY)

    def desired(self, doc: Any, resolve: Resolve) -> Declared:
        return Declared(self.name, self.wire(doc))

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        return mapped(tool, self.connections, lambda name: ids.get(f"connection.{name}", name))

    def named(self, tool: Wire, names: Names) -> Wire:
        return mapped(pruned(tool), self.connections, lambda i: names.connections.get(i, i))

    def references(self, tool: Wire) -> set[str]:
        return {f"connection.{name}" for name in connections(tool, self.connections)}

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        """Its manifest entry: the live tool without nulls and the computed fields a manifest
        has no place for, each connection by its name (an id's last segment)."""
        fields = self.doc.model_fields
        kept = {k: v for k, v in pruned(tool).items() if k in fields or k not in self.computed}
        return renamed(
            mapped(kept, self.connections, name_of), self.connections, WIRE_KEY, MANIFEST_KEY
        )

    def verbatim(self, tool: Wire, drafting: Drafting) -> Wire:
        return self.draft(tool, {}, drafting)

    def loose(self, tool: Wire, resolve: Resolve) -> Declared:
        return Declared(self.name, renamed(pruned(tool), self.connections, MANIFEST_KEY, WIRE_KEY))


def name_of(connection_id: str) -> str:
    """A connection's name from its id: Azure's ids end in `/connections/<name>`."""
    return connection_id.rstrip("/").rsplit("/", 1)[-1]
