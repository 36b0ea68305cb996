"""An environment's vars resolve as manifest strings do; circles and gaps are located errors."""

from __future__ import annotations

from reconciler.config.variables import resolve_variables


def test_values_use_other_vars_the_process_and_the_environments_name() -> None:
    written = {
        "region": "eu",
        "name": "${env.name}-${var.region}",
        "full": "${var.name}/${env:HOME_X}",
    }
    resolved, problems = resolve_variables(written, "dev", {"HOME_X": "h"})
    assert resolved == {"region": "eu", "name": "dev-eu", "full": "dev-eu/h"}
    assert problems == []


def test_a_circle_is_reported_once_at_the_variable_that_closes_it() -> None:
    resolved, problems = resolve_variables(
        {"a": "x${var.b}", "b": "${var.a}y", "c": "${var.c}"}, "dev", {}
    )
    assert problems == [
        (("a",), "variable 'a' refers to itself: ${var.a} -> ${var.b} -> ${var.a}"),
        (("c",), "variable 'c' refers to itself: ${var.c} -> ${var.c}"),
    ]
    assert resolved == {"a": "xy", "b": "y", "c": ""}


def test_unknown_vars_and_unset_process_variables_are_problems_of_their_variable() -> None:
    _, problems = resolve_variables({"a": "${var.nope}", "b": "${env:UNSET_X}"}, "dev", {})
    assert [path for path, _ in problems] == [("a",), ("b",)]
    assert "unknown variable 'nope'" in problems[0][1]
    assert "environment variable 'UNSET_X' is not set" in problems[1][1]
