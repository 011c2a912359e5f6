"""What other processes changed in the store since the reader last looked.

Two cheap signals. `PRAGMA data_version` changes whenever another connection commits (it reads
the WAL index in shared memory: no page, no I/O), so a poll every few seconds costs nothing
while the store is quiet. When it has moved, the `changes` table (MIGRATION below, one small
row per kind) says what moved: each write transaction bumps the serial of what it changed, in
the same transaction, so a reader never sees news without its serial or a serial without its
news.

Kinds: "feeds" (subscriptions, titles, tags, fetch health), "items" (stories added or
removed), "read" (read marks), "bookmarks" (bookmarks and their tags).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

KINDS = ("feeds", "items", "read", "bookmarks")

MIGRATION = (
    """CREATE TABLE IF NOT EXISTS changes (
        kind TEXT PRIMARY KEY,
        serial INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    "INSERT OR IGNORE INTO changes (kind) VALUES ('feeds'), ('items'), ('read'), ('bookmarks')",
)


@dataclass(frozen=True)
class Changes:
    """Which kinds of data changed (all False: nothing)."""

    feeds: bool = False
    items: bool = False
    read: bool = False
    bookmarks: bool = False

    def __bool__(self) -> bool:
        return self.feeds or self.items or self.read or self.bookmarks

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds that changed, in KINDS order."""
        return tuple(k for k in KINDS if getattr(self, k))


@dataclass(frozen=True)
class Mark:
    """Where a reader last looked: the connection's data_version and the serials it saw."""

    version: int
    serials: dict[str, int] = field(default_factory=dict)


def bump(conn: sqlite3.Connection, *kinds: str) -> None:
    """Inside a write transaction: say that it changed `kinds`."""
    marks = ",".join("?" * len(kinds))
    conn.execute(f"UPDATE changes SET serial = serial + 1 WHERE kind IN ({marks})", kinds)


def mark(conn: sqlite3.Connection) -> Mark:
    """Where the store is now."""
    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
    serials = {str(k): int(s) for k, s in conn.execute("SELECT kind, serial FROM changes")}
    return Mark(version, serials)


def since(conn: sqlite3.Connection, before: Mark) -> tuple[Changes, Mark]:
    """What changed since `before`, and the new mark. Only other connections' commits move
    data_version, so a process's own writes (which its screens already show) are not reported
    unless another process wrote as well."""
    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
    if version == before.version:
        return Changes(), before
    now = mark(conn)
    moved = {k for k in KINDS if now.serials.get(k) != before.serials.get(k)}
    return Changes(**{k: k in moved for k in KINDS}), now
