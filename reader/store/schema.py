"""The store's schema as numbered migrations (PRAGMA user_version counts the applied ones).

Item texts live in their own table so that the headline table stays small: a list of 250,000
headlines then reads a few MB of pages, not every article body.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.errors import StoreError
from reader.store import changes, integrity

APPLICATION_ID = 0x7469_646E  # "tidn"

# Search (migration 3, see store/search.py). Removing an entry from the contentless index takes
# the very text it was indexed with: the tidings_* SQL functions compute it again from the stored
# columns. Items still in search_pending are not in the index yet and are left alone.
_INDEXED = "NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.item_id = {item}.id)"
_UNINDEX = """INSERT INTO search (search, rowid, title, author, body, feed)
            SELECT 'delete', {item}.id, tidings_index({item}.title), tidings_index({item}.author),
                tidings_index_body(t.summary, t.content, t.content_type, t.full_text),
                tidings_feed({item}.feed_id)
            FROM (SELECT 1) LEFT JOIN item_texts t ON t.item_id = {item}.id"""
_INDEX = """INSERT INTO search (rowid, title, author, body, feed)
            SELECT {item}.id, tidings_index({item}.title), tidings_index({item}.author),
                tidings_index_body(t.summary, t.content, t.content_type, t.full_text),
                tidings_feed({item}.feed_id)
            FROM (SELECT 1) LEFT JOIN item_texts t ON t.item_id = {item}.id"""
_TEXTS = """INSERT INTO search ({extra}rowid, title, author, body, feed)
            SELECT {verb}i.id, tidings_index(i.title), tidings_index(i.author),
                tidings_index_body({t}.summary, {t}.content, {t}.content_type, {t}.full_text),
                tidings_feed(i.feed_id)
            FROM items i WHERE i.id = {t}.item_id"""

# Search with date keys and initials (the "search by date" migration, store/indexing.py): the
# index's rowid is the item's key in search_keys, and an entry has a fifth column.
_KEY = "(SELECT key FROM search_keys WHERE item_id = {item}.id)"
_ENTRY = """tidings_index({item}.title), tidings_index({item}.author),
                tidings_index_body({t}.summary, {t}.content, {t}.content_type, {t}.full_text),
                tidings_feed({item}.feed_id), tidings_initials({item}.title, {item}.author,
                    {t}.summary, {t}.content, {t}.content_type, {t}.full_text)"""
_COLUMNS = "rowid, title, author, body, feed, initials"
_UNINDEX5 = f"""INSERT INTO search (search, {_COLUMNS})
            SELECT 'delete', {_KEY}, {_ENTRY.replace("{t}", "t")}
            FROM (SELECT 1) LEFT JOIN item_texts t ON t.item_id = {{item}}.id"""
_INDEX5 = f"""INSERT INTO search ({_COLUMNS})
            SELECT {_KEY}, {_ENTRY.replace("{t}", "t")}
            FROM (SELECT 1) LEFT JOIN item_texts t ON t.item_id = {{item}}.id"""
_TEXTS5 = f"""INSERT INTO search ({{extra}}{_COLUMNS})
            SELECT {{verb}}{_KEY.format(item="i")}, {_ENTRY.replace("{item}", "i")}
            FROM items i WHERE i.id = {{t}}.item_id"""

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
    # 2: tags on items (bookmark tags); feeds whose items are fetched in full
    (
        """CREATE TABLE item_tags (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (item_id, tag)
        ) WITHOUT ROWID""",
        "CREATE INDEX item_tags_tag ON item_tags(tag)",
        "ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0",
    ),
    # 3: full-text search (store/search.py): a contentless FTS5 index of the items, the queue
    # of items written but not indexed yet (items.upsert_items fills it: with a trigger per row
    # SQLite keeps statement journals and the refresh's item inserts got 4x slower), the
    # triggers that keep the index in step, and a small index of feed titles. The items already
    # stored are indexed here.
    (
        """CREATE VIRTUAL TABLE search USING fts5(title, author, body, feed, content='',
            tokenize='unicode61 remove_diacritics 2')""",
        "INSERT INTO search (search, rank) VALUES ('rank', 'bm25(8.0, 3.0, 1.0, 2.0)')",
        "CREATE TABLE search_pending (item_id INTEGER PRIMARY KEY)",
        f"""CREATE TRIGGER items_search_delete BEFORE DELETE ON items BEGIN
            {_UNINDEX.format(item="old")} WHERE {_INDEXED.format(item="old")};
            DELETE FROM search_pending WHERE item_id = old.id;
        END""",
        f"""CREATE TRIGGER items_search_update AFTER UPDATE OF title, author ON items
        WHEN (old.title IS NOT new.title OR old.author IS NOT new.author)
            AND {_INDEXED.format(item="new")} BEGIN
            {_UNINDEX.format(item="old")};
            {_INDEX.format(item="new")};
        END""",
        f"""CREATE TRIGGER item_texts_search_update
        AFTER UPDATE OF summary, content, content_type, full_text ON item_texts
        WHEN (old.summary IS NOT new.summary OR old.content IS NOT new.content
            OR old.content_type IS NOT new.content_type OR old.full_text IS NOT new.full_text)
            AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.item_id = new.item_id) BEGIN
            {_TEXTS.format(extra="search, ", verb="'delete', ", t="old")};
            {_TEXTS.format(extra="", verb="", t="new")};
        END""",
        """CREATE VIRTUAL TABLE feed_search USING fts5(title,
            tokenize='unicode61 remove_diacritics 2')""",
        """CREATE TRIGGER feeds_search_insert AFTER INSERT ON feeds BEGIN
            INSERT INTO feed_search (rowid, title) VALUES (new.id, tidings_index(new.title));
        END""",
        """CREATE TRIGGER feeds_search_update AFTER UPDATE OF title ON feeds
        WHEN old.title IS NOT new.title BEGIN
            UPDATE feed_search SET title = tidings_index(new.title) WHERE rowid = new.id;
        END""",
        """CREATE TRIGGER feeds_search_delete AFTER DELETE ON feeds BEGIN
            DELETE FROM feed_search WHERE rowid = old.id;
        END""",
        """INSERT INTO search (rowid, title, author, body, feed)
        SELECT i.id, tidings_index(i.title), tidings_index(i.author),
            tidings_index_body(t.summary, t.content, t.content_type, t.full_text),
            tidings_feed(i.feed_id)
        FROM items i LEFT JOIN item_texts t ON t.item_id = i.id""",
        "INSERT INTO feed_search (rowid, title) SELECT id, tidings_index(title) FROM feeds",
    ),
    # 4: full-text pages that failed (an HTTP error, no article in the page), so that a
    # bookmark's broken page is tried again after a growing pause, not on every refresh
    (
        """CREATE TABLE full_text_failures (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            tries INTEGER NOT NULL,
            retry_after INTEGER NOT NULL,
            error TEXT NOT NULL
        )""",
    ),
    # enclosures: the media files items carry (podcast episodes, videos, images), in document
    # order; items stored before this step get theirs when their feed next sends them (their
    # digest changes: see models.item_digest)
    (
        """CREATE TABLE IF NOT EXISTS enclosures (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            url TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT '',
            length INTEGER,
            duration INTEGER,
            PRIMARY KEY (item_id, position)
        ) WITHOUT ROWID""",
    ),
    # sync with a feed server (store/syncsql.py): which local feed and item each server id
    # is, the acts not yet sent (written in the act's own transaction; the newest act on an
    # item or feed replaces an older one, `seq` orders them), and the account's bookkeeping
    (
        """CREATE TABLE IF NOT EXISTS sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE IF NOT EXISTS sync_feeds (
            feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
            remote TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE IF NOT EXISTS sync_items (
            remote TEXT PRIMARY KEY,
            item_id INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE
        ) WITHOUT ROWID""",
        """CREATE TABLE IF NOT EXISTS sync_acts (
            remote TEXT NOT NULL,
            attr TEXT NOT NULL,
            value INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (remote, attr)
        ) WITHOUT ROWID""",
        """CREATE TABLE IF NOT EXISTS sync_feed_acts (
            url TEXT NOT NULL,
            attr TEXT NOT NULL,
            value TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (url, attr)
        ) WITHOUT ROWID""",
    ),
    # what each write changed, for readers open in other processes (store/changes.py)
    changes.MIGRATION,
    # titles a person chose (a rename, an import's) are kept across refreshes: `title` is what
    # shows, `own_title` the feed's own (from its channel), `title_chosen` which one `title` is
    # (store/feeds.py)
    (
        "ALTER TABLE feeds ADD COLUMN own_title TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE feeds ADD COLUMN title_chosen INTEGER NOT NULL DEFAULT 0",
        "UPDATE feeds SET own_title = title",
    ),
    # search by date (store/indexing.py): the index's rowids become date keys (kept in
    # search_keys), so that the newest matches of any query are the first ones it walks; and
    # a column of initials finds one-letter prefixes and single CJK characters with one term.
    # The index is rebuilt: every item is queued and indexed again by Store.index_pending
    # (the reader's first search, or `tidings refresh`).
    (
        "DROP TRIGGER items_search_delete",
        "DROP TRIGGER items_search_update",
        "DROP TRIGGER item_texts_search_update",
        "DROP TABLE search",
        """CREATE VIRTUAL TABLE search USING fts5(title, author, body, feed, initials,
            content='', tokenize='unicode61 remove_diacritics 2')""",
        "INSERT INTO search (search, rank) VALUES ('rank', 'bm25(8.0, 3.0, 1.0, 2.0, 0.0)')",
        "CREATE TABLE search_keys (key INTEGER PRIMARY KEY, item_id INTEGER NOT NULL UNIQUE)",
        "INSERT OR IGNORE INTO search_pending (item_id) SELECT id FROM items",
        f"""CREATE TRIGGER items_search_delete BEFORE DELETE ON items BEGIN
            {_UNINDEX5.format(item="old")} WHERE {_INDEXED.format(item="old")};
            DELETE FROM search_keys WHERE item_id = old.id;
            DELETE FROM search_pending WHERE item_id = old.id;
        END""",
        f"""CREATE TRIGGER items_search_update AFTER UPDATE OF title, author ON items
        WHEN (old.title IS NOT new.title OR old.author IS NOT new.author)
            AND {_INDEXED.format(item="new")} BEGIN
            {_UNINDEX5.format(item="old")};
            {_INDEX5.format(item="new")};
        END""",
        f"""CREATE TRIGGER item_texts_search_update
        AFTER UPDATE OF summary, content, content_type, full_text ON item_texts
        WHEN (old.summary IS NOT new.summary OR old.content IS NOT new.content
            OR old.content_type IS NOT new.content_type OR old.full_text IS NOT new.full_text)
            AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.item_id = new.item_id) BEGIN
            {_TEXTS5.format(extra="search, ", verb="'delete', ", t="old")};
            {_TEXTS5.format(extra="", verb="", t="new")};
        END""",
    ),
    # unread counts per feed from an index of the unread items alone: the feed pane's counts
    # at start-up were a scan of every item (0.6 s at 250,000), now a walk of this index
    ("CREATE INDEX IF NOT EXISTS items_unread_feed ON items(feed_id) WHERE read = 0",),
    # hidden items (a rule's `hide`: out of every list and count, found by is:hidden). The
    # indexes that lists and counts walk leave hidden items out, so that they stay covering.
    (
        "ALTER TABLE items ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX items_hidden ON items(id) WHERE hidden = 1",
        "DROP INDEX items_date",
        "CREATE INDEX items_date ON items(published DESC, id DESC) WHERE hidden = 0",
        "DROP INDEX items_unread",
        """CREATE INDEX items_unread ON items(published DESC, id DESC)
            WHERE read = 0 AND hidden = 0""",
        "DROP INDEX IF EXISTS items_unread_feed",
        "CREATE INDEX items_unread_feed ON items(feed_id) WHERE read = 0 AND hidden = 0",
    ),
    # downloads of enclosures (reader/downloads.py): the queue, what finished where (a path
    # relative to [enclosures] dir), what failed and why; `auto` when [enclosures] auto queued it
    (
        """CREATE TABLE downloads (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            path TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued',
            size INTEGER NOT NULL DEFAULT 0,
            total INTEGER,
            error TEXT NOT NULL DEFAULT '',
            auto INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL,
            finished INTEGER,
            PRIMARY KEY (item_id, url)
        ) WITHOUT ROWID""",
        "CREATE UNIQUE INDEX downloads_path ON downloads(path)",
    ),
    # the index's body text became the text the reader shows (searchtext.shown_text: no
    # noscript, template, hidden elements or attribute values); the old entries cannot be
    # removed one by one (the old text is gone), so the index and its date keys are emptied and
    # every item queued: Store.index_pending indexes them a chunk per transaction, before a
    # search or after a refresh, so opening the store stays instant however large it is
    (
        "INSERT INTO search (search) VALUES ('delete-all')",
        "DELETE FROM search_keys",
        "INSERT OR IGNORE INTO search_pending (item_id) SELECT id FROM items",
    ),
    # the parsers keep more of an item than when much of what is stored was read: enclosures
    # (items stored before the enclosures step have none, and a feed that answers 304 is never
    # parsed again), relative enclosure URLs resolved, no Flash embeds, a podcast's HTML
    # description over its plain itunes:summary. Every feed's validators are cleared, so its
    # next refresh reads it in full once: the items it still sends are rewritten in place
    # (same key, so read, bookmark, tags and first-seen stay and nothing comes back as new)
    ("UPDATE feeds SET etag = '', last_modified = ''",),
    # search for any query (store/indexing.py, store/search.py): initials for two- and
    # three-letter prefixes, so st* and the* are one term; search_keys with each item's feed
    # and published time, so filters are checked beside the key (no read of the items), and
    # search_spill, so before: is a range of keys. The index is rebuilt as by "search by date":
    # every item is queued (the triggers of that step stay: they name these tables).
    (
        "DROP TABLE search",
        "DROP TABLE search_keys",
        """CREATE VIRTUAL TABLE search USING fts5(title, author, body, feed, initials,
            content='', tokenize='unicode61 remove_diacritics 2')""",
        "INSERT INTO search (search, rank) VALUES ('rank', 'bm25(8.0, 3.0, 1.0, 2.0, 0.0)')",
        """CREATE TABLE search_keys (key INTEGER PRIMARY KEY, item_id INTEGER NOT NULL UNIQUE,
            feed_id INTEGER NOT NULL, published INTEGER NOT NULL)""",
        "DROP TABLE IF EXISTS search_spill",
        "CREATE TABLE search_spill (seconds INTEGER NOT NULL)",
        "INSERT INTO search_spill (seconds) VALUES (0)",
        "INSERT OR IGNORE INTO search_pending (item_id) SELECT id FROM items",
    ),
    # the title a sync server last gave each synced feed (store/syncsql.py): a title chosen
    # here is kept at the next pull unless the server's changed since (renamed there)
    (
        """CREATE TABLE IF NOT EXISTS sync_titles (
            feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
            title TEXT NOT NULL
        )""",
    ),
    # what identified a download's partial file on the server (its ETag or Last-Modified), sent
    # as If-Range when it resumes: a file changed since comes whole (reader/downloads.py); a
    # table of its own, so the step can run again on a store set back to an earlier version
    (
        """CREATE TABLE IF NOT EXISTS download_validators (
            item_id INTEGER NOT NULL,
            url TEXT NOT NULL,
            validator TEXT NOT NULL,
            PRIMARY KEY (item_id, url),
            FOREIGN KEY (item_id, url) REFERENCES downloads(item_id, url) ON DELETE CASCADE
        ) WITHOUT ROWID""",
    ),
)

LATEST = len(MIGRATIONS)


def version_to_upgrade(conn: sqlite3.Connection, path: Path, *, migrate: bool) -> int | None:
    """Check the opened database's schema version: None when it is current, else the version
    to upgrade from (the journal is switched to WAL first). A newer schema, a damaged file, or
    an old one opened read-only is refused with StoreError, the file untouched."""
    with integrity.errors(path, "open the database"):
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST:
        raise StoreError(
            f"{path}: written by a newer tidings (schema {version}; this one knows"
            f" up to {LATEST}); upgrade tidings, the database is left untouched"
        )
    integrity.probe(conn, path)  # before anything is written
    if version == LATEST:
        if migrate:
            conn.execute("PRAGMA journal_mode = WAL")
        return None
    if not migrate:
        raise StoreError(f"{path}: needs an upgrade; run any writing command first")
    if version == 0:
        # 16 KiB pages: article texts of a few KB fit several to a page; a bulk refresh
        # writes ~25% faster and the file is ~20% smaller than with 4 KiB pages.
        conn.execute("PRAGMA page_size = 16384")
    conn.execute("PRAGMA journal_mode = WAL")
    return version


def upgrade(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Apply the migrations after `version`; the caller holds the one transaction."""
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError(f"{path}: not a tidings database (it already has tables)")
    for number, statements in enumerate(MIGRATIONS[version:], version + 1):
        try:
            for sql in statements:
                conn.execute(sql)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{path}: upgrade to schema {number} failed ({exc}); the database is unchanged"
            ) from None
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {LATEST}")
