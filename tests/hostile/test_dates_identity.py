"""Dates and identity: missing, invalid, year 0, year 9999, far-future and absurd dates; every
item sharing one GUID; GUIDs that change on every fetch (growth bounded by the per-feed cap)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.config import Config, StoreConfig
from reader.models import Outcome
from reader.store.db import Store
from tests.hostile.conftest import FAST, cli, data, db_path, refresh
from tests.loopback import Loopback, send


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(db_path(home))
    yield opened
    opened.close()


def test_hostile_dates_never_sort_into_the_future_or_crash(server: Loopback, store: Store) -> None:
    url = server.serve("/dates.xml", data("dates.xml"))
    store.add_feed(url)
    before = int(time.time())
    assert refresh(store).results[0].outcome is Outcome.OK
    after = int(time.time())
    published = {h.title: h.published for h in store.headlines()}
    assert len(published) == 10
    assert published["normal"] == 1764151200  # Wed, 26 Nov 2025 10:00:00 GMT
    for title in ("missing", "invalid", "year0", "year0iso", "year9999", "far_future", "future",
                  "huge"):  # fmt: skip
        assert before <= published[title] <= after, title  # unknown or future: first seen
    assert all(p <= after for p in published.values())
    assert published["negative"] < published["normal"]  # read as year 2000 (by feedparser)
    for args in (("list",), ("list", "--json"), ("feeds", "--json"), ("search", "--json", "year")):
        ran = cli(*args)
        assert ran.code == 0 and "Traceback" not in ran.err, (args, ran)
    rows = json.loads(cli("list", "--json").out)
    assert all(r["published"].startswith(("20", "19")) for r in rows)
    for row in rows:
        assert cli("show", str(row["id"])).code == 0


def test_every_item_sharing_one_guid_stays_distinct_and_stable(
    server: Loopback, store: Store
) -> None:
    url = server.serve("/same.xml", data("same_guid.xml"))
    store.add_feed(url)
    first = refresh(store).results[0]
    assert first.new_items == 7  # six stories and an exact copy: none swallowed
    titles = sorted(h.title for h in store.headlines())
    assert titles.count("story 0 第0条") == 2 and len(set(titles)) == 6
    read = store.headlines()[0].id
    store.set_read([read])
    server.serve("/same.xml", data("same_guid.xml"), etag='"2"')
    again = refresh(store).results[0]
    assert again.new_items == 0 and store.count() == 7  # the same document, the same items
    item = store.item(read)
    assert item is not None and item.read


def changing_guids(per_fetch: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """A feed whose every fetch brings `per_fetch` items with GUIDs never seen before."""
    counter = itertools.count()

    def handle(h: BaseHTTPRequestHandler) -> None:
        fetch = next(counter)
        items = "".join(
            f"<item><title>fetch {fetch} item {i}</title><guid>{fetch}-{i}-{time.time_ns()}</guid>"
            f"<pubDate>Wed, 26 Nov 2025 {i % 24:02d}:{fetch % 60:02d}:00 GMT</pubDate></item>"
            for i in range(per_fetch)
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Churn</title>{items}</channel></rss>'
        send(h, 200, body.encode(), "application/rss+xml")

    return handle


def test_guids_changing_every_fetch_are_bounded_by_the_cap(server: Loopback, store: Store) -> None:
    url = server.route("/churn.xml", changing_guids(8))
    feed, _ = store.add_feed(url)
    config = Config(fetch=FAST.fetch, parse=FAST.parse, store=StoreConfig(max_items_per_feed=20))
    refresh(store, config)
    kept = store.headlines()[-1].id
    store.set_bookmarked(kept)  # a bookmark is never trimmed, cap or not
    counts = []
    for _ in range(8):
        report = refresh(store, config)
        assert report.results[0].new_items == 8
        counts.append(store.count())
    # the cap trims what earlier fetches left; the document just fetched is kept whole (its
    # items would come back as new otherwise), so the bound is cap + one document + bookmarks
    assert max(counts) <= 20 + 8 + 1, counts
    assert counts[-1] == max(counts[-3:]) and 2 * counts[-1] < 8 * 9  # no growth per fetch
    assert store.item(kept) is not None
    assert server.hits["/churn.xml"] == 9 and store.feed(url) == store.feed_by_id(feed.id)
