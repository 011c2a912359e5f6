"""Seeing what other processes do to the store: `tidings add`, `refresh`, `bookmark` or `mark`
from another shell, or a second reader. The app asks every `[store] watch_seconds` (in a worker
thread: a PRAGMA read, no I/O while nothing changed) and posts one StoreChanged to the main
screen, which reads its lists again with the cursor where it was (Lists.reload), and the open
story's flags (`show_changes`). The reader's own writes are not reported (the screen shows them
already; see store/changes.py). It also says when another process's refresh or sync of the
store begins and ends (OtherRefresh: the lock file names a live process other than this one),
so cron's `tidings refresh` shows in the status line while it runs."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from reader.models import Headline
from reader.store.changes import Changes, Mark
from reader.store.db import Store
from reader.store.lock import holder
from reader.ui.messages import Result

if TYPE_CHECKING:
    from concurrent.futures import Future

    from reader.ui.firstview import FirstView
    from reader.ui.screens.main import MainScreen


class StoreChanged(Result):
    """Another process changed the store: which kinds of data (feeds, items, read, bookmarks)."""

    def __init__(self, changes: Changes) -> None:
        super().__init__()
        self.changes = changes


class OtherRefresh(Result):
    """Another process began refreshing or syncing the store (`pid`), or ended (None)."""

    def __init__(self, pid: int | None) -> None:
        super().__init__()
        self.pid = pid


class StoryFlags(Result):
    """The open story's row as the store has it now (its read and bookmark flags)."""

    def __init__(self, rows: Sequence[Headline]) -> None:
        super().__init__()
        self.rows = rows


def show_changes(screen: MainScreen, message: StoreChanged) -> None:
    """The main screen's answer to a StoreChanged: its lists read again (the cursor stays on
    its story), and the open story's flags when read marks or bookmarks changed."""
    screen.lists.reload()
    item = screen.article.item
    if item is not None and (message.changes.read or message.changes.bookmarks):
        store, item_id = screen.ctx.store, item.id
        screen.runner.work(lambda: StoryFlags(store.headlines_for([item_id])), "story-flags")


def show_flags(screen: MainScreen, message: StoryFlags) -> None:
    """Put the flags on the open story, if it is still the one open."""
    item = screen.article.item
    row = message.rows[0] if message.rows else None
    if item is not None and row is not None and row.id == item.id:
        screen.article.update_item(replace(item, read=row.read, bookmarked=row.bookmarked))


class StoreWatch:
    """Remembers where the store was; `poll()` says what moved since (one poll at a time)."""

    def __init__(self, store: Store, first: Future[FirstView] | None = None) -> None:
        self.store = store
        # before the first lists are read, so nothing is missed: where the first view (read in
        # a thread of its own while the reader starts) was read from, when there is one
        self._first = first
        self._mark = store.change_mark() if first is None else None
        self._busy = threading.Lock()
        self._other: int | None = None  # the other process refreshing, as last seen

    def poll(self) -> list[Result]:
        """In a worker thread: the messages to post, when another process changed something
        or began or ended a refresh (none when nothing did, or another poll is running)."""
        if not self._busy.acquire(blocking=False):
            return []
        try:
            if self._mark is None:
                self._mark = self._first_mark()
            changed, self._mark = self.store.changed_since(self._mark)
            other = self.other_refresh()
            moved, self._other = other != self._other, other
        finally:
            self._busy.release()
        found: list[Result] = [StoreChanged(changed)] if changed else []
        return [*found, OtherRefresh(other)] if moved else found

    def _first_mark(self) -> Mark:
        """The first view's mark (waiting for it); the store's now if reading it failed."""
        try:
            assert self._first is not None
            return self._first.result().mark
        except Exception:
            return self.store.change_mark()

    def other_refresh(self) -> int | None:
        """The pid of another process refreshing or syncing this store, if one is."""
        pid = holder(self.store.path, "refresh")
        return None if pid == os.getpid() else pid
