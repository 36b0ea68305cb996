"""field_changes: plain comparisons where they settle a field, DeepDiff for nested values."""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.plan_types import FieldChange

BASE: dict[str, Any] = {
    "name": "Bot",
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "files": ["a.md"],
    "metadata": {"team": "a", "tier": "dev", "owner": "x"},
}


def test_equal_essences_have_no_changes() -> None:
    assert field_changes(BASE, dict(BASE)) == []


def test_scalars_and_whole_lists_change_as_one_value() -> None:
    after = {**BASE, "name": "Bot 2", "tools": [], "files": ["b.md"]}
    assert field_changes(BASE, after) == [
        FieldChange(op="change", path="files", old=["a.md"], new=["b.md"]),
        FieldChange(op="change", path="name", old="Bot", new="Bot 2"),
        FieldChange(op="change", path="tools", old=BASE["tools"], new=[]),
    ]


def test_metadata_changes_key_by_key() -> None:
    after = {**BASE, "metadata": {"team": "b", "tier": "dev", "region": "eu"}}
    assert field_changes(BASE, after) == [
        FieldChange(op="remove", path="metadata.owner", old="x", new=None),
        FieldChange(op="add", path="metadata.region", old=None, new="eu"),
        FieldChange(op="change", path="metadata.team", old="a", new="b"),
    ]


def test_a_mapping_sharing_few_keys_changes_whole() -> None:
    after = {**BASE, "metadata": {"other": "1", "more": "2"}}
    assert field_changes(BASE, after) == [
        FieldChange(op="change", path="metadata", old=BASE["metadata"], new=after["metadata"])
    ]


def test_nested_mappings_are_walked() -> None:
    before = {**BASE, "metadata": {"a": {"b": "1", "c": "2"}}}
    after = {**BASE, "metadata": {"a": {"b": "1", "c": "3"}}}
    assert field_changes(before, after) == [
        FieldChange(op="change", path="metadata.a.c", old="2", new="3")
    ]


def test_a_change_below_a_list_shows_its_old_and_new_value() -> None:
    before = {**BASE, "tools": [{"type": "file_search", "max_num_results": 5}]}
    after = {**BASE, "tools": [{"type": "file_search", "max_num_results": 10}]}
    nested = {"definition": before}, {"definition": after}
    assert field_changes(*nested) == [
        FieldChange(op="change", path="definition.tools.0.max_num_results", old=5, new=10)
    ]


def test_a_field_on_one_side_only_is_a_change() -> None:
    after = {k: v for k, v in BASE.items() if k != "instructions"}
    assert field_changes(BASE, after) == [
        FieldChange(op="change", path="instructions", old="Be brief.", new=None)
    ]
