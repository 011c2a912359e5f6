"""Full text in the background: fetch an item's article page, extract the story, store it.

Pages are fetched with the feed rules (reader.feeds.fetch: size cap, deadline, redirects,
http/https only; the charset from the BOM, the HTTP header or `<meta>`, GBK read as GB18030).
At most `[fulltext] concurrency` pages are fetched and extracted at once; extraction runs in a
worker process (feeds/pool.py) so the event loop (and a TUI on it) stays responsive, and a page
that keeps the extractor busy past `[parse] deadline` has its worker killed.

Used on demand (`tidings show ID --full`, the reading pane's full-text key), for every bookmark
(`tidings bookmark`, and after each refresh for bookmarks still without it), and after each
refresh for the new items of feeds marked for full text (`tidings add --full-text`, or listed in
`[fulltext] feeds`).

    async with FullText(config, store) as full:
        result = await full.fetch(item_id)          # stored; result.article is the story
        results = await full.fetch_many(ids)        # bounded concurrency
        results = await full.backfill()             # bookmarks and full-text feeds
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from reader.config import Config
from reader.errors import FetchError, ParseError, ReaderError
from reader.feeds.fetch import PAGE_ACCEPT, Fetcher
from reader.feeds.pool import ParsePool
from reader.store.db import Store

if TYPE_CHECKING:  # the article modules load when a page is first fetched, not at start-up
    from reader.articles.article import Article

NEW_ITEM_WINDOW = 2 * 24 * 3600  # seconds: items first seen this recently count as new
BACKFILL_LIMIT = 500  # pages fetched by one backfill at most
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """The outcome for one item: the article, or one line saying why there is none."""

    item_id: int
    article: Article | None = None
    error: str = ""
    stored: bool = False  # written to the store now (False when it already was, or read-only)

    @property
    def ok(self) -> bool:
        """True when the item has its full text."""
        return self.article is not None


async def fetch_article(fetcher: Fetcher, url: str, pool: ParsePool) -> Article:
    """Fetch the page at `url` and extract its story in a worker of `pool` (FetchError, or
    ParseError when the page is not HTML, holds no article, or takes past the deadline)."""
    got = await fetcher.fetch(url, accept=PAGE_ACCEPT)
    if got.error:
        raise FetchError(f"{url}: {got.error}", status=got.status or None)
    ctype = got.headers.get("content-type", "")
    media = ctype.split(";")[0].strip().lower()
    if media and media not in _HTML_TYPES:
        raise ParseError(f"{url}: not a web page ({media})")
    article = await pool.extract(got.body, ctype, got.final_url)
    if article is None:
        raise ParseError(f"{url}: no article found in the page")
    return article


class FullText:
    """Fetches, extracts and stores the full text of stored items, a few at a time.

    Use as `async with FullText(config, store) as full:` (it opens its own Fetcher and
    worker pool unless given them: stories are extracted in worker processes, killed past
    `[parse] deadline`). With a read-only store the articles are returned but not kept.
    """

    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher | None = None,
        clock: Callable[[], float] = time.time,
        pool: ParsePool | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock  # when a failure happened, and what `wanted` calls now
        self._fetcher = fetcher
        self._own = fetcher is None
        self._pool = pool
        self._own_pool = pool is None
        self._limit = asyncio.Semaphore(config.fulltext.concurrency)

    async def __aenter__(self) -> FullText:
        if self._fetcher is None:
            self._fetcher = await Fetcher(self.config.fetch).__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._own and self._fetcher is not None:
            await self._fetcher.__aexit__(exc_type, exc, tb)
            self._fetcher = None
        if self._own_pool and self._pool is not None:
            self._pool.close()
            self._pool = None

    def _pages(self, wanted: int = 1) -> ParsePool:
        """The worker pool stories are extracted in: one of our own, started on first use with
        as many workers as `wanted` pages need (at most the concurrency and the cores)."""
        if self._pool is None:
            workers = max(1, min(wanted, self.config.fulltext.concurrency, os.cpu_count() or 1))
            self._pool = ParsePool(workers, self.config.parse.deadline)
        return self._pool

    async def fetch(self, item_id: int, *, force: bool = False) -> FullTextResult:
        """The full text of one item: the stored one, else fetched, extracted and stored
        (`force`: fetched again even when stored)."""
        from reader.articles.article import from_stored, to_stored

        item = await asyncio.to_thread(self.store.item, item_id)
        if item is None:
            return FullTextResult(item_id, error=f"no item {item_id}")
        if item.full_text and not force:
            return FullTextResult(item_id, from_stored(item.full_text))
        if not item.link:
            return FullTextResult(item_id, error="the item has no link to fetch")
        assert self._fetcher is not None, "use FullText as an async context manager"
        async with self._limit:
            try:
                article = await fetch_article(self._fetcher, item.link, self._pages())
            except ReaderError as exc:
                transient = isinstance(exc, FetchError) and exc.status is None
                return await self._failed(item_id, str(exc), lasting=not transient)
            except Exception as exc:  # one page's surprise never stops the others
                return await self._failed(item_id, f"extraction failed: {exc!r}", lasting=True)
        if not self.store.writable:
            return FullTextResult(item_id, article)
        try:
            await asyncio.to_thread(self.store.set_full_text, item_id, to_stored(article))
        except ReaderError as exc:
            return FullTextResult(item_id, article, error=f"not stored: {exc}")
        return FullTextResult(item_id, article, stored=True)

    async def _failed(self, item_id: int, error: str, *, lasting: bool) -> FullTextResult:
        """The result of a failed page; a `lasting` failure (an HTTP error, a page with no
        article) is noted so that `backfill` waits before trying it again. A network that is
        down is not the page's fault: those are tried again on the next backfill."""
        if lasting and self.store.writable:
            with contextlib.suppress(ReaderError):
                now = int(self.clock())
                await asyncio.to_thread(self.store.full_text_failed, item_id, error, now)
        return FullTextResult(item_id, error=error)

    async def fetch_many(
        self,
        item_ids: Sequence[int],
        progress: Callable[[FullTextResult], None] | None = None,
    ) -> list[FullTextResult]:
        """`fetch` for each item, a few at a time; results in the order of `item_ids`."""
        self._pages(len(item_ids))

        async def one(item_id: int) -> FullTextResult:
            result = await self.fetch(item_id)
            if progress is not None:
                progress(result)
            return result

        return list(await asyncio.gather(*(one(i) for i in item_ids)))

    def wanted(self, now: float | None = None) -> list[int]:
        """Items that should have their full text and lack it: bookmarks (unless
        `[fulltext] bookmarks = false`) and new items of full-text feeds, but not those whose
        page failed lately (tried again an hour later, then after twice as long each time)."""
        now = self.clock() if now is None else now
        return self.store.wanting_full_text(
            bookmarks=self.config.fulltext.bookmarks,
            feed_urls=self.config.fulltext.feeds,
            since=int(now) - NEW_ITEM_WINDOW,
            limit=BACKFILL_LIMIT,
            now=int(now),
        )

    async def backfill(self) -> list[FullTextResult]:
        """Fetch the full text of every item in `wanted()` (run after a refresh)."""
        ids = await asyncio.to_thread(self.wanted)
        return await self.fetch_many(ids) if ids else []
