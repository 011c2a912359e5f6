"""Telling a damaged, read-only or full store from a working one, in one line a person can act on.

* `errors(path, doing)`: any SQLite error inside becomes a StoreError; damage (SQLITE_CORRUPT,
  SQLITE_NOTADB) a DamagedStore whose message says the file is kept and how to save bookmarks.
* `probe(conn, path)`: the check at open. It reads the schema and the first and last row of every
  table: a few pages however large the file (PRAGMA quick_check would read all of it, seconds
  for a large store at every start). Damage it does not reach surfaces as a DamagedStore on the
  first query that meets it; nothing is written before the probe has passed.
* `check_writable(path)`: a writer refuses a read-only directory or database file up front
  (readers still work there), rather than failing on its first write.
* `unwritable_place(path, exc)`: whether a read-only open failed only because SQLite cannot make
  its WAL index beside the file (a read-only directory); the caller then opens it immutable.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import DamagedStore, StoreError

_DAMAGE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_HEADER = b"SQLite format 3\x00"
SALVAGE_HINT = (
    "the file is left as it is; `tidings bookmarks --export DIR` saves the bookmarks that can"
    " still be read, then move the file aside to start afresh"
)


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is damaged (corrupt, or not a database)."""
    return _code(exc) in _DAMAGE


def translate(path: Path, exc: sqlite3.Error, doing: str) -> StoreError:
    """The StoreError (DamagedStore for damage) that says why `doing` failed on `path`."""
    if is_damage(exc):
        damage = f"the database is damaged ({exc})"
        return DamagedStore(f"{path}: cannot {doing}: {damage}; {SALVAGE_HINT}")
    kept = "what was stored before is intact"
    if _code(exc) == sqlite3.SQLITE_FULL:
        return StoreError(f"{path}: cannot {doing}: the disk is full ({exc}); {kept}")
    if _code(exc) == sqlite3.SQLITE_IOERR:  # EFBIG (a file size limit) and failing disks
        return StoreError(f"{path}: cannot {doing}: the disk is full or failing ({exc}); {kept}")
    return StoreError(f"{path}: cannot {doing} ({exc})")


@contextmanager
def errors(path: Path, doing: str) -> Iterator[None]:
    """Raise any sqlite3 error of the block as `translate` has it."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(path, exc, doing) from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def probe(conn: sqlite3.Connection, path: Path) -> None:
    """A bounded check that the database is readable (DamagedStore if not; see the module)."""
    with errors(path, "open the database"):
        tables = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND rootpage > 0"
        ).fetchall()
        for name, sql in tables:
            table = _quoted(name)
            conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
            if "WITHOUT ROWID" not in (sql or "").upper():
                conn.execute(f"SELECT * FROM {table} ORDER BY rowid DESC LIMIT 1").fetchall()


def check_header(path: Path) -> None:
    """DamagedStore when a non-empty file does not start like a SQLite database."""
    try:
        with path.open("rb") as f:
            head = f.read(len(_HEADER))
    except OSError:
        return  # missing or unreadable: SQLite says so itself
    if head and head != _HEADER:
        raise DamagedStore(
            f"{path}: cannot open the database: it is not a SQLite database (damaged, or another"
            f" kind of file); {SALVAGE_HINT}"
        )


def check_writable(path: Path) -> None:
    """StoreError when a writer cannot write the store at `path` (read-only directory or file);
    the directory is created when missing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = f"cannot create the data directory ({exc.strerror})"
        raise StoreError(f"{path.parent}: {problem}") from None
    read_only = "is read-only; reading commands (list, show, search, bookmarks) still work"
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the database file {read_only}")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(f"{path.parent}: the data directory {read_only}")


def unwritable_place(path: Path, exc: sqlite3.Error) -> bool:
    """Whether a read-only open of an existing store failed only for want of a writable directory
    (SQLite makes a -shm file beside a WAL database), with no unfinished WAL left to replay."""
    if _code(exc) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) or not path.exists():
        return False
    wal = path.with_name(path.name + "-wal")
    try:
        unfinished = wal.stat().st_size > 0
    except OSError:
        unfinished = False
    return not unfinished and not os.access(path.parent, os.W_OK)
