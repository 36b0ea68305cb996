"""Problems found in a project, each with where it is: a file, a line and a column.

At the bottom of the layers with errors.py, which carries them (ProjectError): every stage that
reads a project reports with these, and they import nothing from the reconciler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)  # slots: each declared object holds one
class Location:
    """Where a value came from: a file, a 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{self.message}"
