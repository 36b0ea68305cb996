"""SQLite storage for the emulator: JSON objects in one ordered table, file bytes in another.

In memory by default (``:memory:``); a file path makes state survive a restart. One connection
is shared by every request behind a re-entrant lock, and each store operation is one
transaction, so concurrent requests cannot interleave half-done changes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

Json = dict[str, Any]
Order = Literal["asc", "desc"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    parent TEXT NOT NULL,
    id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, parent, id)
);
CREATE INDEX IF NOT EXISTS objects_order ON objects (kind, parent, created_at, seq);
CREATE INDEX IF NOT EXISTS objects_id ON objects (kind, id);
CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


class CursorError(LookupError):
    """A list cursor (``after``/``before``) names no object of that list."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(value)
        self.name = name
        self.value = value


@dataclass(frozen=True)
class PageQuery:
    limit: int = 20
    order: Order = "desc"
    after: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Json]
    has_more: bool


class Database:
    """Objects are addressed by (kind, parent, id); lists run in (created_at, seq) order."""

    def __init__(self, path: str = ":memory:") -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block atomically; nested blocks join the outermost transaction."""
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._conn.execute("COMMIT")

    def insert(self, kind: str, parent: str, obj: Json) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO objects (kind, parent, id, created_at, body) VALUES (?, ?, ?, ?, ?)",
                (kind, parent, obj["id"], obj["created_at"], json.dumps(obj)),
            )

    def replace(self, kind: str, parent: str, obj: Json) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE objects SET body = ? WHERE kind = ? AND parent = ? AND id = ?",
                (json.dumps(obj), kind, parent, obj["id"]),
            )

    def get(self, kind: str, parent: str, object_id: str) -> Json | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT body FROM objects WHERE kind = ? AND parent = ? AND id = ?",
                (kind, parent, object_id),
            ).fetchone()
        return None if row is None else _load(row[0])

    def delete(self, kind: str, parent: str, object_id: str) -> bool:
        with self.transaction():
            cursor = self._conn.execute(
                "DELETE FROM objects WHERE kind = ? AND parent = ? AND id = ?",
                (kind, parent, object_id),
            )
        return cursor.rowcount > 0

    def delete_where(
        self, kind: str, *, parent: str | None = None, object_id: str | None = None
    ) -> None:
        """Delete every object of ``kind`` under ``parent`` and/or with id ``object_id``."""
        clauses, args = _filters(parent, object_id)
        with self.transaction():
            self._conn.execute(f"DELETE FROM objects WHERE kind = ?{clauses}", (kind, *args))

    def children(self, kind: str, parent: str) -> list[Json]:
        """Every object of ``kind`` under ``parent``, oldest first."""
        return self.select(kind, parent=parent)

    def select(
        self, kind: str, *, parent: str | None = None, object_id: str | None = None
    ) -> list[Json]:
        clauses, args = _filters(parent, object_id)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT body FROM objects WHERE kind = ?{clauses} ORDER BY created_at, seq",
                (kind, *args),
            ).fetchall()
        return [_load(row[0]) for row in rows]

    def children_of(self, kind: str, parents: list[str]) -> dict[str, list[str]]:
        """Ids of the ``kind`` objects under each of ``parents``, oldest first."""
        found: dict[str, list[str]] = {parent: [] for parent in parents}
        marks = ", ".join("?" for _ in parents)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT parent, id FROM objects WHERE kind = ? AND parent IN ({marks}) "
                "ORDER BY created_at, seq",
                (kind, *parents),
            ).fetchall()
        for parent, object_id in rows:
            found[parent].append(object_id)
        return found

    def page(self, kind: str, parent: str, query: PageQuery) -> Page:
        """One page of a cursor list, with ``after``/``before`` as in the OpenAI API."""
        ascending = query.order == "asc"
        where, args = "kind = ? AND parent = ?", list[str | int]([kind, parent])
        with self._lock:
            for name, value, later in (
                ("after", query.after, True),
                ("before", query.before, False),
            ):
                if value is not None:
                    key = self._key(kind, parent, name, value)
                    greater = later == ascending
                    where += f" AND (created_at, seq) {'>' if greater else '<'} (?, ?)"
                    args.extend(key)
            # `before` alone wants the `limit` items closest to the cursor: walk backwards, then flip.
            backwards = query.before is not None and query.after is None
            direction = "ASC" if ascending != backwards else "DESC"
            rows = self._conn.execute(
                f"SELECT body FROM objects WHERE {where} "
                f"ORDER BY created_at {direction}, seq {direction} LIMIT ?",
                (*args, query.limit + 1),
            ).fetchall()
        items = [_load(row[0]) for row in rows[: query.limit]]
        if backwards:
            items.reverse()
        return Page(items=items, has_more=len(rows) > query.limit)

    def _key(self, kind: str, parent: str, name: str, value: str) -> tuple[int, int]:
        row = self._conn.execute(
            "SELECT created_at, seq FROM objects WHERE kind = ? AND parent = ? AND id = ?",
            (kind, parent, value),
        ).fetchone()
        if row is None:
            raise CursorError(name, value)
        return int(row[0]), int(row[1])

    def put_blob(self, blob_id: str, data: bytes) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO blobs (id, data) VALUES (?, ?)", (blob_id, data)
            )

    def get_blob(self, blob_id: str) -> bytes | None:
        with self._lock:
            row = self._conn.execute("SELECT data FROM blobs WHERE id = ?", (blob_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def delete_blob(self, blob_id: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM blobs WHERE id = ?", (blob_id,))

    def clear(self) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM objects")
            self._conn.execute("DELETE FROM blobs")


def _filters(parent: str | None, object_id: str | None) -> tuple[str, list[str]]:
    clauses, args = "", list[str]()
    if parent is not None:
        clauses, args = clauses + " AND parent = ?", [*args, parent]
    if object_id is not None:
        clauses, args = clauses + " AND id = ?", [*args, object_id]
    return clauses, args


def _load(text: str) -> Json:
    loaded: Json = json.loads(text)
    return loaded
