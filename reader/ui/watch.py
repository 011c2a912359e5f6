"""Seeing what other processes do to the store: `tidings add`, `refresh`, `bookmark` or `mark`
from another shell, or a second reader. The app asks every `[store] watch_seconds` (in a worker
thread: a PRAGMA read, no I/O while nothing changed) and posts one StoreChanged to the main
screen, which reads its lists again with the cursor where it was (Lists.reload). The reader's
own writes are not reported (the screen shows them already; see store/changes.py)."""

from __future__ import annotations

import threading

from reader.store.changes import Changes
from reader.store.db import Store
from reader.ui.messages import Result


class StoreChanged(Result):
    """Another process changed the store: which kinds of data (feeds, items, read, bookmarks)."""

    def __init__(self, changes: Changes) -> None:
        super().__init__()
        self.changes = changes


class StoreWatch:
    """Remembers where the store was; `poll()` says what moved since (one poll at a time)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._mark = store.change_mark()  # before the first lists are read: nothing is missed
        self._busy = threading.Lock()

    def poll(self) -> StoreChanged | None:
        """In a worker thread: the message to post when another process changed something
        (None when nothing did, or another poll is still running)."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            changed, self._mark = self.store.changed_since(self._mark)
        finally:
            self._busy.release()
        return StoreChanged(changed) if changed else None
