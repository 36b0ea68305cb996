"""`${var.NAME}`, `${env:NAME}` and `${env.name}` in manifest strings; `$${` is a literal `${`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.core.model import Path

_TOKEN = re.compile(r"\$\$\{|\$\{([^{}]*)\}")


@dataclass(frozen=True)
class Scope:
    """What names resolve to in one environment."""

    environment: str
    variables: Mapping[str, str]
    process: Mapping[str, str]  # the process environment, for ${env:NAME}


def interpolate(text: str, scope: Scope) -> tuple[str, list[str]]:
    """The text with every expression replaced, and a message for each that cannot be."""
    problems: list[str] = []
    tokens = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal tokens
        tokens += 1
        if match.group(0) == "$${":
            return "${"
        value, problem = _lookup(match.group(1).strip(), scope)
        if problem:
            problems.append(problem + _line_hint(text, match.start()))
        return value

    result = _TOKEN.sub(replace, text)
    # A stray "${" lies between the tokens, never across one ("$" + "$${" is no "${"): each
    # token holds one "${", so any more of them are stray (counted, not split out again).
    if text.count("${") > tokens:
        problems.append(
            f"unterminated '${{' in {text!r}: close it with '}}', or write '$${{' for a literal '${{'"
        )
    return result, problems


def _line_hint(text: str, offset: int) -> str:
    """In text of several lines (a YAML block), which line holds the expression at offset."""
    if "\n" not in text.rstrip("\n"):
        return ""
    line = text.count("\n", 0, offset) + 1
    return f" (line {line} of the text)"


def _lookup(expression: str, scope: Scope) -> tuple[str, str | None]:
    if expression.startswith("var."):
        name = expression.removeprefix("var.")
        if name in scope.variables:
            return scope.variables[name], None
        known = ", ".join(sorted(scope.variables)) or "none"
        return (
            "",
            f"unknown variable '{name}' in ${{{expression}}}: environment '{scope.environment}' defines {known}",
        )
    if expression.startswith("env:"):
        name = expression.removeprefix("env:")
        if name in scope.process:
            return scope.process[name], None
        return "", f"environment variable '{name}' is not set (used as ${{{expression}}})"
    if expression == "env.name":
        return scope.environment, None
    return (
        "",
        f"unknown expression ${{{expression}}}: use ${{var.NAME}}, ${{env:NAME}} or ${{env.name}}",
    )


def interpolate_tree(
    data: Any, scope: Scope, path: Path = ()
) -> tuple[Any, list[tuple[Path, str]]]:
    """Interpolate every string value of a tree; problems come with the path of their value."""
    if isinstance(data, str):
        value, messages = interpolate(data, scope)
        return value, [(path, message) for message in messages]
    found: list[tuple[Path, str]] = []
    if isinstance(data, dict):
        result: dict[str, Any] = {}
        for key, item in data.items():
            result[key], below = interpolate_tree(item, scope, (*path, key))
            found += below
        return result, found
    if isinstance(data, list):
        items = []
        for index, item in enumerate(data):
            value, below = interpolate_tree(item, scope, (*path, index))
            items.append(value)
            found += below
        return items, found
    return data, found
