"""YAML loading: plain data, positions of every key and value, anchors, and nothing exotic."""

from __future__ import annotations

import pytest

from reconciler.config.source import load_documents
from reconciler.core.model import KEY
from reconciler.diagnostics import Location


def load_one(text: str) -> tuple[object, list[str]]:
    documents, problems = load_documents("f.yaml", text)
    return (documents[0].data if documents else None), [str(p) for p in problems]


def test_positions_of_values_and_keys_are_one_based() -> None:
    documents, _ = load_documents(
        "f.yaml", "kind: Assistant\ntools:\n  - type: function\n    function: {name: f}\n"
    )
    document = documents[0]
    assert document.locate(("tools", 0, "function", "name")) == Location("f.yaml", 4, 22)
    assert document.locate(("tools", 0, "type"), key=True) == Location("f.yaml", 3, 5)
    assert document.locate(("tools", 0, "type", KEY)) == Location("f.yaml", 3, 5)
    assert document.locate(("tools", 0, "missing", "deeper")) == Location("f.yaml", 3, 5)


def test_several_documents_per_file_each_with_their_own_lines() -> None:
    documents, problems = load_documents("f.yaml", "a: 1\n---\nb: 2\n---\n")
    assert problems == []
    assert [d.data for d in documents] == [{"a": 1}, {"b": 2}, None]
    assert documents[1].locate(("b",)) == Location("f.yaml", 3, 4)


def test_anchors_aliases_and_merge_keys_work() -> None:
    text = (
        "base: &b {model: m, tools: [x]}\nbot:\n  <<: *b\n  model: own\nlist: &l [1, 2]\ncopy: *l\n"
    )
    data, problems = load_one(text)
    assert problems == []
    assert data == {
        "base": {"model": "m", "tools": ["x"]},
        "bot": {"model": "own", "tools": ["x"]},
        "list": [1, 2],
        "copy": [1, 2],
    }


def test_merge_of_a_list_of_mappings_prefers_the_first() -> None:
    data, _ = load_one("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n")
    assert data == {"a": {"x": 1}, "b": {"x": 2, "y": 2}, "c": {"x": 1, "y": 2}}


def test_scalars_follow_yaml_1_2() -> None:
    data, _ = load_one("a: yes\nb: true\nc: 0x10\nd: 1.5\ne: ~\nf: 2024-02-15\ng: '7'\n")
    assert data == {
        "a": "yes",
        "b": True,
        "c": 16,
        "d": 1.5,
        "e": None,
        "f": "2024-02-15",
        "g": "7",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: !Ref x\n", "f.yaml:1:4: unsupported YAML tag '!Ref': only plain YAML is allowed"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: unsupported YAML type '!!python/object:os.system'",
        ),
        ("a: !!binary aGk=\n", "f.yaml:1:4: unsupported YAML type '!!binary'"),
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a'"),
        ("? [1]\n: 2\n", "f.yaml:1:3: mapping keys must be strings"),
        ("1: x\n", "f.yaml:1:1: mapping keys must be strings"),
        ("a: &x [*x]\n", "f.yaml:1:4: an alias refers to itself"),
        ("a: [1,\n", "f.yaml:2:1: invalid YAML: did not find expected node content"),
        ("a: *nowhere\n", "f.yaml:1:4: invalid YAML: found undefined alias"),
        ("<<: 3\n", "f.yaml:1:5: a merge key (<<) takes a mapping or a list of mappings"),
    ],
)
def test_problems_name_their_place(text: str, problem: str) -> None:
    _, problems = load_one(text)
    assert problems, text
    assert problems[0].startswith(problem)


def test_an_alias_bomb_is_refused_instead_of_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    documents, problems = load_documents("bomb.yaml", "\n".join(lines) + "\n")
    assert documents == []
    assert [p.message for p in problems] == [
        "aliases expand to more than 100000 values: refusing to load"
    ]


@pytest.mark.parametrize("text", ["a: !Custom {b: 1}\n", "a: !!set {b}\n", "a: !!omap [{b: 1}]\n"])
def test_tags_on_mappings_and_lists_are_refused_too(text: str) -> None:
    _, problems = load_one(text)
    assert problems
    assert "unsupported YAML" in problems[0]
