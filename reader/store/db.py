"""The SQLite store: opening (connect.py), migrations (schema.py), and every read and write the
reader makes, each in its own short transaction (transactions.py: several processes share the
store), which also says what it changed for readers open elsewhere (changes.py); a person's
acts (subscribing, read marks, bookmarks) are in acts.py, its search in searching.py; the
one-refresh lock (lock.py); the SQL of each part lives in feeds.py, items.py, bookmarks.py and
search.py.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Self

from reader.models import (
    Enclosure,
    Feed,
    Headline,
    Item,
    ItemQuery,
    ParsedFeed,
    ParsedItem,
)
from reader.store import bookmarks as marksql
from reader.store import changes, integrity, schema
from reader.store import feeds as feedsql
from reader.store import items as itemsql
from reader.store.acts import Acts
from reader.store.connect import connect
from reader.store.counting import Counter
from reader.store.lock import JobLock
from reader.store.searching import Searching
from reader.store.transactions import WRITE_WAIT

MIGRATION_WAIT = 120.0  # seconds an open waits for another process upgrading a large store

if TYPE_CHECKING:
    from reader.rules import Rule, RuleRun


class Store(Acts, Searching):
    """The open database. Methods are safe to call from any one thread at a time (a lock
    serialises them), so a UI thread and a refresh writer thread can share one Store."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, readonly: bool, write_wait: float
    ) -> None:
        super().__init__(conn, path, readonly=readonly, write_wait=write_wait)
        self._counter = Counter(path)  # counts search matches beside the ranking query
        # inside a batch: the new items of each feed stored in it, indexed at its end
        self._stored: list[tuple[int, list[tuple[int, ParsedItem]]]] | None = None
        # committed by batches that left indexing to index_stored
        self._unindexed: list[tuple[int, list[tuple[int, ParsedItem]]]] = []

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, write_wait: float = WRITE_WAIT) -> Self:
        """Open (creating and migrating when needed) the store at `path`.

        Any number of processes open the same store, for reading and writing alike: each write
        holds SQLite's write lock only for its transaction and waits up to `write_wait` seconds
        for another process's (transactions.py). A read-only store writes nothing, not even a
        migration, and opens where the file or directory is read-only.
        """
        if readonly and not path.exists():
            cls.open(path, write_wait=write_wait).close()
        if not readonly:
            integrity.check_writable(path)
        conn = connect(path, readonly)
        store = cls(conn, path, readonly=readonly, write_wait=write_wait)
        try:
            store._check_version(migrate=not readonly)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection."""
        with self._mutex:
            self._counter.close()
            self._queue.close()
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def only_one(self, job: str) -> JobLock:
        """A lock for work of many transactions that must not run twice at once on this store
        (a refresh): `with store.only_one("refresh"):`, StoreBusy naming the pid running it."""
        return JobLock(self.path, job)

    # ---- what other processes changed (store/changes.py) --------------------------------
    def change_mark(self) -> changes.Mark:
        """Where the store is now: hand it to `changed_since` later."""
        with self._reading() as conn:
            return changes.mark(conn)

    def changed_since(self, mark: changes.Mark) -> tuple[changes.Changes, changes.Mark]:
        """What other processes changed since `mark` (feeds, items, read marks, bookmarks), and
        the mark to ask with next time. Cheap when nothing changed: poll it every few seconds."""
        with self._reading() as conn:
            return changes.since(conn, mark)

    # ---- schema -------------------------------------------------------------------------
    def _check_version(self, *, migrate: bool) -> None:
        if schema.version_to_upgrade(self.conn, self.path, migrate=migrate) is None:
            return
        with self.transaction(durable=True, wait=max(self.write_wait, MIGRATION_WAIT)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < schema.LATEST:  # unless another process upgraded it meanwhile
                schema.upgrade(conn, self.path, version)

    # ---- feeds --------------------------------------------------------------------------
    def feeds(self) -> list[Feed]:
        """Every subscribed feed, in the order they were added."""
        with self._reading() as conn:
            return feedsql.select(conn, "subscribed = 1 ORDER BY id")

    def feed(self, url: str) -> Feed | None:
        """The subscribed feed with this URL, if any."""
        with self._reading() as conn:
            found = feedsql.select(conn, "url = ? AND subscribed = 1", (url,))
        return found[0] if found else None

    def feed_by_id(self, feed_id: int) -> Feed | None:
        """The feed with this id (subscribed or kept for its bookmarks)."""
        with self._reading() as conn:
            found = feedsql.select(conn, "id = ?", (feed_id,))
        return found[0] if found else None

    # ---- refresh results (one transaction per feed) -------------------------------------
    @contextmanager
    def transaction(
        self, *, durable: bool = False, wait: float | None = None
    ) -> Iterator[sqlite3.Connection]:
        """A write transaction (see Transactions.transaction). In a batch, the feeds stored
        inside one that rolls back are forgotten with it (their item ids may be given again).
        The mutex is taken by the transaction itself, not before: a write waiting for another
        process leaves the connection to this process's readers meanwhile."""
        stored: list[tuple[int, list[tuple[int, ParsedItem]]]] | None = None
        mark = 0
        try:
            with super().transaction(durable=durable, wait=wait) as conn:
                stored = self._stored  # this thread's batch, if any (under the mutex now)
                mark = len(stored) if stored is not None else 0
                yield conn
        except BaseException:
            if stored is not None:  # the batch still holds the mutex
                del stored[mark:]
            raise

    @contextmanager
    def batch(self, *, durable: bool = False, index: bool = True) -> Iterator[sqlite3.Connection]:
        """A group commit (see Transactions.batch): the feeds stored in it are savepoints of
        one transaction, and their new items are indexed for search at its end, in the same
        transaction (store/indexing.py). With `index` False they stay queued once it commits,
        for `index_stored` to index many batches' worth at once (FTS5 pays for each commit
        it writes: a refresh's first batches hold a feed or two each)."""
        done: list[tuple[int, list[tuple[int, ParsedItem]]]] | None = None
        with self.transaction(durable=durable) as conn:
            if self._stored is not None:  # a batch inside a batch: the outer one indexes
                yield conn
                return
            stored: list[tuple[int, list[tuple[int, ParsedItem]]]] = []
            self._stored = stored
            try:
                yield conn
                if index:
                    from reader.store import indexing

                    indexing.index_queued(conn, stored)
                else:
                    done = stored
            finally:
                self._stored = None
        if done:  # committed
            with self._mutex:
                self._unindexed.extend(done)

    def unindexed(self) -> int:
        """How many new items batches stored without indexing them (see `index_stored`)."""
        with self._mutex:
            return sum(len(items) for _, items in self._unindexed)

    def index_stored(self) -> int:
        """Index the new items of the batches stored with `index=False`, in one transaction;
        returns how many. Should it fail they stay queued, for `index_pending`."""
        with self._mutex:
            stored, self._unindexed = self._unindexed, []
        if not stored:
            return 0
        from reader.store import indexing

        with self.transaction() as conn:
            return indexing.index_queued(conn, stored)

    def store_parsed(
        self,
        feed_id: int,
        parsed: ParsedFeed,
        *,
        etag: str = "",
        last_modified: str = "",
        status: int = 200,
        max_items: int = 2000,
        keep_days: int = 0,
        now: int | None = None,
        rules: RuleRun | None = None,
    ) -> int:
        """Write one fetched feed (its channel data and items) and apply retention to it
        (`max_items`, `keep_days`: see items.trim_feed); returns the new-item count. New items
        are indexed for search in the same transaction (in a batch: at the batch's end). With
        `rules`, the new items are matched and the rules' actions written in the same
        transaction (store/ruling.py)."""
        from reader.store import indexing

        now = int(time.time()) if now is None else now
        with self.transaction() as conn:
            batching = self._stored is not None
            fresh = itemsql.upsert_items(conn, feed_id, parsed.items, now, queue=batching)
            if not batching:
                indexing.index_new(conn, feed_id, fresh)
            current = {i.key for i in parsed.items}
            gone = itemsql.trim_feed(
                conn, feed_id, max_items, current, keep_days=keep_days, now=now
            )
            feedsql.fetched(conn, feed_id, parsed, (etag, last_modified, status), now)
            if rules is not None and fresh:
                from reader.store import ruling  # the rules' matching: not at start

                ruling.apply_new(conn, rules, feed_id, fresh)
            changes.bump(conn, "feeds", *(("items",) if fresh or gone else ()))
        if batching and self._stored is not None:  # this feed's savepoint is released
            self._stored.append((feed_id, fresh))
        return len(fresh)

    def import_items(
        self,
        feed_id: int,
        items: Sequence[ParsedItem],
        *,
        read_keys: Iterable[str] = (),
        bookmarked_keys: Iterable[str] = (),
        now: int | None = None,
    ) -> int:
        """Store items brought from another reader with their read and bookmark state, without
        touching the feed's fetch status; returns how many were new."""
        now = int(time.time()) if now is None else now
        with self.transaction(durable=True) as conn:
            new = len(itemsql.upsert_items(conn, feed_id, items, now))
            for column, keys in (("read", read_keys), ("bookmarked", bookmarked_keys)):
                conn.executemany(
                    f"UPDATE items SET {column} = 1 WHERE feed_id = ? AND key = ?",
                    [(feed_id, key) for key in keys],
                )
            changes.bump(conn, "items", "read", "bookmarks")
        return new

    def mark_not_modified(self, feed_ids: Sequence[int], now: int | None = None) -> None:
        """Record a 304 for these feeds: checked and ok now (a 304 is a correct answer), the
        error cleared; validators and items unchanged."""
        with self.transaction() as conn:
            feedsql.not_modified(conn, feed_ids, int(time.time()) if now is None else now)
            changes.bump(conn, "feeds")

    def record_failure(
        self,
        feed_id: int,
        error: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        gone: bool = False,
        now: int | None = None,
    ) -> None:
        """Record a failed fetch or parse; the feed's items are left as they were."""
        now = int(time.time()) if now is None else now
        with self.transaction() as conn:
            feedsql.failed(conn, feed_id, error, status, retry_after, gone, now)
            changes.bump(conn, "feeds")

    def move_feed(self, feed_id: int, new_url: str) -> bool:
        """A permanent redirect: store the new URL (False when it is already another feed)."""
        with self.transaction(durable=True) as conn:
            changes.bump(conn, "feeds")
            return feedsql.move(conn, feed_id, new_url)

    # ---- items --------------------------------------------------------------------------
    def headlines(self, query: ItemQuery | None = None) -> list[Headline]:
        """Headlines matching `query`, newest first."""
        with self._reading():
            return itemsql.select_headlines(self.conn, query or ItemQuery())

    def item_ids(self, query: ItemQuery | None = None) -> array[int]:
        """Ids of the matching items in headline order (a compact array: a virtual list holds
        every id and fetches only the rows it shows)."""
        with self._reading():
            return itemsql.select_ids(self.conn, query or ItemQuery())

    def headlines_for(self, ids: Sequence[int]) -> list[Headline]:
        """Headlines of these ids, in the order given."""
        with self._reading():
            return itemsql.headlines_for(self.conn, ids)

    def count(self, query: ItemQuery | None = None) -> int:
        """How many items match `query` (limit and offset ignored)."""
        with self._reading():
            return itemsql.count_items(self.conn, query or ItemQuery())

    def item(self, item_id: int) -> Item | None:
        """One item with its texts."""
        with self._reading():
            return itemsql.get_item(self.conn, item_id)

    def enclosures(self, item_id: int) -> tuple[Enclosure, ...]:
        """An item's enclosures (media files) in document order; () for none or no such item."""
        with self._reading():
            return itemsql.select_enclosures(self.conn, item_id)

    def unread_counts(self) -> dict[int, int]:
        """Unread items per feed id."""
        rows = self._read(
            "SELECT feed_id, count(*) FROM items WHERE read = 0 AND hidden = 0 GROUP BY feed_id"
        )
        return {r[0]: r[1] for r in rows}

    def set_full_text(self, item_id: int, text: str) -> None:
        """Store an article's extracted full text."""
        with self.transaction() as conn:
            marksql.set_full_text(conn, item_id, text)

    def full_text_failed(self, item_id: int, error: str, now: int | None = None) -> int:
        """Note that the item's page failed: returns when backfill may try it again."""
        with self.transaction() as conn:
            return marksql.full_text_failed(conn, item_id, error, now or int(time.time()))

    # ---- bookmark tags and full text (SQL in store/bookmarks.py; the acts in acts.py) -----
    def save_page(
        self, item: ParsedItem, full_text: str, tags: Iterable[str] = (), *, now: int
    ) -> tuple[int, bool]:
        """Keep a page's story as a bookmark of the "Saved pages" source (reader.saving):
        (its item id, whether that address was saved before). Indexed for search at once."""
        from reader.store import indexing

        with self.transaction(durable=True) as conn:
            feed_id = marksql.saved_pages_feed(conn, now)
            fresh = itemsql.upsert_items(conn, feed_id, [item], now, queue=False)
            indexing.index_new(conn, feed_id, fresh)
            row = conn.execute(
                "SELECT id FROM items WHERE feed_id = ? AND key = ?", (feed_id, item.key)
            ).fetchone()
            item_id = int(row[0])
            conn.execute("UPDATE items SET bookmarked = 1, hidden = 0 WHERE id = ?", (item_id,))
            marksql.set_full_text(conn, item_id, full_text)
            marksql.add_item_tags(conn, item_id, tags)
            changes.bump(conn, "items", "bookmarks")
        return item_id, not fresh

    def item_tags(self, item_ids: Sequence[int]) -> dict[int, list[str]]:
        """The own tags (bookmark tags) of these items, sorted; items without are left out."""
        with self._reading() as conn:
            return marksql.tags_of(conn, item_ids)

    def item_tag_counts(self) -> list[tuple[str, int]]:
        """Every item tag in use and how many items carry it."""
        with self._reading():
            return marksql.tag_counts(self.conn)

    def wanting_full_text(
        self,
        *,
        bookmarks: bool,
        feed_urls: Iterable[str] = (),
        since: int = 0,
        limit: int = 500,
        now: int | None = None,
    ) -> list[int]:
        """Items that should have their full text and do not yet (see bookmarks.py)."""
        with self._reading():
            return marksql.wanting_full_text(
                self.conn, bookmarks=bookmarks, feed_urls=feed_urls, since=since, limit=limit,
                now=int(time.time()) if now is None else now,
            )  # fmt: skip

    def apply_rules(self, rules: Sequence[Rule]) -> list[int]:
        """Apply rules to every stored item they match (`tidings rules --apply`), in one
        transaction; how many items each matched."""
        from reader.store import ruling

        self.index_pending()
        with self.transaction(durable=True) as conn:
            return ruling.apply_stored(conn, rules)
