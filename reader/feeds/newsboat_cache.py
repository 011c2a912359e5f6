"""Bringing a newsboat cache.db over: subscriptions, stored articles, read state and flags.

The cache is opened read-only (it is never written) and treated as untrusted input: a file that
is not a newsboat cache gives one clear message. Items keep newsboat's guid as their identity
("g:" + guid); the store matches a guid equal to a link to that link, so the next refresh
recognises them whichever way the feed identifies its items. Flagged items become bookmarks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from reader.errors import UsageError
from reader.models import ParsedItem
from reader.store.db import Store
from reader.textsafe import storable

ITEM_COLUMNS = "guid, title, author, url, pubDate, content, unread, flags"


@dataclass(frozen=True)
class NewsboatImport:
    """What an import brought over."""

    feeds: int
    items: int
    read: int
    flagged: int
    skipped: tuple[str, ...]  # feed URLs that are not http(s)


def _open(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path}: not a newsboat cache ({exc})") from None
    if not {"rss_feed", "rss_item"} <= tables:
        conn.close()
        raise UsageError(f"{path}: not a newsboat cache (no rss_feed/rss_item tables)")
    return conn


def _item(row: tuple[object, ...]) -> tuple[ParsedItem, bool, bool]:
    guid, title, author, url, published, content, unread, flags = row
    link = storable(str(url or ""))
    guid_text = storable(str(guid or ""))
    key = f"g:{guid_text}" if guid_text else f"l:{link}"
    item = ParsedItem(
        key=key,
        title=storable(str(title or "")),
        link=link,
        author=storable(str(author or "")),
        published=published if isinstance(published, int) and published > 0 else None,
        updated=None,
        summary="",
        content=storable(str(content or "")),
    )
    return item, not unread, bool(str(flags or "").strip())


def _import_feed(
    store: Store, url: str, site: str, title: str, rows: Iterable[tuple[object, ...]]
) -> tuple[int, int, int]:
    """One feed and its items; returns (items, read, flagged)."""
    parsed = [_item(r[1:]) for r in rows]
    feed, _ = store.add_feed(url, title=storable(title), site_url=storable(site))
    read_keys = {p.key for p, was_read, _ in parsed if was_read}
    flagged_keys = {p.key for p, _, flag in parsed if flag}
    store.import_items(
        feed.id, [p for p, _, _ in parsed], read_keys=read_keys, bookmarked_keys=flagged_keys
    )
    return len(parsed), len(read_keys), len(flagged_keys)


def import_newsboat_cache(store: Store, path: Path) -> NewsboatImport:
    """Subscribe to every http(s) feed of the cache and store its items with their state, all
    in one transaction (a broken cache leaves the store as it was). Items are read in one
    pass ordered by feed, one feed in memory at a time."""
    conn = _open(path)
    feeds, items, read, flagged = 0, 0, 0, 0
    skipped: list[str] = []
    try:
        meta = {str(u or ""): (str(s or ""), str(t or "")) for u, s, t in
                conn.execute("SELECT rssurl, url, title FROM rss_feed")}  # fmt: skip
        rows = conn.execute(
            f"SELECT feedurl, {ITEM_COLUMNS} FROM rss_item WHERE deleted = 0 ORDER BY feedurl"
        )
        with store.batch(durable=True):
            for url, group in groupby(rows, key=lambda r: str(r[0] or "")):
                if url not in meta or urlsplit(url).scheme.lower() not in ("http", "https"):
                    skipped.append(url)
                    continue
                n, r, f = _import_feed(store, url, *meta.pop(url), group)
                feeds, items, read, flagged = feeds + 1, items + n, read + r, flagged + f
            for url, (site, title) in meta.items():  # feeds without items
                if urlsplit(url).scheme.lower() in ("http", "https"):
                    _import_feed(store, url, site, title, ())
                    feeds += 1
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path}: unreadable newsboat cache ({exc})") from None
    finally:
        conn.close()
    return NewsboatImport(feeds, items, read, flagged, tuple(skipped))
