"""Opening a connection to the store: URI modes, pragmas, the search index's SQL functions,
and the checks that tell a damaged or foreign file from a tidings database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from reader.errors import StoreError
from reader.store import integrity
from reader.store.schema import APPLICATION_ID

# The search index's SQL functions (store/indexing.py): the triggers call them, so every
# connection has them, but the text modules load on the first call rather than at import
# (the reader's start-up, before its first paint, does not need them).
_SEARCH_FUNCTIONS = (
    ("tidings_index", 1, "index_title"),
    ("tidings_index_body", 4, "index_body"),
    ("tidings_feed", 1, "feed_token"),
    ("tidings_initials", 6, "initials_of"),
)


def _search_function(name: str) -> Callable[..., str]:
    found: list[Callable[..., str]] = []

    def call(*args: object) -> str:
        if not found:
            from reader.store import indexing

            found.append(getattr(indexing, name))
        return found[0](*args)

    return call


def _register_search_functions(conn: sqlite3.Connection) -> None:
    for sql_name, arity, name in _SEARCH_FUNCTIONS:
        conn.create_function(sql_name, arity, _search_function(name), deterministic=True)


def _open_connection(path: Path, mode: str) -> tuple[sqlite3.Connection, int]:
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        _register_search_functions(conn)  # the search index's triggers call them
        return conn, conn.execute("PRAGMA application_id").fetchone()[0]
    except BaseException:
        conn.close()
        raise


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection to the store at `path` (StoreError if it cannot be, or is not ours)."""
    integrity.check_header(path)
    try:
        try:
            conn, app_id = _open_connection(path, "ro" if readonly else "rwc")
        except sqlite3.OperationalError as exc:
            if not (readonly and integrity.unwritable_place(path, exc)):
                raise
            # a read-only directory: SQLite cannot make the WAL index beside the file, and no
            # one can write the file there either, so it is read as immutable
            conn, app_id = _open_connection(path, "ro&immutable=1")
    except sqlite3.Error as exc:
        raise integrity.translate(path, exc, "open the database") from None
    if app_id not in (0, APPLICATION_ID):
        conn.close()
        raise StoreError(f"{path}: not a tidings database (application_id {app_id:#x})")
    return conn
