"""Transactions on the store's connection, shared by a UI thread and a refresh writer thread,
and by other processes (a second reader, `tidings add` from another shell).

WAL journal, foreign keys, busy_timeout (connect.py). Any number of processes read and write
the same store: a write takes SQLite's write lock only for its transaction (BEGIN IMMEDIATE ...
COMMIT) and readers never wait for it. A write that finds another process writing waits for it,
polling with the connection free (the UI thread keeps reading meanwhile), up to `write_wait`
seconds; then StoreBusy says who is busy. A waiting write is queued (lock.WriteQueue): a refresh
commits its batch early when one waits (store/writer.py) and lets it in before it writes again,
so a bookmark waits for one feed's write, not a whole refresh.

Refresh writes run with synchronous=NORMAL: in WAL mode that keeps the database consistent
through any crash and loses nothing on a process kill, only (on power loss) the last refresh,
which the next refresh fetches again. A person's own acts (bookmarks, read marks,
subscriptions) are committed with synchronous=FULL, so they survive power loss too.

A test seam: with TIDINGS_TEST_PAUSE_IN_WRITE=FILE in the environment, a durable transaction
whose changes are made but not committed writes the connection's synchronous level to FILE and
waits there (a minute at most), so a test can kill the process provably inside the write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from reader.errors import StoreBusy, StoreError
from reader.store import integrity
from reader.store.lock import WriteQueue, holder

READ_WAIT_MS = 5000  # a read waits this long on the rare lock a reader meets (WAL recovery)
WRITE_WAIT = 10.0  # seconds a write waits for another process's write transaction
POLL = 0.005  # a waiting write tries again at least this often...
YIELD = 0.015  # ...and a writer pauses this long after a commit when another one waits
PAUSE_ENV = "TIDINGS_TEST_PAUSE_IN_WRITE"

# In-process form of the seam (tests): called inside every transaction just before its COMMIT,
# with the connection and whether the transaction is a durable one.
pause_hook: Callable[[sqlite3.Connection, bool], None] | None = None


def _pause_inside(conn: sqlite3.Connection, durable: bool) -> None:
    """The test seam (see the module): report and wait inside an uncommitted durable write."""
    if pause_hook is not None:
        pause_hook(conn, durable)
    target = os.environ.get(PAUSE_ENV)
    if not target or not durable:
        return
    level = conn.execute("PRAGMA synchronous").fetchone()[0]
    temporary = f"{target}.{os.getpid()}"
    Path(temporary).write_text(f"synchronous={level}\n", encoding="ascii")
    Path(temporary).replace(target)  # whole, or not there: the test reads it once it exists
    time.sleep(60)


def _busy(exc: sqlite3.Error) -> bool:
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Transactions:
    """A connection, the mutex that serialises its use, and its write transactions."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        readonly: bool = False,
        write_wait: float = WRITE_WAIT,
    ) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.write_wait = write_wait
        self._mutex = threading.RLock()
        self._queue = WriteQueue(path)

    @property
    def writable(self) -> bool:
        """True unless the store was opened read-only."""
        return not self.readonly

    @contextmanager
    def transaction(
        self, *, durable: bool = False, wait: float | None = None
    ) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error).

        `durable` commits with synchronous=FULL (a person's own act); otherwise NORMAL.
        Another process's write is waited for up to `wait` seconds (default `write_wait`),
        then StoreBusy. Inside another transaction (a batch, see `batch()`) this is a
        savepoint instead: it is still all-or-nothing, and becomes permanent when the batch
        commits.
        """
        if not self.writable:
            raise StoreError(f"{self.path}: opened read-only")
        began = self._begin(durable, self.write_wait if wait is None else wait)
        committed = False
        try:  # the mutex is held from here to the end
            if not began:
                with self._savepoint():
                    yield self.conn
                return
            try:
                yield self.conn
                _pause_inside(self.conn, durable)
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
            committed = True
        finally:
            self._mutex.release()
        if committed and self._queue.someone_waits():
            time.sleep(YIELD)  # let the queued writer in before this one writes again

    def others_waiting(self) -> bool:
        """Whether another process waits to write (a long writer commits early then)."""
        return self._queue.someone_waits()

    def _begin(self, durable: bool, wait: float) -> bool:
        """Take the mutex and begin a write transaction (True), or find one running on this
        connection (False: the caller nests a savepoint). Returns with the mutex held. While
        another process writes, this one waits in the queue with the connection free."""
        began = self._attempt(durable)
        if began is not None:
            return began
        deadline = time.monotonic() + wait
        pause = 0.001
        with self._queue.waiting():
            while True:
                if time.monotonic() >= deadline:
                    raise StoreBusy(self._busy_message(wait))
                time.sleep(pause)
                pause = min(pause * 2, POLL)
                began = self._attempt(durable)
                if began is not None:
                    return began

    def _attempt(self, durable: bool) -> bool | None:
        """One try: True (begun) or False (nested in this connection's transaction) with the
        mutex held; None (another process writes) with the mutex released."""
        self._mutex.acquire()
        try:
            if self.conn.in_transaction:
                return False
            self.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            if self._try_begin():
                return True
        except BaseException:
            self._mutex.release()
            raise
        self._mutex.release()
        return None

    def _try_begin(self) -> bool:
        """BEGIN IMMEDIATE without SQLite's own busy wait (which would hold the mutex)."""
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.Error as exc:
            if _busy(exc):
                return False
            raise integrity.translate(self.path, exc, "write") from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {READ_WAIT_MS}")

    def _busy_message(self, wait: float) -> str:
        pid = holder(self.path, "refresh")
        who = f"a refresh (pid {pid})" if pid else "another tidings"
        return f"{self.path}: {who} kept the store busy for {wait:g} s; nothing written, try again"

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
