"""Bookmark tags and full-text bookkeeping on an open connection (used by store.db.Store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence


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
    rows = conn.execute(
        "SELECT tag, count(*) FROM item_tags WHERE item_id NOT IN"
        " (SELECT id FROM items WHERE hidden = 1) GROUP BY tag ORDER BY tag"
    )
    return [(r[0], r[1]) for r in rows]


RETRY_FIRST = 3600  # seconds before a failed page is tried again; doubled each time
RETRY_MOST = 7 * 86400


def wanting_full_text(
    conn: sqlite3.Connection,
    *,
    bookmarks: bool,
    feed_urls: Iterable[str],
    since: int,
    limit: int,
    now: int,
) -> list[int]:
    """Items with a link and no full text yet that should have it, newest first: bookmarks
    (when `bookmarks`), and items first seen since `since` in feeds marked for full text or
    listed in `feed_urls`; not those whose page failed and waits to be tried again."""
    urls = list(feed_urls)
    marks = ",".join("?" * len(urls)) or "NULL"
    rows = conn.execute(
        "SELECT i.id FROM items i JOIN item_texts t ON t.item_id = i.id WHERE i.id IN ("
        " SELECT id FROM items WHERE ? AND bookmarked = 1 UNION"
        " SELECT id FROM items WHERE first_seen >= ? AND feed_id IN"
        f" (SELECT id FROM feeds WHERE full_text = 1 OR url IN ({marks})))"
        " AND i.link != '' AND t.full_text = ''"
        " AND i.id NOT IN (SELECT item_id FROM full_text_failures WHERE retry_after > ?)"
        " ORDER BY i.bookmarked DESC, i.published DESC, i.id DESC LIMIT ?",
        (int(bookmarks), since, *urls, now, limit),
    )
    return [r[0] for r in rows]


def full_text_failed(conn: sqlite3.Connection, item_id: int, error: str, now: int) -> int:
    """Note that the item's page failed; returns when it may be tried again (an hour after the
    first failure, then twice as long each time, at most a week)."""
    row = conn.execute(
        "SELECT tries FROM full_text_failures WHERE item_id = ?", (item_id,)
    ).fetchone()
    tries = (int(row[0]) if row else 0) + 1
    retry: int = now + min(RETRY_FIRST * 2 ** min(tries - 1, 20), RETRY_MOST)
    conn.execute(
        "INSERT OR REPLACE INTO full_text_failures (item_id, tries, retry_after, error)"
        " SELECT id, ?, ?, ? FROM items WHERE id = ?",
        (tries, retry, error[:500], item_id),
    )
    return retry


def set_full_text(conn: sqlite3.Connection, item_id: int, text: str) -> None:
    """Store an item's extracted full text (and forget that its page ever failed)."""
    conn.execute("UPDATE item_texts SET full_text = ? WHERE item_id = ?", (text, item_id))
    conn.execute("DELETE FROM full_text_failures WHERE item_id = ?", (item_id,))


SAVED_PAGES = "tidings:saved-pages"  # the source of saved pages: a feed never subscribed


def saved_pages_feed(conn: sqlite3.Connection, now: int) -> int:
    """The id of the "Saved pages" source, made on first use (never subscribed: never
    refreshed, never in the feed list; its items are bookmarks)."""
    row = conn.execute("SELECT id FROM feeds WHERE url = ?", (SAVED_PAGES,)).fetchone()
    if row is not None:
        return int(row[0])
    cur = conn.execute(
        "INSERT INTO feeds (url, title, subscribed, added) VALUES (?, 'Saved pages', 0, ?)",
        (SAVED_PAGES, now),
    )
    return int(cur.lastrowid or 0)


def add_item_tags(conn: sqlite3.Connection, item_id: int, tags: Iterable[str]) -> None:
    """Add tags to an item's own."""
    conn.executemany(
        "INSERT OR IGNORE INTO item_tags (item_id, tag) VALUES (?, ?)",
        [(item_id, tag) for tag in clean_tags(tags)],
    )


def tags_of(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, list[str]]:
    """The own tags of these items, sorted (items without tags are left out)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = list(item_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT item_id, tag FROM item_tags WHERE item_id IN ({marks}) ORDER BY tag", chunk
        )
        for item_id, tag in rows:
            found.setdefault(item_id, []).append(tag)
    return found
