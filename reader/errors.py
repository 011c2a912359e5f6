"""The typed errors of tidings. Each carries one line a person can act on."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error tidings reports to a person (one clear line, no traceback)."""


class FetchError(ReaderError):
    """A feed or page could not be fetched (network, HTTP status, size or time limit)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ParseError(ReaderError):
    """A body could not be read as a feed (not a feed, broken beyond recovery, too slow)."""


class StoreError(ReaderError):
    """The database cannot be opened or written (locked, corrupt, foreign, newer)."""


class StoreBusy(StoreError):
    """Another process kept the store's write lock (or the one refresh allowed at a time) for
    longer than a write waits; nothing was written, trying again later works."""


class JobRunning(StoreBusy):
    """Another process runs the job (a refresh, a sync) that runs once at a time on a store:
    `pid` names it when it is known. Not a failure: what it stores shows as it lands."""

    def __init__(self, message: str, *, job: str, pid: int | None) -> None:
        super().__init__(message)
        self.job = job
        self.pid = pid


class DamagedStore(StoreError):
    """The database file is damaged (SQLite reports it corrupt or not a database). The file is
    never changed or removed; `tidings bookmarks --export` salvages what it can still read."""


class ConfigError(ReaderError):
    """config.toml is unreadable or has an unknown key or a value of the wrong type."""


class UsageError(ReaderError):
    """The command line or its input is wrong (exit code 2)."""


class SyncError(ReaderError):
    """A sync with the feed server failed (down, slow, refused the login, answered nonsense).
    Nothing of the pull was stored and every queued act is kept for the next sync."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
