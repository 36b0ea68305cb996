"""YAML text -> plain data, remembering the line and column of every key and value.

ruamel.yaml composes the node graph (with the C parser when installed); the values are built
here so that only plain YAML gets through: maps, lists, strings, numbers, booleans and null,
with anchors, aliases and merge keys. Any other tag is an error at its location.
"""

from __future__ import annotations

import threading
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.main import CParser  # type: ignore[attr-defined]
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from reconciler.config.located import Document
from reconciler.core.model import Path
from reconciler.diagnostics import Diagnostic, Location

_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
# Aliases are expanded into plain data: cap the result so that a few hundred bytes of nested
# aliases (a "billion laughs") cannot take minutes or all the memory.
MAX_VALUES = 100_000


class _Yaml12Resolver(VersionedResolver):
    """ruamel's resolver, told once that the version is YAML 1.2.

    With the C parser ruamel never learns a document's %YAML directive, so every scalar resolves
    as 1.2 anyway; ruamel finds that out per scalar by catching two AttributeErrors, which was
    a sixth of loading a project.
    """

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        known = self._version_implicit_resolver.get((1, 2))
        return super().versioned_resolver if known is None else known


_loaders = threading.local()  # a YAML object is not safe to share between threads


def _loader() -> YAML:
    """One YAML loader per thread for every file: building one costs more than a small file."""
    yaml: YAML | None = getattr(_loaders, "yaml", None)
    if yaml is None:
        yaml = YAML(typ="safe")
        if yaml.Parser is CParser and CParser is not None:
            yaml.Resolver = _Yaml12Resolver
        _loaders.yaml = yaml
    return yaml


class _TooManyValues(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _Builder:
    def __init__(self, yaml: YAML, document: Document) -> None:
        self.constructor = yaml.constructor
        self.doc = document
        self.problems: list[Diagnostic] = []
        self._active: set[int] = set()
        self._built = 0

    def build(self, node: Node, path: Path) -> Any:
        self._built += 1
        if self._built > MAX_VALUES:
            raise _TooManyValues(node)
        self.doc.values[path] = _position(node)
        if id(node) in self._active:
            return self._fail(node, "an alias refers to itself")
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode | SequenceNode) and (
                problem := _tag_problem(node, "map" if isinstance(node, MappingNode) else "seq")
            ):
                return self._fail(node, problem)
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            return self._scalar(node)
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in self._pairs(node):
            key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self._fail(key_node, "mapping keys must be strings")
                continue
            if key in result:
                self._fail(key_node, f"duplicate key '{key}'")
            self.doc.keys[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _pairs(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """Merge keys (`<<: *base`) first, so the mapping's own keys override them."""
        merged: dict[str, tuple[Node, Node]] = {}
        own: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self._fail(source, "a merge key (<<) takes a mapping or a list of mappings")
                    continue
                for pair in self._pairs(source):
                    merged.setdefault(str(pair[0].value), pair)
        names = {str(k.value) for k, _ in own}
        return [pair for name, pair in merged.items() if name not in names] + own

    def _scalar(self, node: Node) -> Any:
        kind = str(node.tag).removeprefix(_CORE)
        if kind in ("int", "float", "bool", "null"):
            return self.constructor.construct_object(node, deep=True)
        if kind in ("str", "timestamp"):
            return str(node.value)  # a date stays the text the user wrote
        return self._fail(node, _tag_problem(node, "str") or "unsupported YAML value")

    def _fail(self, node: Node, message: str) -> None:
        self.problems.append(Diagnostic(Location(self.doc.file, *_position(node)), message))


def _tag_problem(node: Node, plain: str) -> str | None:
    """Why the node's tag is not plain YAML, if it is not."""
    tag = str(node.tag)
    if tag == _CORE + plain:
        return None
    if tag.startswith(_CORE):
        return f"unsupported YAML type '!!{tag.removeprefix(_CORE)}'"
    return f"unsupported YAML tag '{tag}': only plain YAML is allowed"


def _position(node: Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def load_documents(file: str, text: str) -> tuple[list[Document], list[Diagnostic]]:
    """Every document of a YAML stream, or the problems that stop it from loading."""
    yaml = _loader()
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    try:
        for node in yaml.compose_all(text):
            document = Document(file)
            builder = _Builder(yaml, document)
            try:
                document.data = builder.build(node, ())
            except _TooManyValues as error:
                message = f"aliases expand to more than {MAX_VALUES} values: refusing to load"
                problems.append(Diagnostic(Location(file, *_position(error.node)), message))
                continue
            if not builder.problems:  # a document with a problem is reported, never used
                documents.append(document)
            problems += builder.problems
    except RecursionError:
        problems.append(Diagnostic(Location(file), "the YAML is nested too deeply to read"))
    except MarkedYAMLError as error:
        problems.append(_syntax_problem(file, error, text))
    finally:
        _forget(yaml)
    return documents, problems


def _forget(yaml: YAML) -> None:
    """Drop what the shared loader keeps of the last file, so memory does not grow per file."""
    yaml.doc_infos.clear()
    yaml.constructor.constructed_objects.clear()
    yaml.constructor.recursive_objects.clear()


def _syntax_problem(file: str, error: MarkedYAMLError, text: str) -> Diagnostic:
    """Where the parser gave up, and where the construct it was reading began."""
    mark = error.problem_mark or error.context_mark
    where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    if mark and _tab_at(text, mark.line, mark.column):
        # The parser says "character that cannot start any token": the tab is the news.
        return Diagnostic(
            where, "invalid YAML: tabs indent this line; YAML indents with spaces only"
        )
    message = f"invalid YAML: {error.problem or error.context}"
    start = error.context_mark
    began = (start.line + 1, start.column + 1) if start else None
    if error.problem and error.context and began and began != (where.line, where.column):
        message += f" ({error.context} that starts at {began[0]}:{began[1]})"
    return Diagnostic(where, message)


def _tab_at(text: str, line: int, column: int) -> bool:
    lines = text.splitlines()
    return line < len(lines) and lines[line][column : column + 1] == "\t"
