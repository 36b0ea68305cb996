"""An environment's `vars`, resolved: a value may itself use `${env:NAME}`, `${env.name}` and
`${var.OTHER}`, as any manifest string does. A variable that refers back to itself (directly or
through others) is an error at its place in reconciler.yaml, as is an unset process variable or
an unknown one; every variable is resolved once, whatever refers to it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from reconciler.config.interpolate import Scope, interpolate
from reconciler.core.model import Path


@dataclass
class Variables(Mapping[str, str]):
    """The vars of one environment as a mapping that resolves each value on first use."""

    written: Mapping[str, str]
    environment: str
    process: Mapping[str, str]
    problems: list[tuple[Path, str]] = field(default_factory=list)
    _done: dict[str, str] = field(default_factory=dict)
    _resolving: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        if name in self._done:
            return self._done[name]
        if name not in self.written:
            raise KeyError(name)
        if name in self._resolving:
            return self._circle(name)
        self._resolving.append(name)
        value, messages = interpolate(
            self.written[name], Scope(self.environment, self, self.process)
        )
        self._resolving.pop()
        self.problems += [((name,), message) for message in messages]
        self._done[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self.written)

    def __len__(self) -> int:
        return len(self.written)

    def _circle(self, name: str) -> str:
        circle = [*self._resolving[self._resolving.index(name) :], name]
        chain = " -> ".join(f"${{var.{n}}}" for n in circle)
        self.problems.append(((name,), f"variable '{name}' refers to itself: {chain}"))
        self._done[name] = ""  # reported once; what refers to it reads it empty
        return ""


def resolve_variables(
    written: Mapping[str, str], environment: str, process: Mapping[str, str]
) -> tuple[dict[str, str], list[tuple[Path, str]]]:
    """Every variable resolved, and each problem at the variable's name."""
    variables = Variables(written, environment, process)
    resolved = {name: variables[name] for name in written}
    return resolved, variables.problems
