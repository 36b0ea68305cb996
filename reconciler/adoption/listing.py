"""What `import` shows and lets the user choose, the same for assistants and agents: the live
objects no project manages (no `reconciler.owner` mark), as a table, and `--select` matched
against them by id or API name."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from reconciler.adoption.draft import Target, refuse_if
from reconciler.core.marks import OWNER_MARK

SHOWN_LENGTH = 48  # longer API names are shortened in the listing


class Entry(NamedTuple):
    """A live object as listing and selection see it (an agent's id is its name)."""

    id: str
    name: str | None
    metadata: Mapping[str, str]
    cells: tuple[str, ...]  # its row in the listing


def unmanaged_listing(
    entries: Sequence[Entry],
    header: tuple[str, ...],
    noun: str,
    target: Target,
    directory: Path,
    notes: Sequence[str] = (),
) -> list[str]:
    """The lines that list the unmanaged objects: their table, how many others there are, what
    to know about them, and the next command."""
    unmanaged = [e for e in entries if OWNER_MARK not in e.metadata]
    managed = len(entries) - len(unmanaged)
    where = target.environment.endpoint
    if not unmanaged:
        return [f"No unmanaged {plural(noun)} at {where} ({managed} managed by projects)."]
    rows = [header, *(e.cells for e in unmanaged)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(
        f"\n{count(len(unmanaged), f'unmanaged {noun}')} at {where}; "
        f"{managed} managed by projects, not shown."
    )
    for entry in unmanaged:
        if entry.id in target.imported:
            manifest = target.imported[entry.id]
            lines.append(f"{entry.id} is already imported by {manifest}: apply adopts it.")
    lines += notes
    command = f"reconciler import {shlex.quote(str(directory))} --env {target.environment.name}"
    lines.append(f"Write manifests for some of them: {command} --select NAME_OR_ID")
    return lines


def select(
    entries: Sequence[Entry], selections: tuple[str, ...], target: Target, noun: str
) -> list[str]:
    """The ids of the unmanaged objects selected, each once, in the order asked; else every
    problem."""
    chosen: dict[str, None] = {}
    problems: list[str] = []
    for selection in selections:
        by_id = [e for e in entries if e.id == selection]
        matches = by_id or [e for e in entries if e.name == selection]
        free = [e for e in matches if OWNER_MARK not in e.metadata]
        if not matches:
            where = target.environment.endpoint
            problems.append(f"--select {selection!r} matches no {noun} at {where}")
        elif not free:
            owners = ", ".join(sorted({e.metadata[OWNER_MARK] for e in matches}))
            problems.append(
                f"--select {selection!r} names an {noun} managed by {owners}: "
                f"only unmanaged {plural(noun)} can be imported"
            )
        elif len(free) > 1:
            ids = ", ".join(e.id for e in free)
            problems.append(
                f"--select {selection!r} matches {len(free)} unmanaged {plural(noun)} ({ids}): "
                "select one by its id"
            )
        elif free[0].id in target.imported:
            manifest = target.imported[free[0].id]
            problems.append(
                f"--select {selection!r}: {free[0].id} is already imported by {manifest}; "
                "apply adopts it"
            )
        else:
            chosen.setdefault(free[0].id)
    refuse_if(problems)
    return list(chosen)


def shown(text: str | None) -> str:
    """A cell: printable, on one line, shortened."""
    if text is None:
        return "-"
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def when(timestamp: int) -> str:
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


def count(number: int, noun: str) -> str:
    return f"{number} {noun if number == 1 else plural(noun)}"


def plural(noun: str) -> str:
    return f"{noun}es" if noun.endswith(("s", "x", "sh", "ch")) else f"{noun}s"
