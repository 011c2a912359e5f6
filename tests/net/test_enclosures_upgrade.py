"""A store written before enclosures existed gets them: the upgrade clears every feed's
validators, so the next refresh reads each feed in full once (a 304 is never parsed) and the
items it still sends are rewritten in place, with their enclosures, their read, bookmark and
tag state kept and nothing duplicated."""

from __future__ import annotations

import asyncio
from pathlib import Path

from reader.config import Config, FetchConfig, ParseConfig
from reader.feeds.parse import parse_feed
from reader.models import Enclosure, Outcome, item_digest
from reader.service import Service
from reader.store import schema
from reader.store.connect import connect
from reader.store.db import Store
from tests.loopback import Loopback

PODCAST = Path(__file__).parent.parent / "data" / "feeds" / "variants" / "podcast.xml"
CONFIG = Config(
    fetch=FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=2 * 1024 * 1024),
    parse=ParseConfig(workers=1, deadline=10.0),
)
NOW = 1_764_000_000
ETAG = '"episode-2"'


def before_enclosures() -> int:
    """The schema version just before the enclosures table came."""
    return next(
        number
        for number, step in enumerate(schema.MIGRATIONS)
        if "CREATE TABLE IF NOT EXISTS enclosures" in step[0]
    )


def old_store(path: Path, url: str) -> None:
    """The store as the tidings of that schema left it after refreshing the podcast: its items
    (no enclosures: that tidings had none), the feed's ETag, one episode read, one bookmarked
    and tagged."""
    version = before_enclosures()
    conn = connect(path, readonly=False)
    conn.execute("PRAGMA page_size = 16384")
    conn.execute("BEGIN")
    for step in schema.MIGRATIONS[:version]:
        for sql in step:
            conn.execute(sql)
    conn.execute(
        "INSERT INTO feeds (id, url, title, etag, last_ok, added) VALUES (1, ?, ?, ?, ?, ?)",
        (url, "夜读播客 Night Reading", ETAG, NOW, NOW),
    )
    items = parse_feed(PODCAST.read_bytes(), {}, url).items
    for item_id, item in enumerate(reversed(items), 1):
        texts = (item.summary, item.content, item.content_type)
        digest = item_digest(item.title, item.link, item.author, item.updated, texts)
        conn.execute(
            "INSERT INTO items (id, feed_id, key, hash, published, first_seen, title, author,"
            " link, read, bookmarked) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, item.key, digest, item.published, NOW, item.title, item.author,
             item.link, int(item_id == 1), int(item_id == 2)),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO item_texts (item_id, summary, content, content_type) VALUES (?, ?, ?, ?)",
            (item_id, *texts),
        )
    conn.execute("INSERT INTO item_tags (item_id, tag) VALUES (2, '好听')")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("COMMIT")
    conn.close()


def test_items_stored_before_enclosures_get_them_on_the_next_refresh(
    tmp_path: Path, server: Loopback
) -> None:
    url = server.serve("/podcast.xml", PODCAST.read_bytes(), etag=ETAG)
    path = tmp_path / "old.db"
    old_store(path, url)
    with Store.open(path) as store:
        (feed,) = store.feeds()
        assert (feed.etag, feed.last_modified) == ("", "")  # cleared by the upgrade
        assert [store.enclosures(i) for i in (1, 2)] == [(), ()]
        report = asyncio.run(Service(CONFIG, store).refresh())
        assert report.results[0].outcome is Outcome.OK and report.new_items == 0
        assert "if-none-match" not in server.last_headers["/podcast.xml"]
        heads = {h.id: h for h in store.headlines()}
        assert sorted(heads) == [1, 2]  # nothing duplicated
        assert store.enclosures(2) == (
            Enclosure("https://cdn.pod.example/2/river-lanterns.mp3", "audio/mpeg", 31_000_000,
                      3725),
        )  # fmt: skip
        assert store.enclosures(1) == (
            Enclosure("https://cdn.pod.example/1/opening.m4a", "audio/x-m4a", None, 2589),
        )
        assert heads[1].read and not heads[1].bookmarked
        assert heads[2].bookmarked and not heads[2].read
        assert store.item_tags([2]) == {2: ["好听"]}
        assert store.feed(url).etag == ETAG  # type: ignore[union-attr]
        again = asyncio.run(Service(CONFIG, store).refresh())
        assert again.results[0].outcome is Outcome.NOT_MODIFIED  # only once in full
        assert server.last_headers["/podcast.xml"]["if-none-match"] == ETAG
        assert store.search("河灯").total == 1 and store.count() == 2
