"""Counting a search's matches on a second connection, while the first one ranks them.

SQLite lets go of the GIL while a statement runs, so with two cores the count (which for a
common phrase walks every match, as long as ranking the newest thousand does: FTS5's bm25
counts the phrase's matches for its IDF) costs no wall time of its own. The second connection
is read-only and opened on first use; the Store holds its lock over the whole search, so no
write of this process falls between the two (another process's write may: a total can then
be one refresh newer than the page beside it).
"""

from __future__ import annotations

import os
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from reader.store.connect import connect


class Counter:
    """Runs `SELECT count(*) ...` statements on a worker thread with a connection of its own."""

    def __init__(self, path: Path, *, threads: bool | None = None) -> None:
        self._path = path
        self._threads = (os.cpu_count() or 1) > 1 if threads is None else threads
        self._pool: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._last: tuple[tuple[str, tuple[object, ...]], Future[int]] | None = None

    def submit(self, sql: str, args: list[object]) -> Future[int] | None:
        """The count `sql` gives, started now (None with one core: count on your own
        connection when you need the figure)."""
        if not self._threads:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="tidings-count")
        future = self._pool.submit(self._run, sql, args)
        self._last = ((sql, tuple(args)), future)
        return future

    def running(self, sql: str, args: list[object]) -> Future[int] | None:
        """The count of this statement when it is the last one submitted (done or not, but
        not cancelled): a search that came back with an estimate left it running."""
        last = self._last
        if last is None or last[0] != (sql, tuple(args)) or last[1].cancelled():
            return None
        return last[1]

    def _run(self, sql: str, args: list[object]) -> int:
        if self._conn is None:
            self._conn = connect(self._path, readonly=True)
        return int(self._conn.execute(sql, args).fetchone()[0])

    def close(self) -> None:
        """Stop the worker (after the count it may be running) and close its connection."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._last = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
