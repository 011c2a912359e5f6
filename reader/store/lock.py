"""A lock file beside the database for work that must not run twice at once (a refresh).

Writing needs no lock of ours: SQLite lets one write transaction run at a time and readers work
beside it (WAL), so the reader, `tidings add` and `tidings bookmark` share the store, each
holding the write lock only while it writes (transactions.py). What SQLite cannot see is a job
made of many transactions: two refreshes at once would fetch every feed twice. `JobLock("refresh")`
keeps the second one out with the first one's pid, or lets it wait its turn (`acquire(wait=S)`:
the command line waits, the reader does not). A refresh that syncs first takes the lock once for
both: a JobLock taken again by the thread that holds it is nested (held, released with the block).

The lock is `<db>.<job>.lock`, keyed to the database's resolved path. flock(2) is released by the
kernel when the holder dies, so a crash never leaves a stale lock; the file only records the
holder's pid for the message. A flock belongs to the open file, which a fork shares: a forked
child (a parser process) would keep the lock alive after its parent died (killed mid-refresh,
say), so children close their copy at once (os.register_at_fork).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import JobRunning, StoreError

_HELD: set[JobLock] = set()  # the locks this process holds
_WAITING: set[int] = set()  # descriptors of WriteQueue.waiting() blocks running now
POLL = 0.1  # seconds between tries while waiting for a job lock


def _forget_in_child() -> None:
    """After a fork, in the child: drop the child's copies of the lock files (the parent's lock
    stays held through the parent's own descriptor, and goes when the parent goes)."""
    for lock in list(_HELD):
        if lock._fd is not None:
            with contextlib.suppress(OSError):
                os.close(lock._fd)
            lock._fd = None
    _HELD.clear()
    for fd in list(_WAITING):
        with contextlib.suppress(OSError):
            os.close(fd)
    _WAITING.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def lock_path(db_path: Path, job: str) -> Path:
    """The lock file of `job` on the store at `db_path`."""
    db = db_path.resolve()
    return db.with_name(f"{db.name}.{job}.lock")


def holder(db_path: Path, job: str) -> int | None:
    """The pid of the process that seems to be running `job` on this store, for messages only:
    the pid its lock file names when that process is alive (a lock file is emptied on release;
    one left by a killed process names a dead pid)."""
    try:
        text = lock_path(db_path, job).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return None
    except OSError:
        pass  # alive, another user's
    return int(text)


class JobLock:
    """An exclusive lock on `<db>.<job>.lock`, held from acquire() to release() (or through a
    with-block)."""

    def __init__(self, db_path: Path, job: str) -> None:
        self.db_path = db_path.resolve()
        self.job = job
        self.path = lock_path(db_path, job)
        self._fd: int | None = None
        self._nested = False
        self._thread = 0
        self.waited = False
        """Whether acquire() found the job running and waited for it to end."""
        self.waited_for: int | None = None
        """The pid of the job it waited for, when known."""

    def acquire(
        self, wait: float = 0.0, on_wait: Callable[[int | None], object] | None = None
    ) -> None:
        """Take the lock, waiting up to `wait` seconds for a running job to end (`on_wait` is
        told the pid of the one it waits for, once); JobRunning naming the process that holds
        it when it is still held then."""
        me = threading.get_ident()
        if any(lock.path == self.path and lock._thread == me for lock in list(_HELD)):
            self._nested = True
            return
        deadline = time.monotonic() + wait
        while (fd := self._try()) is None:
            pid = holder(self.db_path, self.job)
            if time.monotonic() >= deadline:
                waited = f" (waited {wait:g} s)" if wait else ""
                raise JobRunning(
                    f"a {self.job} of {self.db_path} is already running (pid {pid or '?'})"
                    f"{waited}; what it stores shows in the open reader as it lands",
                    job=self.job,
                    pid=pid,
                )
            if not self.waited and on_wait is not None:
                on_wait(pid)
            self.waited, self.waited_for = True, self.waited_for or pid
            time.sleep(POLL)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd, self._thread = fd, me
        _HELD.add(self)

    def _try(self) -> int | None:
        """The lock file's descriptor with the lock taken, or None while another holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            problem = f"cannot take the {self.job} lock ({exc.strerror})"
            raise StoreError(f"{self.path}: {problem}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        self._nested = False
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None
        _HELD.discard(self)

    @property
    def held(self) -> bool:
        """True while this object holds the lock (or holds it nested in another)."""
        return self._fd is not None or self._nested

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class WriteQueue:
    """Who waits to write, so that a busy writer lets them in. SQLite's write lock has no queue:
    a refresh that begins its next batch microseconds after committing the last would keep a
    polling `tidings bookmark` out for the whole refresh. A waiter holds a shared flock on
    `<db>.wait.lock` while it waits; a writer that finds one held after its commit pauses a
    moment (`someone_waits`, two system calls). Where the file cannot be made (a read-only
    directory: nothing is written there anyway) nobody is queued."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path, "wait")
        self._fd: int | None = None

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Queue this process while the block runs."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            yield
            return
        _WAITING.add(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # blocks only while a writer looks (microseconds)
            yield
        finally:
            _WAITING.discard(fd)
            os.close(fd)

    def someone_waits(self) -> bool:
        """Whether another writer is queued (at this instant)."""
        if self._fd is None:
            try:  # made by the first waiter: until then nobody has waited
                self._fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
            except OSError:
                return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        return False

    def close(self) -> None:
        """Close the descriptor `someone_waits` keeps."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
