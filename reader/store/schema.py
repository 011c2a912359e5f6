"""The store's schema as numbered migrations (PRAGMA user_version counts the applied ones).

Item texts live in their own table so that the headline table stays small: a list of 250,000
headlines then reads a few MB of pages, not every article body.
"""

from __future__ import annotations

APPLICATION_ID = 0x7469_646E  # "tidn"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: feeds, tags, items and their texts
    (
        """CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            site_url TEXT NOT NULL DEFAULT '',
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            last_checked INTEGER,
            last_ok INTEGER,
            last_error TEXT NOT NULL DEFAULT '',
            error_streak INTEGER NOT NULL DEFAULT 0,
            http_status INTEGER,
            retry_after INTEGER,
            gone INTEGER NOT NULL DEFAULT 0,
            subscribed INTEGER NOT NULL DEFAULT 1,
            added INTEGER NOT NULL
        )""",
        """CREATE TABLE feed_tags (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (feed_id, tag)
        ) WITHOUT ROWID""",
        "CREATE INDEX feed_tags_tag ON feed_tags(tag)",
        """CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            hash TEXT NOT NULL,
            published INTEGER NOT NULL,
            updated INTEGER,
            first_seen INTEGER NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            bookmarked INTEGER NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            UNIQUE (feed_id, key)
        )""",
        """CREATE TABLE item_texts (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            summary TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            content_type TEXT NOT NULL DEFAULT 'html',
            full_text TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX items_date ON items(published DESC, id DESC)",
        "CREATE INDEX items_feed_date ON items(feed_id, published DESC, id DESC)",
        "CREATE INDEX items_unread ON items(published DESC, id DESC) WHERE read = 0",
        "CREATE INDEX items_bookmarked ON items(published DESC, id DESC) WHERE bookmarked = 1",
    ),
)

LATEST = len(MIGRATIONS)
