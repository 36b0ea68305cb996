"""Pure: the deepest paths at which two values differ, for people to read.

The plan's own field changes (core/diff.py) say which attributes changed; this walks each one to
where it really changed: `tools[lookup_order].parameters.properties.order_number.type`, not the
whole `tools` list. List elements that all have names (values.py `element_names`) match by name,
so inserting a tool shows one added tool, not every tool after it changed; a change of their
order is one line of its own. Other lists match element by element.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from reconciler.core.rendering.values import Hints, element_names, inline, join, key_text, show

LeafOp = Literal["add", "remove", "change"]
MISSING: Any = object()  # a key one side lacks


@dataclass(frozen=True)
class Leaf:
    op: LeafOp
    path: str  # as shown: dotted keys, [name] or [index] for list elements
    old: Any = None
    new: Any = None
    hint: str = ""  # the path without indices, to name the elements of a nested value


def leaves(field: str, old: Any, new: Any, hints: Hints) -> list[Leaf]:
    """Where one attribute of the plan changed, deepest paths first by path."""
    return _walk(key_text(field), field, old, new, hints)


def _walk(path: str, hint: str, old: Any, new: Any, hints: Hints) -> list[Leaf]:
    if _same(old, new):
        return []
    if old is MISSING or new is MISSING:
        op: LeafOp = "add" if old is MISSING else "remove"
        return [Leaf(op, path, _none(old), _none(new), hint)]
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[Leaf] = []
        for key in sorted(old.keys() | new.keys()):
            step = f"{path}.{key_text(key)}" if key_text(key) == key else f"{path}[{key_text(key)}]"
            then, now = old.get(key, MISSING), new.get(key, MISSING)
            found += _walk(step, join(hint, key), then, now, hints)
        return found
    if isinstance(old, list) and isinstance(new, list) and not (inline(old) and inline(new)):
        return _lists(path, hint, old, new, hints)
    return [Leaf("change", path, old, new, hint)]


def _lists(path: str, hint: str, old: list[Any], new: list[Any], hints: Hints) -> list[Leaf]:
    then, now = element_names(hints, hint, old), element_names(hints, hint, new)
    if None not in then and None not in now:
        return _by_name(
            path, hint, dict(zip(then, old, strict=True)), dict(zip(now, new, strict=True)), hints
        )
    found: list[Leaf] = []
    keys = [show(v) for v in old], [show(v) for v in new]
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                found += _walk(f"{path}[{j}]", hint, old[i], new[j], hints)
            continue
        found += [Leaf("remove", f"{path}[{i}]", old[i], None, hint) for i in range(i1, i2)]
        found += [Leaf("add", f"{path}[{j}]", None, new[j], hint) for j in range(j1, j2)]
    return found


def _by_name(
    path: str, hint: str, old: dict[Any, Any], new: dict[Any, Any], hints: Hints
) -> list[Leaf]:
    found: list[Leaf] = []
    for name in [*old, *(n for n in new if n not in old)]:
        then, now = old.get(name, MISSING), new.get(name, MISSING)
        found += _walk(f"{path}[{name}]", hint, then, now, hints)
    kept = [n for n in old if n in new], [n for n in new if n in old]
    if kept[0] != kept[1]:
        found.append(Leaf("change", f"{path} (order)", kept[0], kept[1]))
    return found


def _same(old: Any, new: Any) -> bool:
    """Equal, and of the same types all the way down (1 and 1.0 differ, as in core/diff.py)."""
    if type(old) is not type(new) or old != new:
        return False
    if isinstance(old, dict):
        return all(_same(value, new[key]) for key, value in old.items())
    if isinstance(old, list):
        return all(_same(a, b) for a, b in zip(old, new, strict=True))
    return True


def _none(value: Any) -> Any:
    return None if value is MISSING else value
