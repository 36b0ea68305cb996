"""The bundled emulator's data in DIR/.reconciler/local.db, opened with errors that name the file
and say what to do: a corrupt, truncated or read-only database, or a project folder that cannot
be written, is the user's to fix, not an internal error."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.errors import UsageError

if TYPE_CHECKING:
    from reconciler.emulator import Emulator

DB_FILE = "local.db"


def open_local_state(state: Path) -> Emulator:
    """An emulator whose data lives in `state`/local.db, created when missing."""
    try:
        state.mkdir(exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create {state}: {error.strerror}. The local emulator keeps its data there: "
            "make the project folder writable, or use an endpoint URL instead of local."
        ) from None
    from reconciler.emulator import Emulator  # noqa: PLC0415 - only `endpoint: local` needs it

    db = state / DB_FILE
    _check_writable(state, db)
    try:
        _check_intact(db)
        return Emulator.create(str(db))
    except sqlite3.Error as error:
        if "readonly" in str(error) or "unable to open" in str(error):
            raise _read_only(state, db) from None
        raise UsageError(
            f"{db} is not a usable emulator database ({error}): delete it to start the local "
            "emulator empty (what it held is lost), or restore it from a copy."
        ) from None


def _check_writable(state: Path, db: Path) -> None:
    # SQLite writes a journal beside the database, so the folder must be writable too.
    if not os.access(state, os.W_OK) or (db.exists() and not os.access(db, os.W_OK)):
        raise _read_only(state, db)


def _check_intact(db: Path) -> None:
    """A truncated file can open and fail only at its first query, inside a request: check first."""
    if not db.exists():
        return
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        (result,) = connection.execute("PRAGMA quick_check").fetchone()
    finally:
        connection.close()
    if result != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {result}")


def _read_only(state: Path, db: Path) -> UsageError:
    return UsageError(
        f"{db} cannot be written (read-only file or folder): make {state} and the files in it "
        "writable, the local emulator stores its data there."
    )
