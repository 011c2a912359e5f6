"""Saving any page: its story fetched, extracted and kept as a bookmark, no feed needed.

`tidings save URL [--tag T]` and `W` in the reader. The page is fetched with the feed rules and
its story extracted in a worker process under the parse deadline (reader.fulltext); the story is
stored as a bookmarked item of the "Saved pages" source (a feed row that is never subscribed, so
never refreshed), with the story as its full text: readable offline, searchable (indexed in the
transaction that stores it), exported with every bookmark. Saving the same address again keeps
one item, its text brought up to date and its tags added to. A page with no story stores
nothing: ParseError says so in one line.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reader.config import Config
from reader.errors import FetchError, ParseError
from reader.models import ParsedItem
from reader.store.db import Store


@dataclass(frozen=True, slots=True)
class Saved:
    """A page kept: its item id, its title, and whether it was already saved before."""

    item_id: int
    title: str
    again: bool


def _published(date: str, now: int) -> int:
    """An article's YYYY-MM-DD date as a Unix time (noon UTC), else `now`."""
    try:
        moment = datetime.strptime(date[:10], "%Y-%m-%d").replace(hour=12)
    except ValueError:
        return now
    return min(int(moment.timestamp()), now)


async def save_page(config: Config, store: Store, url: str, tags: Sequence[str] = ()) -> Saved:
    """Fetch `url`, extract its story and keep it as a bookmark (FetchError, ParseError)."""
    from reader.articles.article import to_stored
    from reader.feeds.fetch import Fetcher
    from reader.feeds.pool import ParsePool
    from reader.fulltext import fetch_article

    with ParsePool(1, config.parse.deadline) as pool:
        async with Fetcher(config.fetch) as fetcher:
            article = await fetch_article(fetcher, url, pool)
    if not article.text.strip():
        raise ParseError(f"{url}: no story found in the page")
    now = int(time.time())
    address = article.url or url
    if not address.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url}: not a web address")
    item = ParsedItem(
        key=f"l:{address}",
        title=article.title or address,
        link=address,
        author=article.author,
        published=_published(article.date, now),
        updated=None,
        summary="",
        content="",
    )
    item_id, again = store.save_page(item, to_stored(article), tags, now=now)
    return Saved(item_id, item.title, again)
