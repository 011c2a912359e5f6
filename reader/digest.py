"""The digest: unread stories (today's, or a feed's or tag's), grouped by feed, each with its
summary. Reads the store and summarises: call it off the UI thread."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from reader.articles.summarize import Summary, summarize
from reader.config import SummaryConfig
from reader.models import Headline, ItemQuery
from reader.store.db import Store

MAX_ITEMS = 300


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One story of the digest and its summary."""

    headline: Headline
    summary: Summary


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """The digest's stories from one feed, newest first."""

    feed_id: int
    feed_title: str
    entries: tuple[DigestEntry, ...]


def start_of_today(now: float | None = None) -> int:
    """Local midnight as a Unix time."""
    moment = time.localtime(time.time() if now is None else now)
    return int(time.mktime((*moment[:3], 0, 0, 0, 0, 0, -1)))


def digest(
    store: Store,
    query: ItemQuery | None = None,
    *,
    since: int | None = None,
    config: SummaryConfig | None = None,
    limit: int = MAX_ITEMS,
) -> list[DigestGroup]:
    """Unread items matching `query` (default: all feeds) published since `since` (None: no
    bound; pass `start_of_today()` for today's), grouped by feed in the order of each feed's
    newest story, each with its summary; at most `limit` stories."""
    wanted = replace(query or ItemQuery(), unread=True, limit=limit, offset=0)
    groups: dict[int, list[DigestEntry]] = {}
    titles: dict[int, str] = {}
    for headline in store.headlines(wanted):
        if since is not None and headline.published < since:
            break  # newest first: the rest are older still
        item = store.item(headline.id)
        if item is None:
            continue
        groups.setdefault(headline.feed_id, []).append(
            DigestEntry(headline, summarize(item, config))
        )
        titles[headline.feed_id] = headline.feed_title or headline.feed_url
    return [DigestGroup(fid, titles[fid], tuple(entries)) for fid, entries in groups.items()]
