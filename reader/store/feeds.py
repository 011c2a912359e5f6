"""Feed records on an open connection (used by store.db.Store): subscribing, tags, and what a
refresh writes about a feed (its fetch status, errors, moves)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence

from reader.models import Feed, ParsedFeed
from reader.store.bookmarks import clean_tags
from reader.textnorm import normalize

FEED_COLUMNS = (
    "id, url, title, site_url, etag, last_modified, last_checked, last_ok, last_error,"
    " error_streak, http_status, retry_after, gone, added, full_text, own_title, title_chosen,"
    " (SELECT group_concat(tag, char(31)) FROM"
    "  (SELECT tag FROM feed_tags t WHERE t.feed_id = feeds.id ORDER BY tag)) AS tags"
)


def row_to_feed(row: sqlite3.Row) -> Feed:
    """A feeds row (selected with FEED_COLUMNS) as a Feed."""
    tags = tuple(row["tags"].split("\x1f")) if row["tags"] else ()
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        tags=tags,
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_checked=row["last_checked"],
        last_ok=row["last_ok"],
        last_error=row["last_error"],
        error_streak=row["error_streak"],
        http_status=row["http_status"],
        retry_after=row["retry_after"],
        gone=bool(row["gone"]),
        added=row["added"],
        full_text=bool(row["full_text"]),
        own_title=row["own_title"],
        title_chosen=bool(row["title_chosen"]),
    )


def select(conn: sqlite3.Connection, where: str, args: Sequence[object] = ()) -> list[Feed]:
    """Feeds matching a WHERE clause (a constant fragment; values are bound)."""
    rows = conn.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE {where}", args).fetchall()
    return [row_to_feed(r) for r in rows]


def subscribe(
    conn: sqlite3.Connection,
    url: str,
    title: str,
    tags: Iterable[str],
    site_url: str,
    chosen: bool = False,
) -> tuple[int, bool]:
    """Subscribe to `url` (tags are added to any it has); returns (feed id, newly added).

    Titles: `title` is what shows. A `chosen` one (a rename, an import's) replaces it and is
    kept across refreshes; the feed's own title (`own_title`: a page's link title here, the
    channel's on each fetch) shows only while none was chosen."""
    title = normalize(" ".join(title.split()))
    chosen = chosen and bool(title)
    row = conn.execute("SELECT id, subscribed FROM feeds WHERE url = ?", (url,)).fetchone()
    created = row is None or not row["subscribed"]
    if row is None:
        feed_id = conn.execute(
            "INSERT INTO feeds (url, title, own_title, title_chosen, site_url, added)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (url, title, "" if chosen else title, int(chosen), site_url, int(time.time())),
        ).lastrowid
    else:
        feed_id = row["id"]
        conn.execute("UPDATE feeds SET subscribed = 1 WHERE id = ?", (feed_id,))
        if chosen:
            conn.execute("UPDATE feeds SET title = ?, title_chosen = 1 WHERE id = ?",
                         (title, feed_id))  # fmt: skip
        elif title:
            conn.execute(
                "UPDATE feeds SET own_title = ?,"
                " title = CASE WHEN title_chosen THEN title ELSE ? END WHERE id = ?",
                (title, title, feed_id),
            )
    add_tags(conn, int(feed_id or 0), tags)
    return int(feed_id or 0), created


def rename(conn: sqlite3.Connection, url: str, title: str) -> int | None:
    """Give the subscribed feed at `url` a chosen title ("": its own title again); returns
    its id (None: not subscribed)."""
    row = conn.execute("SELECT id FROM feeds WHERE url = ? AND subscribed = 1", (url,)).fetchone()
    if row is None:
        return None
    title = normalize(" ".join(title.split()))
    if title:
        conn.execute("UPDATE feeds SET title = ?, title_chosen = 1 WHERE id = ?", (title, row[0]))
    else:
        conn.execute("UPDATE feeds SET title = own_title, title_chosen = 0 WHERE id = ?", (row[0],))
    return int(row[0])


def add_tags(conn: sqlite3.Connection, feed_id: int, tags: Iterable[str]) -> None:
    """Give a feed these tags too (cleaned: one line each, no \\x1f, the tags' separator)."""
    conn.executemany(
        "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
        [(feed_id, t) for t in clean_tags(tags)],
    )


def unsubscribe(conn: sqlite3.Connection, url: str) -> int | None:
    """Drop a subscription and its unbookmarked items; the bookmarked ones stay under the old
    feed's name. Returns how many were kept (None: not subscribed)."""
    row = conn.execute("SELECT id FROM feeds WHERE url = ? AND subscribed = 1", (url,)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM items WHERE feed_id = ? AND bookmarked = 0", (row["id"],))
    kept = conn.execute("SELECT count(*) FROM items WHERE feed_id = ?", (row["id"],)).fetchone()[0]
    if kept:
        conn.execute("UPDATE feeds SET subscribed = 0 WHERE id = ?", (row["id"],))
    else:
        conn.execute("DELETE FROM feeds WHERE id = ?", (row["id"],))
    return int(kept)


def fetched(
    conn: sqlite3.Connection,
    feed_id: int,
    parsed: ParsedFeed,
    meta: tuple[str, str, int],
    now: int,
) -> None:
    """A successful fetch: the channel's title and site, validators (etag, last_modified) and
    status from `meta`, the parser's warning as the last error, the error streak cleared. The
    channel's title is the feed's own; it shows unless the person chose another."""
    etag, last_modified, status = meta
    conn.execute(
        "UPDATE feeds SET own_title = CASE WHEN ? != '' THEN ? ELSE own_title END,"
        " title = CASE WHEN title_chosen OR ? = '' THEN title ELSE ? END,"
        " site_url = CASE WHEN ? != '' THEN ? ELSE site_url END,"
        " etag = ?, last_modified = ?, last_checked = ?, last_ok = ?,"
        " last_error = ?, error_streak = 0, http_status = ?, retry_after = NULL,"
        " gone = 0 WHERE id = ?",
        (*[parsed.title] * 4, parsed.site_url, parsed.site_url, etag,
         last_modified, now, now, parsed.warning, status, feed_id),
    )  # fmt: skip


def not_modified(conn: sqlite3.Connection, feed_ids: Sequence[int], now: int) -> None:
    """304s: the feed answered correctly (nothing new), so it was checked and was ok now;
    its error (and any "gone") clears. The validators and items stay."""
    conn.executemany(
        "UPDATE feeds SET last_checked = ?, last_ok = ?, http_status = 304, error_streak = 0,"
        " last_error = '', retry_after = NULL, gone = 0 WHERE id = ?",
        [(now, now, i) for i in feed_ids],
    )


def failed(
    conn: sqlite3.Connection,
    feed_id: int,
    error: str,
    status: int | None,
    retry_after: int | None,
    gone: bool,
    now: int,
) -> None:
    """A failed fetch or parse: the error, its status and streak; the items are untouched."""
    conn.execute(
        "UPDATE feeds SET last_checked = ?, last_error = ?, http_status = ?,"
        " error_streak = error_streak + 1, retry_after = ?, gone = ? WHERE id = ?",
        (now, error, status, retry_after, int(gone), feed_id),
    )


def move(conn: sqlite3.Connection, feed_id: int, new_url: str) -> bool:
    """A permanent redirect: the new URL (False when it is already another feed)."""
    if conn.execute("SELECT 1 FROM feeds WHERE url = ?", (new_url,)).fetchone():
        return False
    conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))
    return True
