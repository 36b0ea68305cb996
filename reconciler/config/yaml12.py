"""YAML 1.2's core schema on PyYAML's composer: which plain scalars are numbers, booleans, null.

PyYAML resolves by YAML 1.1 (`yes` and `on` are true, `010` is eight); manifests are YAML 1.2,
as they were when ruamel read them. The patterns below are ruamel.yaml's for version 1.2
(ruamel.yaml 0.19.1, `ruamel/yaml/resolver.py`, `implicit_resolvers`, the entries for (1, 2)),
and `scalar_value` converts as ruamel's SafeConstructor does at 1.2 (`construct_yaml_int`,
`_float`, `_bool`, `_null`); tests/config/test_yaml12.py holds the two side by side. Dates
(`!!timestamp`) stay the text written.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml, in PyYAML's wheels; the pure-Python parser reads the same YAML, slower
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only where PyYAML was built without libyaml
    from yaml.composer import Composer as _PyComposer
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser, _PyComposer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)
            _PyComposer.__init__(self)


CORE = "tag:yaml.org,2002:"
STR, MAP, SEQ = CORE + "str", CORE + "map", CORE + "seq"
MERGE, NULL, BOOL, INT, FLOAT = (CORE + k for k in ("merge", "null", "bool", "int", "float"))
VALUE = CORE + "value"
# (tag, pattern, first characters), in ruamel's order: the first that matches wins.
_RESOLVERS = (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        FLOAT,
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        INT,
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    (MERGE, r"^(?:<<)$", "<"),
    (NULL, r"^(?: ~ |null|Null|NULL | )$", "~nN"),
    (VALUE, r"^(?:=)$", "="),
)


def _by_first() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, first in _RESOLVERS:
        compiled = re.compile(pattern, re.X)
        for character in first:
            table.setdefault(character, []).append((tag, compiled))
    return table


_FIRST = _by_first()
_DEFAULT = {ScalarNode: STR, SequenceNode: SEQ, MappingNode: MAP}


class Composer(_Parser, BaseResolver):
    """libyaml's parser and composer, resolving plain scalars by YAML 1.2's core schema."""

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        BaseResolver.__init__(self)

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of an untagged node: a plain scalar's by the patterns, else the default.
        (The composer asks once per node: no path resolvers, nothing else to look at.)"""
        if kind is ScalarNode and implicit[0]:
            if not value:
                return NULL
            for tag, pattern in _FIRST.get(value[0], ()):
                if pattern.match(value):
                    return tag
        return _DEFAULT[kind]


_BOOLEANS = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False}
_BOOLEANS |= {"on": True, "off": False}


def scalar_value(node: ScalarNode) -> Any:
    """A scalar by its tag (an explicit `!!int` too); ValueError saying why it is none."""
    tag, text = node.tag, node.value
    try:
        if tag == STR or tag == CORE + "timestamp":
            return str(text)  # a date stays the text the user wrote
        if tag == INT:
            return _int(text)
        if tag == FLOAT:
            return _float(text)
        if tag == BOOL:
            return _BOOLEANS[text.lower()]
        if tag == NULL:
            return None
    except (ValueError, KeyError, IndexError):
        raise ValueError(f"'{text}' is not a valid !!{tag.removeprefix(CORE)}") from None
    if tag.startswith(CORE):
        raise ValueError(f"unsupported YAML type '!!{tag.removeprefix(CORE)}'")
    raise ValueError(f"unsupported YAML tag '{tag}': only plain YAML is allowed")


def _signed(text: str) -> tuple[int, str]:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    return sign, digits[1:] if digits[0] in "+-" else digits


def _int(text: str) -> int:
    sign, digits = _signed(text)
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    sign, digits = _signed(text.lower())
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    return sign * float(digits)
