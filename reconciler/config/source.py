"""YAML text -> plain data, remembering the line and column of every key and value.

libyaml composes the node graph, through PyYAML's C parser (`yaml.cyaml.CParser`): about three
times faster than ruamel's composer on the same libyaml, with the same marks and messages
(ruamel stays for writing YAML that keeps its comments: adoption/yaml_text.py). Scalars resolve
by YAML 1.2's core schema (yaml12.py): `yes`, `no`, `on` and `off` are strings. The values are
built here, in one pass, so that only plain YAML gets through: maps, lists, strings, numbers,
booleans and null, with anchors, aliases and merge keys; any other tag is an error at its
location. Given a scope, strings are interpolated as they are built (interpolate.py), their
problems kept with the paths of their values.
"""

from __future__ import annotations

from typing import Any

from yaml.error import MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.config.interpolate import Scope, interpolate
from reconciler.config.located import Document
from reconciler.config.yaml12 import CORE, MAP, MERGE, SEQ, STR, Composer, scalar_value
from reconciler.core.model import Path
from reconciler.diagnostics import Diagnostic, Location

# Aliases are expanded into plain data: cap the result so that a few hundred bytes of nested
# aliases (a "billion laughs") cannot take minutes or all the memory.
MAX_VALUES = 100_000
# Never interpolated: a manifest's kind is checked as written (config/manifest.py), and no kind
# holds a `${`, so interpolating it would change nothing.
LITERAL = ("kind",)


class _TooManyValues(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _Builder:
    def __init__(self, document: Document, scope: Scope | None) -> None:
        self.doc, self.scope = document, scope
        self.values, self.keys = document.values, document.keys
        self.problems: list[Diagnostic] = []
        self._active: set[int] = set()
        self._built = 0

    def build(self, node: Node, path: Path) -> Any:
        self._built += 1
        if self._built > MAX_VALUES:
            raise _TooManyValues(node)
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if type(node) is ScalarNode:
            plain = node.tag == STR and "$" not in node.value  # most values: no call for them
            return node.value if plain else self._scalar(node, path)
        if id(node) in self._active:
            return self._fail(node, "an alias refers to itself")
        self._active.add(id(node))
        try:
            if type(node) is MappingNode:
                if node.tag != MAP:
                    return self._fail(node, _tag_problem(node.tag, "map"))
                return self._mapping(node, path)
            if node.tag != SEQ:
                return self._fail(node, _tag_problem(node.tag, "seq"))
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pairs = node.value if not any(k.tag == MERGE for k, _ in node.value) else self._pairs(node)
        for key_node, value_node in pairs:
            plain = type(key_node) is ScalarNode and key_node.tag == STR  # most keys: no call
            key = key_node.value if plain else self._key(key_node)
            if key is None:
                continue
            if key in result:
                self._fail(key_node, f"duplicate key '{key}'")
            here = (*path, key)
            mark = key_node.start_mark
            self.keys[here] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, here)
        return result

    def _key(self, node: Node) -> str | None:
        """A mapping key: a string (never interpolated), else a problem."""
        if type(node) is ScalarNode and node.tag == STR:
            return str(node.value)
        key = self._value(node) if type(node) is ScalarNode else None
        if not isinstance(key, str):
            self._fail(node, "mapping keys must be strings")
            return None
        return key

    def _pairs(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """Merge keys (`<<: *base`) first, so the mapping's own keys override them."""
        merged: dict[str, tuple[Node, Node]] = {}
        own: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != MERGE:
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

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        value = node.value if node.tag == STR else self._value(node)
        if self.scope is None or not isinstance(value, str) or "$" not in value:
            return value
        if path == LITERAL:
            return value
        value, messages = interpolate(value, self.scope)
        self.doc.interpolation += [(path, message) for message in messages]
        return value

    def _value(self, node: ScalarNode) -> Any:
        try:
            return scalar_value(node)
        except ValueError as error:
            return self._fail(node, str(error))

    def _fail(self, node: Node, message: str | None) -> None:
        mark = node.start_mark
        where = Location(self.doc.file, mark.line + 1, mark.column + 1)
        self.problems.append(Diagnostic(where, message or "unsupported YAML value"))


def _tag_problem(tag: str, plain: str) -> str | None:
    """Why a mapping's or a list's tag is not plain YAML, if it is not."""
    if tag == CORE + plain:
        return None
    if tag.startswith(CORE):
        return f"unsupported YAML type '!!{tag.removeprefix(CORE)}'"
    return f"unsupported YAML tag '{tag}': only plain YAML is allowed"


def load_documents(
    file: str, text: str, scope: Scope | None = None
) -> tuple[list[Document], list[Diagnostic]]:
    """Every document of a YAML stream, or the problems that stop it from loading; with a
    scope, each string interpolated (its problems in `Document.interpolation`)."""
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    composer = Composer(text)
    try:
        while composer.check_node():
            node = composer.get_node()
            assert node is not None  # check_node said a document follows
            document = Document(file, scope=scope)
            builder = _Builder(document, scope)
            try:
                document.data = builder.build(node, ())
            except _TooManyValues as error:
                mark = error.node.start_mark
                message = f"aliases expand to more than {MAX_VALUES} values: refusing to load"
                problems.append(Diagnostic(Location(file, mark.line + 1, mark.column + 1), message))
                continue
            if not builder.problems:  # a document with a problem is reported, never used
                documents.append(document)
            problems += builder.problems
    except RecursionError:
        problems.append(Diagnostic(Location(file), "the YAML is nested too deeply to read"))
    except MarkedYAMLError as error:
        problems.append(_syntax_problem(file, error, text))
    finally:
        composer.dispose()
    return documents, problems


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
