"""Pure: no line of a rendering wider than asked, whatever the data.

Content (a value, a line of a prompt, a line of a unified diff) is folded: a line cut short ends
with MARKER and goes on below, indented under its start, so no character is lost and none is
invented; a break inside content without the marker would read as a line break of the content.
Prose (a change's reason, a note) is wrapped at spaces, as prose is.
"""

from __future__ import annotations

DEFAULT_WIDTH = 100  # when no terminal says otherwise: a CI log, a pipe, a file
MINIMUM_WIDTH = 40  # below it, structure would drown in folds: narrower asks get this
MARKER = "\\"  # at the end of a line whose content goes on below
ROOM = 20  # the least room a fold leaves for content, however deep its indentation


def fit(width: int) -> int:
    return max(width, MINIMUM_WIDTH)


def fold(lead: str, text: str, width: int, go_on: str | None = None) -> list[str]:
    """`lead + text`, folded to `width`: each continuation starts with `go_on` (by default the
    lead's width in spaces and two more) and each line cut short ends with MARKER."""
    width = fit(width)
    if len(lead) + len(text) <= width:
        return [lead + text]
    after = go_on if go_on is not None else " " * len(lead) + "  "
    lines: list[str] = []
    prefix, rest = lead, text
    while len(prefix) + len(rest) > width:
        room = max(width - len(prefix) - len(MARKER), ROOM)
        cut = _cut(rest, room)
        lines.append(prefix + rest[:cut] + MARKER)
        prefix, rest = after, rest[cut:]
    return [*lines, prefix + rest]


def _cut(text: str, room: int) -> int:
    """Where to cut: after the last space in the last third of the room, else at the room."""
    space = text.rfind(" ", room * 2 // 3, room)
    return space + 1 if space > 0 else room


def wrap(lead: str, text: str, width: int, indent: str | None = None) -> list[str]:
    """Prose wrapped at spaces (continued under `indent`); a word longer than a line (an id)
    is folded as content is, with MARKER where it is cut, and the prose goes on after it."""
    width = fit(width)
    if len(lead) + len(text) <= width:
        return [lead + text]
    after = indent if indent is not None else " " * len(lead)
    lines: list[str] = []
    prefix, words = lead, ""
    for word in text.split(" "):
        candidate = f"{words} {word}" if words else word
        if len(prefix) + len(candidate) <= width:
            words = candidate
        elif words and len(after) + len(word) <= width:  # on a line of its own
            lines.append(prefix + words)
            prefix, words = after, word
        else:  # too long for any line: cut where it must be, and go on after the last piece
            *done, last = fold(prefix, candidate, width, after)
            lines += done
            prefix, words = after, last[len(after) :]
    return [*lines, prefix + words]
