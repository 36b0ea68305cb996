"""The pieces of a plan's rendering: deepest changed paths, elements by name, folds and wraps."""

from __future__ import annotations

import pytest

from reconciler.core.rendering.changes import MISSING, Leaf, leaves
from reconciler.core.rendering.values import rows
from reconciler.core.rendering.width import MARKER, MINIMUM_WIDTH, fold, wrap

TOOLS = {"definition.tools": ("name", "type")}


def tool(name: str, kind: str = "string") -> dict[str, object]:
    properties = {"order_number": {"type": kind}}
    return {"type": "function", "name": name, "parameters": {"properties": properties}}


def test_a_change_deep_in_a_named_tool_is_shown_at_its_path() -> None:
    old = {"tools": [{"type": "code_interpreter"}, tool("lookup_order")]}
    new = {"tools": [{"type": "code_interpreter"}, tool("lookup_order", "integer")]}
    assert leaves("definition", old, new, TOOLS) == [
        Leaf(
            "change",
            "definition.tools[lookup_order].parameters.properties.order_number.type",
            "string",
            "integer",
            "definition.tools.parameters.properties.order_number.type",
        )
    ]


def test_a_tool_inserted_first_is_one_addition_not_every_tool_changed() -> None:
    old = {"tools": [tool("a"), tool("b")]}
    new = {"tools": [{"type": "web_search"}, tool("a"), tool("b")]}
    found = leaves("definition", old, new, TOOLS)  # a and b keep their order: no order change
    assert [(f.op, f.path) for f in found] == [("add", "definition.tools[web_search]")]


def test_reordered_tools_are_one_change_of_order() -> None:
    found = leaves(
        "definition", {"tools": [tool("a"), tool("b")]}, {"tools": [tool("b"), tool("a")]}, TOOLS
    )
    assert found == [Leaf("change", "definition.tools (order)", ["a", "b"], ["b", "a"])]


def test_repeated_names_fall_back_to_indices() -> None:
    old = [{"type": "x", "v": 1}, {"type": "x", "v": 2}]
    new = [{"type": "x", "v": 1}, {"type": "x", "v": 3}]
    assert [f.path for f in leaves("tools", old, new, {"tools": ("type",)})] == ["tools[1].v"]


def test_keys_with_dots_are_quoted_and_missing_keys_are_additions() -> None:
    old = {"team": "a"}
    new = {"team": "a", "reconciler.owner": "p/dev"}
    assert leaves("metadata", old, new, {}) == [
        Leaf("add", 'metadata["reconciler.owner"]', None, "p/dev", "metadata.reconciler.owner")
    ]
    assert leaves("model", MISSING, "gpt-4", {}) == [Leaf("add", "model", None, "gpt-4", "model")]


def test_a_long_list_of_scalars_changes_element_by_element() -> None:
    old = [f"file-{n:02}.sha256-000000000000.md" for n in range(4)]
    new = [*old[:2], "file-new.sha256-111111111111.md", old[3]]
    assert [(f.op, f.path) for f in leaves("files", old, new, {})] == [("change", "files[2]")]


def test_nested_values_are_one_attribute_per_line_with_named_elements() -> None:
    value = {"tools": [{"type": "code_interpreter"}, tool("lookup_order")], "text": "a\nb\n"}
    assert rows("definition", value, 0, TOOLS, "definition") == [
        (0, "definition:"),
        (1, "text: <<-EOT"),
        (2, "a"),
        (2, "b"),
        (1, "EOT"),
        (1, "tools:"),
        (2, "[0] code_interpreter:"),
        (3, 'type: "code_interpreter"'),
        (2, "[1] lookup_order:"),
        (3, 'name: "lookup_order"'),
        (3, "parameters:"),
        (4, "properties:"),
        (5, "order_number:"),
        (6, 'type: "string"'),
        (3, 'type: "function"'),
    ]


@pytest.mark.parametrize("width", [MINIMUM_WIDTH, 60, 100])
def test_a_fold_keeps_every_character_and_marks_each_cut(width: int) -> None:
    text = "x" * 250 + " tail"
    lines = fold("      ", text, width)
    assert all(len(line) <= width for line in lines)
    assert all(line.endswith(MARKER) for line in lines[:-1])
    pieces = [lines[0][6:], *(line[8:] for line in lines[1:])]  # under the lead, then 2 more
    assert "".join(piece.removesuffix(MARKER) for piece in pieces) == text


def test_a_narrower_width_than_the_minimum_gets_the_minimum() -> None:
    assert all(len(line) <= MINIMUM_WIDTH for line in fold("", "y" * 100, 10))


def test_prose_wraps_at_spaces_and_cuts_only_a_word_longer_than_a_line() -> None:
    note = "connection.bing is /subscriptions/" + "0" * 80 + "/bing in environment 'dev'."
    lines = wrap("Note: ", note, 60, "      ")
    assert all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("Note: connection.bing is /subscriptions/")
    assert lines[-1].endswith("in environment 'dev'.")
    assert wrap("  # ", "short", 60) == ["  # short"]
