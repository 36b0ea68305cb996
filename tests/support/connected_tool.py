"""A throwaway tool type that binds a project connection by name, as the contract in
core/tools/base.py says a tool does: its essence holds the name where the wire has
`project_connection_id`, `with_ids` swaps in the id, `named` swaps a live id back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import Knowledge, Names, Resolve, ToolBase, ToolDoc, Wire, present
from reconciler.core.tools.registry import registered

TYPE = "grounded_search"


class GroundedSearchDoc(ToolDoc):
    type: Literal["grounded_search"]
    connection: str
    count: int | None = None


@dataclass(frozen=True)
class GroundedSearch:
    connection: str
    count: int | None = None

    type = TYPE

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        wire = {"type": TYPE, "project_connection_id": self.connection, "count": self.count}
        return present(wire)

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class GroundedSearchType(ToolBase):
    name = TYPE
    doc = GroundedSearchDoc

    def desired(self, doc: GroundedSearchDoc, resolve: Resolve) -> GroundedSearch:
        return GroundedSearch(doc.connection, doc.count)

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        name = tool["project_connection_id"]
        return {**tool, "project_connection_id": ids[f"connection.{name}"]}

    def named(self, tool: Wire, names: Names) -> Wire:
        found = str(tool["project_connection_id"])
        return {**present(tool), "project_connection_id": names.connections.get(found, found)}

    def references(self, tool: Wire) -> set[str]:
        return {f"connection.{tool['project_connection_id']}"}


@contextmanager
def grounded_search() -> Iterator[None]:
    with registered(GroundedSearchType()):
        yield
