"""Group commit: store writes from many concurrent feeds, run on one thread, committed together.

While the writer is busy, the jobs that queue up meanwhile go into the next transaction as
savepoints of it: under load a batch holds many feeds (shared index pages written once), when
idle a batch holds one (no added latency). Each job is still all-or-nothing. A batch commits
early, the rest of its jobs going into the next one, as soon as another process waits to write
(a bookmark from a shell while the reader refreshes: it waits for one job, not the batch), and
at the latest after MAX_HOLD seconds; alone, a batch costs no extra commits.

New items go into the search index INDEX_EVERY at a time, in a transaction of their own, and
the rest when the writer stops: FTS5 writes a segment at each commit and merges them, so
indexing a feed or two per commit (early batches are small) cost a quarter more CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from reader.errors import ReaderError
from reader.store.db import Store

T = TypeVar("T")
Job = tuple[Callable[[], Any], "Future[Any]"]
MAX_HOLD = 1.0  # seconds a batch may hold the write lock before it commits
INDEX_EVERY = 2000  # new items indexed together (store.index_stored)


class GroupWriter:
    """One writer thread over `store`; `await writer.run(fn)` runs fn inside a batch."""

    def __init__(self, store: Store, max_batch: int = 64) -> None:
        self.store = store
        self.max_batch = max_batch
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="tidings-store", daemon=True)
        self._thread.start()

    async def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` (a function of store writes) on the writer thread; returns after commit."""
        future: Future[T] = Future()
        self._jobs.put((fn, future))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Finish the queued jobs and stop the thread."""
        self._jobs.put(None)
        self._thread.join()

    def _loop(self) -> None:
        try:
            self._work()
        finally:
            self._index()

    def _index(self) -> None:
        """Index what the batches stored; a failure leaves it queued for the next search."""
        with contextlib.suppress(ReaderError, sqlite3.Error):
            self.store.index_stored()

    def _work(self) -> None:
        stopping = False
        while not stopping:
            first = self._jobs.get()
            if first is None:
                return
            jobs = [first]
            while len(jobs) < self.max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stopping = True
                    break
                jobs.append(job)
            while jobs:
                jobs = self._commit(jobs)
            if self.store.unindexed() >= INDEX_EVERY:
                self._index()

    def _commit(self, jobs: list[Job]) -> list[Job]:
        """Run jobs in one transaction until another process waits to write or MAX_HOLD has
        passed; returns those not run."""
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        ran = 0
        try:
            with self.store.batch(index=False):
                until = time.monotonic() + MAX_HOLD
                for fn, future in jobs:
                    if ran and (time.monotonic() > until or self.store.others_waiting()):
                        break
                    ran += 1
                    try:
                        outcomes.append((future, fn(), None))
                    except Exception as exc:  # that job's savepoint was rolled back
                        outcomes.append((future, None, exc))
        except Exception as exc:  # the commit itself failed: so did every job in it
            for _, future in jobs[:ran] or jobs:
                future.set_exception(exc)
            return jobs[ran:] if ran else []
        for future, value, error in outcomes:
            if error is None:
                future.set_result(value)
            else:
                future.set_exception(error)
        return jobs[ran:]
