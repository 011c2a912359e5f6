"""The bundled offline demo: a few feeds (English, Chinese, Atom, JSON Feed) stored without
any network, through the same parser and store as real feeds."""

from __future__ import annotations

from importlib import resources

from reader.feeds.parse import parse_feed
from reader.store.db import Store

DEMO_HOST = "https://demo.tidings.invalid"
FEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tidings-weekly.xml", "application/rss+xml", ("tidings",)),
    ("xianning-news.xml", "application/rss+xml", ("新闻", "China")),
    ("terminal-digest.atom", "application/atom+xml", ("tidings",)),
    ("world-briefs.json", "application/feed+json", ("world",)),
)


BROKEN = (
    f"{DEMO_HOST}/gadget-rumours.xml",
    "Gadget Rumours (a feed that fails)",
    "HTTP 404 Not Found",
    404,
)


def load_demo(store: Store, now: int | None = None) -> int:
    """Subscribe `store` to the demo feeds and store their items; returns the item count.

    One more feed is subscribed that has never worked (three failed fetches, HTTP 404), so the
    feed list and the feed-health view have a failure to show.
    """
    url, title, error, status = BROKEN
    broken, _ = store.add_feed(url, title=title, tags=("tidings",))
    for _ in range(3):
        store.record_failure(broken.id, error, status=status, now=now)
    total = 0
    for name, ctype, tags in FEEDS:
        body = resources.files(__name__).joinpath(name).read_bytes()
        url = f"{DEMO_HOST}/{name}"
        parsed = parse_feed(body, {"content-type": ctype}, url)
        feed, _ = store.add_feed(url, title=parsed.title, tags=tags, site_url=parsed.site_url)
        total += store.store_parsed(feed.id, parsed, now=now)
    return total
