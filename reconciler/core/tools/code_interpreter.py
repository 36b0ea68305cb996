"""The code interpreter tool: an auto container with the uploads it may read.

The manifest lists files by path; the plan names them by upload name and the wire by id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Held,
    Knowledge,
    Names,
    Problem,
    Resolve,
    ToolBase,
    ToolDoc,
    V1Tools,
    Wire,
    listed_twice,
    present,
)

FILES_MAX = 20  # files per code interpreter (as for Assistants v1, config/limits.py)
# The file types it reads, by extension (Azure's, for Assistants v1 as for agents).
READS = frozenset(
    "c cpp csv docx html java json md pdf php pptx py rb tex txt css jpeg jpg js gif png tar ts xlsx xml zip".split()  # noqa: SIM905
)
CONTAINER_KEYS = {"type", "file_ids"}


class AgentCodeInterpreterDoc(ToolDoc):
    type: Literal["code_interpreter"]
    files: list[str] = Field(
        default_factory=list,
        description="Files the code interpreter may read: paths relative to this manifest.",
    )


def _container(names: list[str]) -> Wire:
    return {"type": "code_interpreter", "container": {"type": "auto", "file_ids": sorted(names)}}


def _auto(container: object) -> bool:
    """An auto container with files: what a manifest's code interpreter says."""
    return (
        isinstance(container, dict)
        and set(container) <= CONTAINER_KEYS
        and container.get("type", "auto") == "auto"
    )


def _ids(tool: Wire) -> list[str]:
    container = tool.get("container")
    return list(container.get("file_ids") or []) if isinstance(container, dict) else []


@dataclass(frozen=True)
class CodeInterpreter:
    files: tuple[str, ...] = ()  # SHA-256 of each file

    type = "code_interpreter"

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        return _container([files[sha].upload_name for sha in self.files])

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class CodeInterpreterType(ToolBase):
    name = "code_interpreter"
    doc = AgentCodeInterpreterDoc
    single = True  # one container per agent

    def check(self, doc: AgentCodeInterpreterDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        return listed_twice(doc.files)

    def desired(self, doc: AgentCodeInterpreterDoc, resolve: Resolve) -> CodeInterpreter:
        return CodeInterpreter(resolve(doc.files, ("files",), FILES_MAX, READS))

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        if not _auto(tool.get("container", {})):
            return tool  # declared verbatim: sent as written
        files = [ids.get(n, n) for n in tool["container"].get("file_ids") or []]
        return {**tool, "container": {**tool["container"], "file_ids": files}}

    def named(self, tool: Wire, names: Names) -> Wire:
        if not _auto(tool.get("container") or {}):
            return present(tool)  # a container by id, or one a manifest cannot say: as data
        return _container([names.files.get(i, i) for i in _ids(tool)])

    def references(self, tool: Wire) -> set[str]:
        return {f"file.{n}" for n in _ids(tool)}

    def held(self, tool: Wire) -> Held:
        return Held(files=tuple(dict.fromkeys(_ids(tool))))

    def files(self, tool: Wire, drafting: Drafting) -> list[str]:
        container = tool.get("container")
        if container is None:
            return []
        if not _auto(container):
            drafting.problems.append(
                f"its code_interpreter container {json.dumps(container)} cannot be expressed: "
                "a manifest's code interpreter is an auto container with files"
            )
            return []
        return [str(i) for i in container.get("file_ids") or []]

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        files = [paths[i] for i in dict.fromkeys(_ids(tool)) if i in paths]
        return {"type": "code_interpreter", **({"files": files} if files else {})}

    def migrate(self, v1: V1Tools) -> list[dict[str, Any]]:
        if "code_interpreter" not in v1.types:
            return []
        return [{"type": "code_interpreter", **({"files": list(v1.files)} if v1.files else {})}]
