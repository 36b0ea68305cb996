"""Manifests are YAML 1.2, read by libyaml through PyYAML (config/yaml12.py): every plain scalar
means what ruamel.yaml's YAML 1.2 loader makes of it, which read manifests before and stays for
writing them (adoption/yaml_text.py). ruamel is the oracle here, side by side."""

from __future__ import annotations

import math
from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.config.source import load_documents

SCALARS = [
    # booleans: YAML 1.2 knows true and false only
    *("true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No"),
    *("NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n"),
    # null
    *("~", "null", "Null", "NULL", "nil", "None", ""),
    # integers: decimal, octal (0o and a leading 0), hexadecimal, binary, underscores, signs
    *("0", "-0", "+0", "7", "-7", "+7", "010", "0o17", "-0o17", "0x1F", "0X1F", "0b101"),
    *("-0b101", "1_000", "012_3", "0xff_ff"),
    *("1:30", "1:30:00", "190:20:30"),  # sexagesimal: numbers in 1.1 only
    # floats
    *("1.5", "-1.5", "+1.5", "1.", ".5", "-.5", "1e3", "1E3", "1.5e-3", "6.8523015e+5"),
    *("1_000.5", ".inf", "-.inf", "+.inf", ".Inf", ".NAN", ".nan", ".NaN"),
    # strings that look like something else
    *("1.2.3", "1e", "0x", "0b", "0o", "1__0", "2024-02-15", "2001-12-14t21:59:43.10-05:00"),
    *("12:30", "0.1.2", "+.5e3", "-_1", "v1", "1a"),
]


def ruamel_value(text: str) -> Any:
    yaml = YAML(typ="safe")
    return yaml.load(f"a: {text}\n")["a"]


def ours(text: str) -> Any:
    documents, problems = load_documents("f.yaml", f"a: {text}\n")
    assert problems == [], problems
    return documents[0].data["a"]


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return type(left) is type(right) and left == right


@pytest.mark.parametrize("text", SCALARS)
def test_a_plain_scalar_means_what_ruamel_s_yaml_1_2_says(text: str) -> None:
    theirs = ruamel_value(text)
    theirs = str(theirs) if not isinstance(theirs, str | int | float | bool | None) else theirs
    if text in {"2001-12-14t21:59:43.10-05:00", "2024-02-15"}:
        theirs = text  # ruamel makes a date; manifests keep the text written (as before)
    assert same(ours(text), theirs), (text, ours(text), theirs)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("!!int '0x10'", 16),
        ("!!float '1'", 1.0),
        ("!!bool yes", True),
        ("!!str 12", "12"),
        ("!!null ''", None),
        ("'yes'", "yes"),
        ('"1.5"', "1.5"),
        ("! 12", 12),  # libyaml resolves the non-specific tag as untagged, as ruamel did
    ],
)
def test_explicit_tags_and_quotes(text: str, value: Any) -> None:
    assert same(ours(text), value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("!!int abc", "f.yaml:1:4: 'abc' is not a valid !!int"),
        ("!!bool maybe", "f.yaml:1:4: 'maybe' is not a valid !!bool"),
        ("=", "f.yaml:1:4: unsupported YAML type '!!value'"),
    ],
)
def test_a_scalar_that_is_not_what_its_tag_says_is_a_problem_at_its_place(
    text: str, problem: str
) -> None:
    _, problems = load_documents("f.yaml", f"a: {text}\n")
    assert [str(p) for p in problems] == [problem]
