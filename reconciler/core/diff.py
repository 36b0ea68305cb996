"""Pure: the field changes between two essences, sorted, as the plan shows them.

Each kind normalises both sides the same way before comparing (server-owned fields dropped,
defaults filled), so a plan never shows a difference the API would not keep.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.plan_types import FieldChange, Op

WHOLE_FIELDS = ("tools", "files")  # lists compare as one value: order and content both matter

_MISSING: Any = object()
# DeepDiff's threshold_to_diff_deeper: mappings sharing fewer keys than this change as a whole.
DIFF_DEEPER = 0.33


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Sorted changes from before to after. (Ignored fields are the kinds' business: they carry
    the live values into `after`, so they never differ here.)

    A plain comparison settles most fields (equal, a scalar, a whole list, a flat mapping such
    as metadata) in microseconds; DeepDiff walks only nested values that differ.
    """
    left, right = before, after
    if left == right:  # the common case (and 1 == 1.0 here, as before DeepDiff ran)
        return []
    changes: list[FieldChange] = []
    for field in sorted(left.keys() | right.keys()):
        old, new = left.get(field, _MISSING), right.get(field, _MISSING)
        if _identical(old, new):
            continue
        nested = isinstance(old, dict | list) and field not in WHOLE_FIELDS
        if not nested or type(old) is not type(new):
            changes.append(FieldChange(op="change", path=field, old=_none(old), new=_none(new)))
        elif isinstance(old, dict) and _flat(old) and _flat(new):
            found = _flat_changes(field, old, new)
            whole = FieldChange(op="change", path=field, old=old, new=new)
            changes += [whole] if found is None else found
        else:  # nested values differ, or are equal but for a type DeepDiff tells apart
            changes += _deep_changes({field: old}, {field: new})
    return sorted(changes, key=lambda change: change.path)


def _identical(old: Any, new: Any) -> bool:
    """Equal as DeepDiff judges: types differ (1 vs 1.0) in values and mapping values, but
    list items compare by hash, where 1 and 1.0 are the same."""
    if type(old) is not type(new) or old != new:
        return False
    if isinstance(old, dict):
        return all(_identical(value, new[key]) for key, value in old.items())
    return True


def _flat(value: Any) -> bool:
    return all(not isinstance(item, dict | list | tuple) for item in value.values())


def _flat_changes(field: str, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange] | None:
    """Key by key, as DeepDiff reports a mapping of scalars; None when it reports the whole."""
    keys = old.keys() | new.keys()
    if len(keys) > 1 and len(old.keys() & new.keys()) / len(keys) < DIFF_DEEPER:
        return None
    changes = []
    for key in keys:
        then, now = old.get(key, _MISSING), new.get(key, _MISSING)
        if _identical(then, now):
            continue
        op = _op(then, now)
        changes.append(FieldChange(op=op, path=f"{field}.{key}", old=_none(then), new=_none(now)))
    return changes


def _deep_changes(left: dict[str, Any], right: dict[str, Any]) -> list[FieldChange]:
    # Imported here: DeepDiff (and numpy, which it imports when installed) costs some 20-35 MB
    # of memory and 0.2 s of start-up that a plan without nested changes never needs.
    from deepdiff import DeepDiff  # noqa: PLC0415

    changes: dict[str, FieldChange] = {}
    for items in DeepDiff(left, right, view="tree").values():
        for item in items:
            path = item.path(output_format="list")
            if len(path) == 1:
                field = str(path[0])
                changes[field] = FieldChange(
                    op="change", path=field, old=left.get(field), new=right.get(field)
                )
            else:
                changes[_dotted(path)] = _leaf(path, left, right)
    return list(changes.values())


def _op(old: Any, new: Any) -> Op:
    return "add" if old is _MISSING else "remove" if new is _MISSING else "change"


def _none(value: Any) -> Any:
    return None if value is _MISSING else value


def _leaf(path: list[Any], left: dict[str, Any], right: dict[str, Any]) -> FieldChange:
    old, new = _get(left, path), _get(right, path)
    return FieldChange(
        op=_op(old, new),
        path=_dotted(path),
        old=None if old is _MISSING else old,
        new=None if new is _MISSING else new,
    )


def _get(data: Any, path: list[Any]) -> Any:
    """The value at a DeepDiff path, through mappings and lists (tools.0.max_num_results)."""
    for part in path:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and -len(data) <= part < len(data)
        ):
            data = data[part]
        else:
            return _MISSING
    return data


def _dotted(path: list[Any]) -> str:
    return ".".join(str(part) for part in path)
