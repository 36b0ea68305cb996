"""Interpolation: the three expressions, the escape, and a clear message for anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.config.interpolate import Scope, interpolate, interpolate_tree

SCOPE = Scope("dev", {"model": "gpt-4", "region": "westeurope"}, {"HOME": "/home/ci"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${var.model}", "gpt-4"),
        ("${var.model}-${var.region}", "gpt-4-westeurope"),
        ("${ var.model }", "gpt-4"),
        ("${env:HOME}/x", "/home/ci/x"),
        ("bot (${env.name})", "bot (dev)"),
        ("$${var.model}", "${var.model}"),
        ("$$${var.model}", "$${var.model}"),  # the leftmost `$${` is the escape
        ("costs $5 {not an expression}", "costs $5 {not an expression}"),
    ],
)
def test_expressions_resolve(text: str, expected: str) -> None:
    assert interpolate(text, SCOPE) == (expected, [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "${var.nope}",
            "unknown variable 'nope' in ${var.nope}: environment 'dev' defines model, region",
        ),
        ("${env:NOPE}", "environment variable 'NOPE' is not set (used as ${env:NOPE})"),
        (
            "${env.region}",
            "unknown expression ${env.region}: use ${var.NAME}, ${env:NAME} or ${env.name}",
        ),
        ("${}", "unknown expression ${}: use ${var.NAME}, ${env:NAME} or ${env.name}"),
        (
            "a ${var.model",
            "unterminated '${' in 'a ${var.model': close it with '}', or write '$${' for a literal '${'",
        ),
    ],
)
def test_problems_say_what_to_do(text: str, problem: str) -> None:
    assert interpolate(text, SCOPE)[1] == [problem]


def test_trees_report_the_path_of_each_problem() -> None:
    data = {
        "model": "${var.model}",
        "tools": [{"function": {"name": "${var.x}"}}],
        "n": 3,
        "ok": True,
    }
    value, problems = interpolate_tree(data, SCOPE)
    assert value == {"model": "gpt-4", "tools": [{"function": {"name": ""}}], "n": 3, "ok": True}
    assert [path for path, _ in problems] == [("tools", 0, "function", "name")]


@given(st.text(alphabet=st.characters(blacklist_characters="$"), max_size=40))
def test_text_without_dollars_is_untouched(text: str) -> None:
    assert interpolate(text, SCOPE) == (text, [])


@given(st.text(alphabet="${}ab.:", max_size=30))
def test_escaping_every_expression_gives_the_text_back(text: str) -> None:
    assert interpolate(text.replace("${", "$${"), SCOPE) == (text, [])
