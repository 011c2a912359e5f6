"""A small newsboat cache.db with newsboat 2.21's schema, for import tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = (
    "CREATE TABLE rss_feed (  rssurl VARCHAR(1024) PRIMARY KEY NOT NULL,  url VARCHAR(1024) NOT NULL,"
    "  title VARCHAR(1024) NOT NULL , lastmodified INTEGER(11) NOT NULL DEFAULT 0,"
    ' is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "")',
    "CREATE TABLE rss_item (  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,  guid VARCHAR(64) NOT NULL,"
    "  title VARCHAR(1024) NOT NULL,  author VARCHAR(1024) NOT NULL,  url VARCHAR(1024) NOT NULL,"
    "  feedurl VARCHAR(1024) NOT NULL,  pubDate INTEGER NOT NULL,  content VARCHAR(65535) NOT NULL,"
    " unread INTEGER(1) NOT NULL , enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),"
    " enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,"
    ' base VARCHAR(128) NOT NULL DEFAULT "")',
    "CREATE INDEX idx_feedurl ON rss_item(feedurl)",
    "CREATE INDEX idx_deleted ON rss_item(deleted)",
)


def make_cache(path: Path, feeds: dict[str, str], items: list[tuple[object, ...]]) -> Path:
    """feeds: url -> title; items: (guid, title, url, feedurl, pubDate, content, unread, flags, deleted)."""
    conn = sqlite3.connect(path)
    for sql in SCHEMA:
        conn.execute(sql)
    conn.executemany(
        "INSERT INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)",
        [(u, u.rsplit("/", 1)[0] + "/", t) for u, t in feeds.items()],
    )
    conn.executemany(
        "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, flags,"
        " deleted) VALUES (?, ?, 'someone', ?, ?, ?, ?, ?, ?, ?)",
        items,
    )
    conn.commit()
    conn.close()
    return path
