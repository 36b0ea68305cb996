"""Rendered output read back whatever the width it was made for (core/rendering/width.py).

Headers (`  # address will be ...`) and notes (`Note: ...`) are prose wrapped to the width;
a word too long for a line is cut with a trailing backslash. `unwrapped` puts each back on one
line, so a test can look for a sentence without fixing the width it was printed at.
"""

from __future__ import annotations

from reconciler.core.rendering.width import MARKER

GOES_ON = {"  # ": "  #   ", "Note: ": "      "}  # a wrapped line's start -> its continuation's


def unwrapped(text: str) -> str:
    lines: list[str] = []
    going_on: str | None = None
    for line in text.split("\n"):
        if going_on is not None and line.startswith(going_on) and lines:
            rest = line[len(going_on) :]
            joined = lines[-1][: -len(MARKER)] if lines[-1].endswith(MARKER) else lines[-1] + " "
            lines[-1] = joined + rest
            continue
        going_on = next((after for start, after in GOES_ON.items() if line.startswith(start)), None)
        lines.append(line)
    return "\n".join(lines)
