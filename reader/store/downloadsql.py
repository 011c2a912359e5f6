"""The download queue of enclosures, kept in the store (`DownloadList`; reader/downloads.py
decides what to download and does it), and its SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.models import Download

if TYPE_CHECKING:
    from reader.store.db import Store

_COLUMNS = (
    "d.item_id, d.url, d.path, d.state, d.size, d.total, d.error, d.auto, d.added, d.finished,"
    " coalesce((SELECT v.validator FROM download_validators v WHERE v.item_id = d.item_id"
    " AND v.url = d.url), '') AS validator,"
    " i.title, f.title AS feed_title, f.url AS feed_url, i.published,"
    " coalesce((SELECT e.type FROM enclosures e WHERE e.item_id = d.item_id AND e.url = d.url"
    " LIMIT 1), '') AS type"
)
_FROM = " FROM downloads d JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id"


def _download(row: sqlite3.Row) -> Download:
    return Download(
        item_id=row["item_id"], url=row["url"], path=row["path"], state=row["state"],
        size=row["size"], total=row["total"], error=row["error"], auto=bool(row["auto"]),
        added=row["added"], finished=row["finished"], title=row["title"],
        feed_title=row["feed_title"], type=row["type"], feed_url=row["feed_url"],
        published=row["published"], validator=row["validator"],
    )  # fmt: skip


def select(
    conn: sqlite3.Connection, where: str = "1", args: Sequence[object] = ()
) -> list[Download]:
    """Downloads matching a WHERE clause (a constant fragment), oldest queued first."""
    rows = conn.execute(f"SELECT {_COLUMNS}{_FROM} WHERE {where} ORDER BY d.added, d.path", args)
    return [_download(r) for r in rows]


def path_taken(conn: sqlite3.Connection, path: str, item_id: int, url: str) -> bool:
    """Whether another download already uses `path`."""
    row = conn.execute(
        "SELECT 1 FROM downloads WHERE path = ? AND NOT (item_id = ? AND url = ?)",
        (path, item_id, url),
    ).fetchone()
    return row is not None


def queue(
    conn: sqlite3.Connection, item_id: int, url: str, path: str, now: int, auto: bool
) -> None:
    """Queue a download (again, when it failed; a finished or queued one stays as it is)."""
    conn.execute(
        "INSERT INTO downloads (item_id, url, path, state, auto, added) VALUES (?, ?, ?,"
        " 'queued', ?, ?) ON CONFLICT (item_id, url) DO UPDATE SET state = 'queued', error = ''"
        " WHERE state = 'failed'",
        (item_id, url, path, int(auto), now),
    )


def record(conn: sqlite3.Connection, d: Download, now: int) -> None:
    """How a download attempt ended."""
    conn.execute(
        "UPDATE downloads SET state = ?, size = ?, total = ?, error = ?, finished = ?"
        " WHERE item_id = ? AND url = ?",
        (d.state, d.size, d.total, d.error[:500], now if d.state == "done" else None,
         d.item_id, d.url),
    )  # fmt: skip
    validated(conn, d, d.validator)


def validated(conn: sqlite3.Connection, d: Download, validator: str) -> None:
    """Keep what identifies the bytes of `d`'s partial file on the server."""
    conn.execute(
        "INSERT INTO download_validators (item_id, url, validator) VALUES (?, ?, ?)"
        " ON CONFLICT (item_id, url) DO UPDATE SET validator = excluded.validator",
        (d.item_id, d.url, validator),
    )


def forget(conn: sqlite3.Connection, keys: Sequence[tuple[int, str]]) -> None:
    """Remove downloads from the list (their files are the caller's business)."""
    conn.executemany("DELETE FROM downloads WHERE item_id = ? AND url = ?", keys)


def new_episodes(conn: sqlite3.Connection, feed_urls: Sequence[str], since: int) -> list[int]:
    """Items of these feeds first seen since `since` that carry an audio or video enclosure,
    newest first."""
    marks = ",".join("?" * len(feed_urls)) or "NULL"
    rows = conn.execute(
        "SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id"
        f" WHERE f.url IN ({marks}) AND i.first_seen >= ? AND EXISTS (SELECT 1 FROM enclosures e"
        " WHERE e.item_id = i.id AND (e.type LIKE 'audio/%' OR e.type LIKE 'video/%'))"
        " ORDER BY i.published DESC, i.id DESC",
        (*feed_urls, since),
    )
    return [r[0] for r in rows]


class DownloadList:
    """The downloads table of one store, each call in its own transaction (a part of the store
    package: it uses the store's own reading lock)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self, item_id: int | None = None) -> list[Download]:
        """Every download (or one item's), oldest queued first."""
        with self.store._reading() as conn:
            if item_id is None:
                return select(conn)
            return select(conn, "d.item_id = ?", (item_id,))

    def queue(
        self, item_id: int, url: str, paths: Sequence[str], *, auto: bool, now: int
    ) -> Download:
        """Queue an enclosure (a failed one again) under the first of `paths` no other
        download uses (the last one when all are taken)."""
        with self.store.transaction(durable=True) as conn:
            free = [p for p in paths if not path_taken(conn, p, item_id, url)]
            queue(conn, item_id, url, free[0] if free else paths[-1], now, auto)
            return select(conn, "d.item_id = ? AND d.url = ?", (item_id, url))[0]

    def record(self, item: Download, now: int) -> None:
        """How an attempt ended: `item`'s state, size, total, error and validator are stored."""
        with self.store.transaction() as conn:
            record(conn, item, now)

    def validated(self, item: Download, validator: str) -> None:
        """What the server says identifies the bytes about to be written to the .part (kept
        before they are, so that a resume after a kill still sends it as If-Range)."""
        with self.store.transaction() as conn:
            validated(conn, item, validator)

    def waiting(self) -> list[Download]:
        """The downloads still queued (a session that ended before they finished)."""
        with self.store._reading() as conn:
            return select(conn, "d.state = 'queued'")

    def forget(self, keys: Sequence[tuple[int, str]]) -> None:
        """Take (item id, url) downloads off the list (their files are not touched here)."""
        with self.store.transaction(durable=True) as conn:
            forget(conn, keys)

    def new_episodes(self, feed_urls: Sequence[str], since: int) -> list[int]:
        """Items of these feeds first seen since `since` with an audio or video enclosure."""
        with self.store._reading() as conn:
            return new_episodes(conn, feed_urls, since)
