"""Subscriptions: add (with autodiscovery), import, export, remove."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from reader.config import Config
from reader.errors import FetchError, UsageError
from reader.feeds.discover import (
    Candidate,
    common_candidates,
    feed_links,
    is_html,
    looks_like_feed,
)
from reader.feeds.fetch import FEED_ACCEPT, PAGE_ACCEPT, Fetcher
from reader.feeds.opml import read_subscriptions, write_opml
from reader.models import FeedResult, FetchResult, Subscription
from reader.service import Refresher, Service
from reader.store.db import Store

DISCOVERY_ACCEPT = f"{FEED_ACCEPT.replace('*/*;q=0.1', '')} {PAGE_ACCEPT}"


@dataclass(frozen=True)
class Added:
    """The result of `add`: the feed subscribed and its first refresh."""

    url: str
    title: str
    newly_added: bool
    result: FeedResult | None


@dataclass(frozen=True)
class Imported:
    """The result of an import: counts and the warnings to show."""

    total: int
    added: int
    warnings: tuple[str, ...]


class Choose(UsageError):
    """A page offers several feeds; the caller lists `candidates` and asks for --pick N."""

    def __init__(self, candidates: list[Candidate]) -> None:
        super().__init__(f"{len(candidates)} feeds found; choose one with --pick N")
        self.candidates = candidates


async def discover(fetcher: Fetcher, url: str) -> tuple[list[Candidate], FetchResult | None]:
    """The feeds behind `url`: itself when it is a feed (with its fetch result, to reuse),
    else the page's advertised feeds, else those of the common paths that answer with a feed."""
    got = await fetcher.fetch(url, accept=DISCOVERY_ACCEPT)
    if got.error:
        raise FetchError(f"{url}: {got.error}", status=got.status or None)
    ctype = got.headers.get("content-type", "")
    if looks_like_feed(got.body, ctype):
        return [Candidate(url=got.final_url, title="", kind="unknown")], got
    if not is_html(got.body, ctype):
        raise UsageError(f"{url}: neither a feed nor a web page ({ctype or 'no content type'})")
    found = feed_links(got.body, got.final_url)
    if found:
        return found, None
    guesses = common_candidates(got.final_url)
    answers = await asyncio.gather(*(fetcher.fetch(u) for u in guesses))
    for guess, answer in zip(guesses, answers, strict=True):
        if not answer.error and looks_like_feed(
            answer.body, answer.headers.get("content-type", "")
        ):
            return [Candidate(url=answer.final_url or guess, title="", kind="unknown")], answer
    raise UsageError(f"{url}: no feed found on this page or at the usual places")


async def add(
    service: Service, url: str, *, tags: tuple[str, ...] = (), pick: int | None = None
) -> Added:
    """Subscribe to `url` (a feed, or a page searched for feeds) and fetch it once."""
    config: Config = service.config
    pool = service.parse_pool()
    try:
        async with Fetcher(config.fetch) as fetcher:
            candidates, got = await discover(fetcher, url)
            if len(candidates) > 1 and pick is None:
                raise Choose(candidates)
            index = 0 if pick is None else pick - 1
            if not 0 <= index < len(candidates):
                raise UsageError(f"--pick {pick}: choose 1 to {len(candidates)}")
            chosen = candidates[index]
            feed, created = service.store.add_feed(chosen.url, title=chosen.title, tags=tags)
            refresher = Refresher(config, service.store, fetcher, pool, service.rule_run())
            if got is not None and chosen.url == got.final_url:
                result = await refresher.ingest(feed, got)
            else:
                result = await refresher.refresh_feed(feed)
            await refresher.finish()
    finally:
        pool.close()
    stored = service.store.feed(feed.url) or service.store.feed_by_id(feed.id) or feed
    return Added(stored.url, stored.title, created, result)


def import_file(store: Store, data: bytes, source: str = "subscriptions") -> Imported:
    """Subscribe to every http(s) feed of an OPML or newsboat urls file (tags kept, and its
    titles as chosen ones: OPML `text`/`title`, newsboat `"~Title"`); `source` names the file
    in warnings."""
    parsed = read_subscriptions(data, source=source)
    added = 0
    for sub in parsed.subscriptions:
        _, created = store.add_feed(
            sub.url, title=sub.title, tags=sub.tags, site_url=sub.site_url, chosen=True
        )
        added += created
    return Imported(len(parsed.subscriptions), added, parsed.warnings)


@dataclass(frozen=True)
class NewsboatImport:
    """What a newsboat cache import brought over."""

    feeds: int
    items: int
    read: int
    flagged: int
    skipped: tuple[str, ...]  # feed URLs that are not http(s)


def import_newsboat_cache(store: Store, path: Path) -> NewsboatImport:
    """Subscribe to every http(s) feed of newsboat's cache.db (its titles kept as chosen ones)
    and store its items with their read state, flagged items as bookmarks, all in one
    transaction (a broken cache leaves the store as it was; feeds/newsboat_cache.py reads it)."""
    from reader.feeds.newsboat_cache import NewsboatCache

    feeds = items = read = flagged = 0
    with NewsboatCache(path) as cache, store.batch(durable=True):
        for got in cache.feeds():
            feed, _ = store.add_feed(got.url, title=got.title, site_url=got.site_url, chosen=True)
            store.import_items(feed.id, got.items, read_keys=got.read, bookmarked_keys=got.flagged)
            feeds, items = feeds + 1, items + len(got.items)
            read, flagged = read + len(got.read), flagged + len(got.flagged)
    return NewsboatImport(feeds, items, read, flagged, tuple(cache.skipped))


def export_opml(store: Store) -> str:
    """Every subscription as OPML 2.0 (tags as categories)."""
    subs = [
        Subscription(url=f.url, title=f.title, tags=f.tags, site_url=f.site_url)
        for f in store.feeds()
    ]
    return write_opml(subs)
