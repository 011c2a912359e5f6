"""The first view, read from the store while Textual is still being imported.

Opening the reader, a person wants the newest headlines and the feed pane's counts at once. The
launcher starts `start_first_view` right after the store opens: a thread reads the newest rows of
All and the counts (SQLite lets go of the GIL while it reads, so this overlaps the import of
Textual), and the main screen puts them on screen before its first frame. The full list of ids,
which at 250,000 stories takes several times as long, follows in a worker.

No Textual here: this runs before it is imported.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace

from reader.models import Feed, Headline, ItemQuery
from reader.store.changes import Mark
from reader.store.db import Store
from reader.ui.sources import ALL, Source, Totals

WINDOW = 120  # rows read around what is visible (of the newest stories, at first)
HANDOFF = 0.0005  # seconds: the GIL's switch interval while the first view is read
NORMAL = sys.getswitchinterval()  # and after


@dataclass(frozen=True)
class FeedCounts:
    """Subscriptions, unread counts per feed, the totals of All, Unread and Bookmarks, and the
    bookmark tags with their counts."""

    feeds: Sequence[Feed]
    unread: dict[int, int]
    totals: Totals
    mark_tags: Sequence[tuple[str, int]]


@dataclass(frozen=True)
class FirstView:
    """The newest headlines of All (`rows`, at most `WINDOW`) and the feed pane's counts, and
    where the store was just before they were read (for the watch on other processes)."""

    rows: Sequence[Headline]
    counts: FeedCounts
    mark: Mark


def feed_counts(store: Store) -> FeedCounts:
    """The feed pane's feeds and counts."""
    feeds = store.feeds()
    unread = store.unread_counts()
    totals = Totals(
        items=store.count(),
        unread=sum(unread.values()),
        bookmarked=store.count(ItemQuery(bookmarked=True)),
    )
    return FeedCounts(feeds, unread, totals, store.item_tag_counts())


def newest(store: Store, source: Source = ALL) -> list[Headline]:
    """The first `WINDOW` rows of a source, fast (no full id list)."""
    return store.headlines(replace(source.query(), limit=WINDOW))


def read_first_view(store: Store) -> FirstView:
    """Where the store is, the newest headlines, then the counts."""
    mark = store.change_mark()
    return FirstView(newest(store), feed_counts(store), mark)


def start_first_view(store: Store) -> Future[FirstView]:
    """Read the first view in a thread of its own; its result (or error) in the future.

    SQLite lets go of the GIL for each row it steps to, and a thread that wants it back
    waits for the main thread's switch interval (5 ms) while that one imports: 120 rows and
    a few hundred feeds took longer than all of Textual's import. Until the view is read, the
    interval is a tenth of that; the import pays a few switches."""
    future: Future[FirstView] = Future()
    sys.setswitchinterval(min(NORMAL, HANDOFF))

    def run() -> None:
        try:
            future.set_result(read_first_view(store))
        except BaseException as exc:  # read again later, the usual way (loaders.first_view)
            future.set_exception(exc)
        finally:
            sys.setswitchinterval(NORMAL)

    threading.Thread(target=run, name="tidings-first-view", daemon=True).start()
    return future
