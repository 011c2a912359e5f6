"""A lock file beside the database, keyed to its resolved path, that keeps a second writer out.

flock(2) is released by the kernel when the holder dies, so a crash never leaves a stale lock;
the file only records the holder's pid for the message. A flock belongs to the open file, which a
fork shares: a forked child (a parser process) would keep the lock alive after its parent died
(killed mid-refresh, say), so children close their copy at once (os.register_at_fork).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from reader.errors import StoreError

_HELD: set[WriterLock] = set()  # the locks this process holds


def _forget_in_child() -> None:
    """After a fork, in the child: drop the child's copies of the lock files (the parent's lock
    stays held through the parent's own descriptor, and goes when the parent goes)."""
    for lock in list(_HELD):
        if lock._fd is not None:
            with contextlib.suppress(OSError):
                os.close(lock._fd)
            lock._fd = None
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class WriterLock:
    """An exclusive, non-blocking lock on `<db>.lock` held until release()."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path.resolve()
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise StoreError naming the process that holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot take the writer lock ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise StoreError(f"another tidings (pid {holder}) is using {self.db_path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        _HELD.add(self)

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None
        _HELD.discard(self)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None
