"""Transactions on the store's connection, shared by a UI thread and a refresh writer thread.

WAL journal, foreign keys, busy_timeout (connect.py). Refresh writes run with
synchronous=NORMAL: in WAL mode that keeps the database consistent through any crash and loses
nothing on a process kill, only (on power loss) the last refresh, which the next refresh
fetches again. A person's own acts (bookmarks, read marks, subscriptions) are committed with
synchronous=FULL, so they survive power loss too.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from reader.errors import StoreError
from reader.store import integrity
from reader.store.lock import WriterLock


class Transactions:
    """A connection, the mutex that serialises its use, and its write transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path, lock: WriterLock | None) -> None:
        self.conn = conn
        self.path = path
        self._lock = lock
        self._mutex = threading.RLock()

    @property
    def writable(self) -> bool:
        """True when this store holds the writer lock."""
        return self._lock is not None

    @contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error).

        `durable` commits with synchronous=FULL (a person's own act); otherwise NORMAL.
        Inside another transaction (a batch, see `batch()`) this is a savepoint instead: it
        is still all-or-nothing, and becomes permanent when the batch commits.
        """
        if not self.writable:
            raise StoreError(f"{self.path}: opened read-only")
        with self._mutex:
            if self.conn.in_transaction:
                with self._savepoint():
                    yield self.conn
                return
            self.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            with integrity.errors(self.path, "write"):
                self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except sqlite3.Error as exc:
                self._undo("ROLLBACK")
                raise integrity.translate(self.path, exc, "write") from None
            except BaseException:
                self._undo("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._undo("ROLLBACK")
                raise integrity.translate(self.path, exc, "write") from None

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except sqlite3.Error as exc:
            self._undo("ROLLBACK TO part", "RELEASE part")
            raise integrity.translate(self.path, exc, "write") from None
        except BaseException:
            self._undo("ROLLBACK TO part", "RELEASE part")
            raise
        self.conn.execute("RELEASE part")

    def _undo(self, *statements: str) -> None:
        """Roll back what is left to roll back: on some errors (a full disk, I/O) SQLite has
        already rolled the whole transaction back, and a second ROLLBACK would hide the cause."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                for sql in statements:
                    self.conn.execute(sql)

    @contextmanager
    def _reading(self, doing: str = "read") -> Iterator[sqlite3.Connection]:
        """The connection under the mutex; a SQLite error becomes a StoreError (DamagedStore
        when the file is damaged)."""
        with self._mutex, integrity.errors(self.path, doing):
            yield self.conn

    def batch(self, *, durable: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        """A group commit: the transactions inside become savepoints of one transaction, so a
        refresh writes shared index pages once per batch instead of once per feed. Each
        inner transaction stays all-or-nothing; a crash loses the batch, never half a feed."""
        return self.transaction(durable=durable)

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._reading() as conn:
            return conn.execute(sql, args).fetchall()
