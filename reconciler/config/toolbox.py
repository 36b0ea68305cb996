"""A `kind: Toolbox` document (interpolated) -> a DesiredToolbox, or every problem at its place.

Each tool goes through its type's own checks and resolution (core/tools/), as an agent's do,
with the toolbox's rules beside them: files are an agent's (a toolbox's tools read none), and
a toolbox tells its tools apart by `name` (an MCP server by `server_label`), so at most one
tool may go without one and no two may share one (the service answers "Multiple tools without
identifiers found" otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reconciler.config import limits
from reconciler.config.claims import claimed_twice
from reconciler.config.document import check_document
from reconciler.config.loader import Request
from reconciler.config.located import Document
from reconciler.config.tool_reads import ToolReads
from reconciler.config.toolbox_doc import ToolboxDoc, toolbox_doc
from reconciler.core.kinds.toolbox import DESIRED, DesiredToolbox, ToolboxTool
from reconciler.core.model import Environment
from reconciler.core.model import Path as At
from reconciler.core.state import DesiredState
from reconciler.core.tools.registry import TOOL_TYPES
from reconciler.core.tools.toolbox import NAME_RULE, TOOLBOX_NAME
from reconciler.diagnostics import Diagnostic

TOOLBOX_FIELDS = frozenset({"name", "description"})


class ToolboxLoader:
    """The loader of the Foundry toolbox manifest kind."""

    kind = "Toolbox"

    @property
    def document(self) -> type[ToolboxDoc]:
        return toolbox_doc()

    def resolve(self, request: Request) -> tuple[DesiredToolbox | None, list[Diagnostic]]:
        source = request.source
        doc, problems = check_document(toolbox_doc(), source)
        if doc is None:
            return None, problems
        if not re.match(TOOLBOX_NAME, doc.name):
            message = f"{doc.name!r} is not a toolbox name: {NAME_RULE}"
            problems.append(Diagnostic(source.locate(("name",)), message))
        for at, message in limits.check_metadata(dict(doc.metadata)):
            problems.append(Diagnostic(source.locate(at), message))
        reader = _Tools(source, (request.directory, request.catalog))
        tools = reader.read(doc)
        problems += reader.problems
        import_id = doc.import_id
        env = request.environment.name
        adopted = import_id.get(env) if isinstance(import_id, dict) else import_id
        if adopted is not None and adopted != doc.name:
            at = ("import_id", env) if isinstance(import_id, dict) else ("import_id",)
            message = f"import_id names toolbox {adopted!r}, but this manifest is {doc.name!r}"
            problems.append(Diagnostic(source.locate(at), f"{message}: set name: {adopted}"))
        rai = doc.rai_config.model_dump(exclude_none=True) if doc.rai_config else None
        desired = DesiredToolbox(
            name=doc.name,
            description=doc.description,
            tools=tools,
            skills=tuple(
                {"type": "skill_reference", **s.model_dump(exclude_none=True)} for s in doc.skills
            ),
            rai_config=rai,
            metadata=dict(doc.metadata),
            prevent_destroy=doc.lifecycle.prevent_destroy,
            import_id=adopted,
            location=source.locate(("name",)),
        )
        return desired, problems

    def duplicates(self, objects: list[Any]) -> list[Diagnostic]:
        return claimed_twice(objects, lambda t: [t.name], "toolbox {!r} is declared twice")

    def clashes(self, states: list[DesiredState]) -> list[Diagnostic]:
        """Toolboxes two environments on one project would both claim (names are unique)."""
        first: dict[tuple[str, str], str] = {}
        problems = []
        for state in states:
            environment = state.environment
            for toolbox in state.of(DESIRED):
                key = (environment.endpoint, toolbox.name)
                if first.setdefault(key, environment.name) != environment.name:
                    message = (
                        f"toolbox {toolbox.name!r} is declared by environments {first[key]!r} "
                        f"and {environment.name!r}, which share the endpoint "
                        f"{environment.endpoint}: give each its own (name: ...-${{env.name}})"
                    )
                    problems.append(Diagnostic(toolbox.location, message))
        return problems

    def wrong_api(self, environment: Environment) -> str:
        return (
            f"kind: {self.kind} is a Foundry toolbox, and environment {environment.name!r} has "
            f"api: {environment.api}: set api: foundry on it (and a Foundry project endpoint)"
        )


class _Tools:
    """Each tool of a toolbox through its type, its problems at their places."""

    def __init__(self, source: Document, where: tuple[Path, Any]) -> None:
        self.source, self.where = source, where
        self.problems: list[Diagnostic] = []

    def read(self, doc: ToolboxDoc) -> tuple[ToolboxTool, ...]:
        seen: set[str] = set()
        tools = [self.tool(index, tool, seen) for index, tool in enumerate(doc.tools)]
        self.identifiers(doc.tools)
        return tuple(tools)

    def tool(self, index: int, tool: Any, seen: set[str]) -> ToolboxTool:
        kind = TOOL_TYPES[tool.type]
        plain = kind.doc.model_construct(
            **{k: getattr(tool, k) for k in kind.doc.model_fields if k not in TOOLBOX_FIELDS}
        )
        for at, message in kind.check(plain, limits, seen):
            self.problem(("tools", index, *at), message)
        reads = ToolReads(self.no_files(index), self.source, self.where, ("tools", index))
        reads.problems = self.problems
        return ToolboxTool(kind.desired(plain, reads), tool.name, tool.description)

    def no_files(self, index: int) -> Any:
        def files(entries: Sequence[str], at: At, limit: int, reads: frozenset[str]) -> tuple[()]:
            if entries:
                message = (
                    "a toolbox's tools read no files: declare files on an agent's tools "
                    "(code_interpreter or file_search), which uploads them"
                )
                self.problem(("tools", index, *at), message)
            return ()

        return files

    def identifiers(self, tools: list[Any]) -> None:
        first: dict[str, int] = {}
        unnamed: int | None = None
        for index, tool in enumerate(tools):
            label = tool.name or getattr(tool, "server_label", None)
            if label is None and unnamed is not None:
                message = (
                    f"a toolbox tells its tools apart by name, and tools[{unnamed}] has none "
                    "already: give this one a name"
                )
                self.problem(("tools", index), message)
            elif label is None:
                unnamed = index
            elif label in first:
                message = f"tools[{first[label]}] is named {label!r} already"
                self.problem(("tools", index, "name"), message)
            else:
                first[label] = index

    def problem(self, at: At, message: str) -> None:
        self.problems.append(Diagnostic(self.source.locate(at), message))
