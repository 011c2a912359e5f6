"""Reading a newsboat cache.db: subscriptions, stored articles, read state and flags (storing
them is reader.subscribe.import_newsboat_cache's: feeds/ never reaches the store).

The cache is opened read-only (it is never written) and treated as untrusted input: a file that
is not a newsboat cache gives one clear message. Items keep newsboat's guid as their identity
("g:" + guid); the store matches a guid equal to a link to that link, so the next refresh
recognises them whichever way the feed identifies its items. Flagged items become bookmarks.
An item's enclosure (newsboat keeps one: `enclosure_url`, `enclosure_type`, columns a cache
from before newsboat 2.x may lack) is kept as the parsers keep one (`media.enclosure`: resolved
against the feed's address, http(s) only, no Flash).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from reader.errors import UsageError
from reader.feeds.fields import absolute_link
from reader.feeds.media import enclosure
from reader.models import ParsedItem
from reader.textsafe import storable

ITEM_COLUMNS = "guid, title, author, url, pubDate, content, unread, flags"
ENCLOSURE_COLUMNS = ("enclosure_url", "enclosure_type")


@dataclass(frozen=True)
class CachedFeed:
    """One feed of the cache with its stored items, and the keys of those read and flagged."""

    url: str
    site_url: str
    title: str  # the title newsboat showed (its `"~Title"` too): a chosen title here
    items: tuple[ParsedItem, ...]
    read: frozenset[str]
    flagged: frozenset[str]


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


def _item(feed_url: str, row: tuple[object, ...]) -> tuple[ParsedItem, bool, bool]:
    guid, title, author, url, published, content, unread, flags, media, media_type = row
    link = storable(str(url or ""))
    found = enclosure(absolute_link(str(media or ""), feed_url), str(media_type or ""))
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
        enclosures=(found,) if found is not None else (),
    )
    return item, not unread, bool(str(flags or "").strip())


def _feed(url: str, site: str, title: str, rows: Iterable[tuple[object, ...]]) -> CachedFeed:
    parsed = [_item(url, r[1:]) for r in rows]
    return CachedFeed(
        url=url,
        site_url=storable(site),
        title=storable(title),
        items=tuple(p for p, _, _ in parsed),
        read=frozenset(p.key for p, was_read, _ in parsed if was_read),
        flagged=frozenset(p.key for p, _, flag in parsed if flag),
    )


def _http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


class NewsboatCache:
    """An open cache.db (read-only, closed by the with-block). `feeds()` reads it in one pass
    ordered by feed, one feed in memory at a time; `skipped` then lists the feeds that are not
    http/https. An unreadable file raises UsageError, also in the middle of `feeds()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.skipped: list[str] = []
        self._conn = _open(path)

    def __enter__(self) -> NewsboatCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def feeds(self) -> Iterator[CachedFeed]:
        """Every http(s) feed with its items (feeds without any too)."""
        try:
            meta = {str(u or ""): (str(s or ""), str(t or "")) for u, s, t in
                    self._conn.execute("SELECT rssurl, url, title FROM rss_feed")}  # fmt: skip
            have = {str(r[1]) for r in self._conn.execute("PRAGMA table_info(rss_item)")}
            media = ", ".join(c if c in have else "''" for c in ENCLOSURE_COLUMNS)
            rows = self._conn.execute(
                f"SELECT feedurl, {ITEM_COLUMNS}, {media} FROM rss_item WHERE deleted = 0"
                " ORDER BY feedurl"
            )
            for url, group in groupby(rows, key=lambda r: str(r[0] or "")):
                if url not in meta or not _http(url):
                    self.skipped.append(url)
                    continue
                yield _feed(url, *meta.pop(url), group)
            for url, (site, title) in meta.items():  # feeds without items
                if _http(url):
                    yield _feed(url, site, title, ())
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{self.path}: unreadable newsboat cache ({exc})") from None
