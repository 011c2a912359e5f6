"""Bookmark tags and full-text bookkeeping on an open connection (used by store.db.Store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: stripped, one line, no empties or repeats, in the order given."""
    return list(dict.fromkeys(t for t in (" ".join(tag.split()) for tag in tags) if t))


def set_item_tags(conn: sqlite3.Connection, item_id: int, tags: Iterable[str]) -> bool:
    """Replace an item's tags; False when there is no such item."""
    if conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
        return False
    conn.execute("DELETE FROM item_tags WHERE item_id = ?", (item_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO item_tags (item_id, tag) VALUES (?, ?)",
        [(item_id, tag) for tag in clean_tags(tags)],
    )
    return True


def tag_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every item tag in use with how many items carry it, by name."""
    rows = conn.execute("SELECT tag, count(*) FROM item_tags GROUP BY tag ORDER BY tag")
    return [(r[0], r[1]) for r in rows]


def wanting_full_text(
    conn: sqlite3.Connection, *, bookmarks: bool, feed_urls: Iterable[str], since: int, limit: int
) -> list[int]:
    """Items with a link and no full text yet that should have it, newest first: bookmarks
    (when `bookmarks`), and items first seen since `since` in feeds marked for full text or
    listed in `feed_urls`."""
    urls = list(feed_urls)
    marks = ",".join("?" * len(urls)) or "NULL"
    rows = conn.execute(
        "SELECT i.id FROM items i JOIN item_texts t ON t.item_id = i.id WHERE i.id IN ("
        " SELECT id FROM items WHERE ? AND bookmarked = 1 UNION"
        " SELECT id FROM items WHERE first_seen >= ? AND feed_id IN"
        f" (SELECT id FROM feeds WHERE full_text = 1 OR url IN ({marks})))"
        " AND i.link != '' AND t.full_text = ''"
        " ORDER BY i.bookmarked DESC, i.published DESC, i.id DESC LIMIT ?",
        (int(bookmarks), since, *urls, limit),
    )
    return [r[0] for r in rows]
