"""Work that needs the network or takes a while, for worker threads: full text, subscribing,
importing, the demo feeds, the digest. Each returns the message the screen shows it with.

Coroutines run on an event loop of their own in the worker thread (`AsyncJob`), cancellable
from the UI thread: quitting never waits for a slow server. Nothing here touches a widget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Generic, TypeVar

from reader.config import Config
from reader.errors import ReaderError
from reader.models import ItemQuery
from reader.store.db import Store
from reader.textsafe import one_line
from reader.ui.messages import DigestLoaded, FullTextDone, ItemsChanged, Subscribed
from reader.ui.words import plural

T = TypeVar("T")
LATEST = 50  # stories in a digest of the latest unread (when nothing is new today)


class AsyncJob(Generic[T]):
    """A coroutine run to completion by `run` (in a worker thread); `cancel` from anywhere."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self.make = make
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[T] | None = None
        self._cancelled = False

    def run(self) -> T:
        """Run the coroutine; raises asyncio.CancelledError once cancelled."""
        return asyncio.run(self._main())

    async def _main(self) -> T:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.ensure_future(self.make())
        if self._cancelled:
            self._task.cancel()
        return await self._task

    def cancel(self) -> None:
        """Stop soon (what was stored stays stored)."""
        self._cancelled = True
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)


async def full_text(
    config: Config, store: Store, item_id: int, *, force: bool = False, bookmark: bool = False
) -> FullTextDone:
    """Fetch, extract and store an item's full story (`force`: again, though stored)."""
    from reader.fulltext import FullText
    from reader.ui.context import start_process_helpers

    start_process_helpers()  # extraction runs in worker processes (see context.py)
    async with FullText(config, store) as full:
        result = await full.fetch(item_id, force=force)
    return FullTextDone(item_id, result.ok, one_line(result.error), bookmark)


def bookmark(store: Store, item_id: int, on: bool, fetch: bool) -> ItemsChanged:
    """Bookmark (or unbookmark) an item; a new bookmark with a link but no full text yet
    wants it fetched (when `fetch`)."""
    store.set_bookmarked(item_id, on)
    rows = store.headlines_for([item_id])
    wanted = False
    if on and fetch:
        item = store.item(item_id)
        wanted = item is not None and bool(item.link) and not item.full_text
    note = "Bookmarked" if on else "Bookmark removed"
    if wanted:
        note += " · fetching the full story for offline reading"
    return ItemsChanged(rows, note, full_text_for=item_id if wanted else None)


async def add_feed(config: Config, store: Store, url: str, pick: int | None = None) -> Subscribed:
    """Subscribe to `url` (a feed, or a page whose feeds are found) and fetch it once."""
    from reader.service import Service
    from reader.subscribe import Choose, add
    from reader.ui.context import start_process_helpers

    start_process_helpers()
    try:
        added = await add(Service(config, store), url, pick=pick)
    except Choose as exc:
        return Subscribed(candidates=exc.candidates, url=url)
    except ReaderError as exc:
        return Subscribed(error=one_line(str(exc)))
    note = f"Subscribed to {one_line(added.title) or one_line(added.url)}"
    result = added.result
    if result is not None and result.error:
        note += f" (its first fetch failed: {one_line(result.error)})"
    elif result is not None:
        note += f" · {plural(result.new_items, 'story')}"
    return Subscribed(note=note, feed_url=added.url)


def import_subscriptions(store: Store, typed: str) -> Subscribed:
    """Subscribe to the feeds of an OPML or newsboat urls file (then refresh them)."""
    from reader.subscribe import import_file

    path = Path(typed.strip()).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Subscribed(error=f"{one_line(str(path))}: {exc.strerror or exc}")
    try:
        done = import_file(store, data, source=path.name)
    except ReaderError as exc:
        return Subscribed(error=one_line(str(exc)))
    if not done.total:
        return Subscribed(error=f"{one_line(path.name)}: no feeds in it")
    warned = f" ({len(done.warnings)} lines skipped)" if done.warnings else ""
    return Subscribed(note=f"Imported {done.added:,} of {done.total:,} feeds{warned}", refresh=True)


def demo_feeds(store: Store) -> Subscribed:
    """Store the bundled demo feeds (offline samples)."""
    from reader.demo import load_demo

    count = load_demo(store)
    return Subscribed(note=f"Added the demo feeds: {plural(count, 'story')}")


def digest(
    store: Store, config: Config, query: ItemQuery | None, since: int | None, scope: str
) -> DigestLoaded:
    """The digest of unread stories (`since`: today's start, or None for a feed or tag).
    Nothing unread today: the latest unread stories instead (the scope says so)."""
    from reader.digest import digest as build

    groups = build(store, query, since=since, config=config.summary)
    if not groups and since is not None:
        groups = build(store, query, since=None, config=config.summary, limit=LATEST)
        scope = "nothing new today: the latest unread"
    return DigestLoaded(groups, scope)
