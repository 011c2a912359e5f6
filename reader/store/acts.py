"""A person's own acts on the store: subscribing, unsubscribing, renaming and tagging feeds,
read marks and bookmarks. Each act is one durable transaction (synchronous=FULL: it survives a
power cut) that, in the same transaction, says what it changed for readers open in other
processes (changes.py) and queues the act for the sync server (syncsql.py), so neither can be
lost or half-done. store.db.Store has these methods."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from reader.models import Feed, ItemQuery
from reader.store import bookmarks as marksql
from reader.store import changes, syncsql
from reader.store import feeds as feedsql
from reader.store import items as itemsql
from reader.store.transactions import Transactions


def _set_read(conn: sqlite3.Connection, ids: Sequence[int], read: bool) -> int:
    cur = conn.executemany(
        "UPDATE items SET read = ? WHERE id = ? AND read != ?",
        [(int(read), i, int(read)) for i in ids],
    )
    syncsql.queue_items(conn, ids, "read", read)
    changes.bump(conn, "read")
    return cur.rowcount


class Acts(Transactions):
    """The acts (a base of store.db.Store)."""

    def add_feed(
        self,
        url: str,
        *,
        title: str = "",
        tags: Iterable[str] = (),
        site_url: str = "",
        chosen: bool = False,
    ) -> tuple[Feed, bool]:
        """Subscribe to `url` (tags are added to any it has); returns (feed, newly_added).
        `title` is the feed's own title, or with `chosen` the one the person gave it (an
        import's, kept across refreshes: see feeds.subscribe)."""
        with self.transaction(durable=True) as conn:
            feed_id, created = feedsql.subscribe(conn, url, title, tags, site_url, chosen)
            if created:
                syncsql.queue_feed(conn, url, "subscribed", "1")
            changes.bump(conn, "feeds")
            return feedsql.select(conn, "id = ?", (feed_id,))[0], created

    def remove_feed(self, url: str) -> int | None:
        """Unsubscribe; returns how many bookmarked items were kept (None: not subscribed).

        Unbookmarked items go; bookmarked ones stay readable under the old feed's name.
        """
        with self.transaction(durable=True) as conn:
            changes.bump(conn, *changes.KINDS)
            kept = feedsql.unsubscribe(conn, url)
            if kept is not None:
                syncsql.queue_feed(conn, url, "subscribed", "0")
            return kept

    def rename_feed(self, url: str, title: str) -> Feed | None:
        """Give the subscribed feed at `url` the title `title`, kept across refreshes ("":
        back to the feed's own title); None when not subscribed."""
        with self.transaction(durable=True) as conn:
            feed_id = feedsql.rename(conn, url, title)
            if feed_id is None:
                return None
            syncsql.queue_feed(conn, url, "title")
            changes.bump(conn, "feeds")
            return feedsql.select(conn, "id = ?", (feed_id,))[0]

    def set_tags(self, feed_id: int, tags: Iterable[str]) -> None:
        """Replace a feed's tags."""
        with self.transaction(durable=True) as conn:
            conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            feedsql.add_tags(conn, feed_id, tags)
            syncsql.queue_feed_id(conn, feed_id, "tags")
            changes.bump(conn, "feeds")

    def set_feed_full_text(self, feed_id: int, on: bool = True) -> None:
        """Fetch (or stop fetching) the full text of this feed's new items."""
        with self.transaction(durable=True) as conn:
            conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(on), feed_id))
            changes.bump(conn, "feeds")

    def set_read(self, item_ids: Iterable[int], read: bool = True) -> int:
        """Mark items read or unread; returns how many changed. Synced items queue the act
        for the server in the same transaction (even when unchanged here: the server may differ)."""
        ids = list(item_ids)
        with self.transaction(durable=True) as conn:
            return _set_read(conn, ids, read)

    def mark_all_read(self, query: ItemQuery, read: bool = True) -> int:
        """Mark every item matching `query` read (e.g. a whole feed), or unread; returns how
        many changed. The items are chosen inside the transaction that marks them."""
        with self.transaction(durable=True) as conn:
            return _set_read(conn, itemsql.select_ids(conn, query), read)

    def set_bookmarked(self, item_id: int, bookmarked: bool = True) -> bool:
        """Bookmark or unbookmark an item; False when there is no such item."""
        with self.transaction(durable=True) as conn:
            cur = conn.execute(
                "UPDATE items SET bookmarked = ? WHERE id = ?", (int(bookmarked), item_id)
            )
            syncsql.queue_items(conn, [item_id], "starred", bookmarked)
            changes.bump(conn, "bookmarks")
            return cur.rowcount > 0

    def set_item_tags(self, item_id: int, tags: Iterable[str]) -> bool:
        """Replace an item's own tags (bookmark tags); False when there is no such item."""
        with self.transaction(durable=True) as conn:
            changes.bump(conn, "bookmarks")
            return marksql.set_item_tags(conn, item_id, tags)
