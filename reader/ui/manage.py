"""Managing subscriptions and bulk read marks from the reader, as blocking functions for worker
threads that return the message the screen shows the outcome with (nothing here touches a
widget). Subscribing and importing are in jobs.py (they fetch)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reader.models import Feed
from reader.store.db import Store
from reader.textsafe import one_line
from reader.ui.messages import FeedsChanged, ItemsChanged, MarksCounted, Notice
from reader.ui.sources import Source
from reader.ui.words import plural

SEARCH_PAGE = 1000  # hits read at a time when a bulk mark collects every hit of a search


def remove_feed(store: Store, feed: Feed) -> FeedsChanged:
    """Unsubscribe; bookmarked stories stay (under the feed's old name)."""
    kept = store.remove_feed(feed.url)
    name = one_line(feed.name)
    if kept is None:
        return FeedsChanged(f"{name} was not subscribed any more")
    note = f" · kept {plural(kept, 'bookmarked story')}" if kept else ""
    return FeedsChanged(f"Removed {name}{note}")


def rename_feed(store: Store, feed: Feed, title: str) -> FeedsChanged:
    """Give a feed a title of one's own, kept across refreshes ("": its own title again)."""
    renamed = store.rename_feed(feed.url, title)
    if renamed is None:
        return FeedsChanged(f"{one_line(feed.name)} is not subscribed any more")
    if not renamed.title_chosen:
        return FeedsChanged(f"Back to the feed's own title: {one_line(renamed.name)}")
    return FeedsChanged(f"Renamed to {one_line(renamed.name)}")


def set_feed_tags(store: Store, feed: Feed, tags: Sequence[str]) -> FeedsChanged:
    """Replace a feed's tags."""
    store.set_tags(feed.id, tags)
    shown = ", ".join(one_line(t) for t in tags) or "none"
    return FeedsChanged(f"Tags of {one_line(feed.name)}: {shown}")


def export_feeds(store: Store, typed: str) -> Notice:
    """Write every subscription as OPML 2.0 to the file typed."""
    from reader.subscribe import export_opml

    path = Path(typed.strip()).expanduser()
    text = export_opml(store)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OSError(f"{path}: {exc.strerror or exc}") from None
    return Notice(f"Exported {plural(len(store.feeds()), 'feed')} to {one_line(str(path))}")


def unread_ids(store: Store, source: Source, label: str) -> MarksCounted:
    """The unread stories of a source (of a search: of every hit, not only those listed)."""
    if not source.is_search:
        ids = list(store.item_ids(replace(source.query(), unread=True)))
        return MarksCounted(ids, label)
    query = f"{source.search} is:unread"
    found: list[int] = []
    offset, total = 0, 1
    while offset < total:
        page = store.search(query, limit=SEARCH_PAGE, offset=offset)
        total = page.total
        found += [h.headline.id for h in page.hits]
        if not page.hits:
            break
        offset += len(page.hits)
    return MarksCounted(list(dict.fromkeys(found)), label)


def mark(store: Store, ids: Sequence[int], read: bool) -> ItemsChanged:
    """Mark stories read (or unread again: an undo); the lists are read again."""
    count = store.set_read(ids, read)
    done = "read" if read else "unread again"
    note = f"Marked {plural(count, 'story')} {done}" + (" · U undoes" if read else "")
    return ItemsChanged([], note, reload=True)
