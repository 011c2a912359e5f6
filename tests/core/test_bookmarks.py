"""Bookmarks keep their full text through feed removal and retention; retention's rules; tags;
which items still want their full text; the configuration keys behind it all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.articles.article import Article, to_stored
from reader.config import parse_config
from reader.errors import ConfigError
from reader.models import ItemQuery, ParsedFeed, ParsedItem
from reader.store.db import Store

NOW = 1_800_000_000
DAY = 86_400
STORY = Article(html="<p>全文：咸宁市成功创建全国禁毒示范城市。</p>", text="全文", title="咸宁")


def item(key: str, published: int, **kw: str) -> ParsedItem:
    fields = {"link": f"https://example.org/{key}", "author": "", "summary": "", "content": ""}
    fields.update(kw)
    return ParsedItem(key, key, published=published, updated=None, **fields)  # type: ignore[arg-type]


def feed_of(*items: ParsedItem) -> ParsedFeed:
    return ParsedFeed("咸宁新闻网", "https://example.org/", items, "rss20")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def ids_by_key(store: Store) -> dict[str, int]:
    return {h.title: h.id for h in store.headlines()}


def test_bookmark_with_full_text_survives_feed_removal(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml")
    store.store_parsed(feed.id, feed_of(item("keep", NOW), item("drop", NOW - 1)), now=NOW)
    keep = ids_by_key(store)["keep"]
    store.set_bookmarked(keep)
    store.set_full_text(keep, to_stored(STORY))
    assert store.remove_feed(feed.url) == 1
    assert list(ids_by_key(store)) == ["keep"]
    kept = store.item(keep)
    assert kept is not None and kept.bookmarked and kept.full_text == to_stored(STORY)
    assert kept.feed_title == "咸宁新闻网"  # still shown under the old feed's name
    assert store.feeds() == []


def test_retention_by_age_spares_bookmarks_and_the_current_document(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml")
    old = [item(f"old{i}", NOW - 40 * DAY - i) for i in range(3)]
    store.store_parsed(feed.id, feed_of(*old), now=NOW - 40 * DAY)
    ids = ids_by_key(store)
    store.set_bookmarked(ids["old0"])
    store.set_read([ids["old1"]])
    # a later fetch still carrying old2: kept (else it would come back as new next time)
    fresh = feed_of(item("new", NOW), old[2])
    store.store_parsed(feed.id, fresh, keep_days=30, now=NOW)
    assert set(ids_by_key(store)) == {"new", "old0", "old2"}
    store.store_parsed(feed.id, feed_of(item("new", NOW)), keep_days=30, now=NOW)
    assert set(ids_by_key(store)) == {"new", "old0"}  # old2 left the feed: it goes, unread or not


def test_cap_never_takes_unread_items_younger_than_keep_days(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml")
    batch = [item(f"i{n}", NOW - n * DAY) for n in range(10)]  # i0 newest .. i9 ten days old
    store.store_parsed(feed.id, feed_of(*batch), now=NOW)
    ids = ids_by_key(store)
    store.set_read([ids["i7"], ids["i8"]])
    store.set_bookmarked(ids["i9"])
    store.store_parsed(feed.id, feed_of(item("next", NOW)), max_items=3, keep_days=30, now=NOW)
    # beyond the cap of 3: read ones go; unread ones younger than 30 days and bookmarks stay
    left = set(ids_by_key(store))
    assert left == {"next", "i0", "i1", "i2", "i3", "i4", "i5", "i6", "i9"}
    store.store_parsed(feed.id, feed_of(item("next", NOW)), max_items=3, now=NOW)
    assert set(ids_by_key(store)) == {"next", "i0", "i1", "i9"}  # no keep_days: the cap rules


def test_item_tags(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml")
    store.store_parsed(feed.id, feed_of(item("a", NOW), item("b", NOW - 1)), now=NOW)
    ids = ids_by_key(store)
    assert store.set_item_tags(ids["a"], ["later", " 禁毒 ", "later", ""])
    assert store.set_item_tags(ids["b"], ["later"])
    assert not store.set_item_tags(999, ["x"])
    a = store.item(ids["a"])
    assert a is not None and a.tags == ("later", "禁毒")
    assert store.item_tag_counts() == [("later", 2), ("禁毒", 1)]
    assert [h.title for h in store.headlines(ItemQuery(item_tag="禁毒"))] == ["a"]
    store.set_item_tags(ids["a"], [])
    assert store.item_tag_counts() == [("later", 1)]
    store.remove_feed(feed.url)  # not bookmarked: the items and their tags go
    assert store.item_tag_counts() == []


def test_items_wanting_full_text(store: Store) -> None:
    plain, _ = store.add_feed("https://example.org/plain.xml")
    full, _ = store.add_feed("https://example.org/full.xml")
    listed, _ = store.add_feed("https://example.org/listed.xml")
    store.set_feed_full_text(full.id)
    assert store.feed(full.url).full_text and not store.feed(plain.url).full_text  # type: ignore[union-attr]
    store.store_parsed(plain.id, feed_of(item("p1", NOW), item("p2", NOW - 1)), now=NOW)
    store.store_parsed(full.id, feed_of(item("f1", NOW - 2)), now=NOW)
    store.store_parsed(full.id, feed_of(item("f-old", NOW - 9 * DAY)), now=NOW - 9 * DAY)
    store.store_parsed(listed.id, feed_of(item("l1", NOW - 3)), now=NOW)
    store.store_parsed(plain.id, feed_of(item("nolink", NOW - 4, link="")), now=NOW)
    ids = ids_by_key(store)
    store.set_bookmarked(ids["p2"])
    store.set_bookmarked(ids["nolink"])
    since = NOW - DAY
    assert store.wanting_full_text(bookmarks=True, since=since) == [ids["p2"], ids["f1"]]
    wanted = store.wanting_full_text(bookmarks=False, feed_urls=[listed.url], since=since)
    assert wanted == [ids["f1"], ids["l1"]]
    store.set_full_text(ids["p2"], to_stored(STORY))
    assert store.wanting_full_text(bookmarks=True, since=since) == [ids["f1"]]


def test_config_keys_and_the_moved_cap() -> None:
    cfg = parse_config(
        """
        [store]
        keep_days = 30
        [fulltext]
        feeds = ["https://example.org/full.xml"]
        concurrency = 2
        [summary]
        command = ["llm", "-m", "small"]
        timeout = 10
        """
    )
    assert (cfg.store.keep_days, cfg.store.max_items_per_feed) == (30, 2000)
    assert cfg.fulltext.feeds == ("https://example.org/full.xml",) and cfg.fulltext.bookmarks
    assert cfg.summary.command == ("llm", "-m", "small") and cfg.summary.timeout == 10.0
    assert parse_config("").summary.command == ()  # off by default
    moved = parse_config("[parse]\nworkers = 1\nmax_items_per_feed = 100\n")
    assert moved.store.max_items_per_feed == 100 and moved.parse.workers == 1
    both = parse_config("[parse]\nmax_items_per_feed = 100\n[store]\nmax_items_per_feed = 50\n")
    assert both.store.max_items_per_feed == 50
    for bad in ("[store]\nkeep_days = -1", "[summary]\ncommand = 'llm'", "[fulltext]\nnope = 1"):
        with pytest.raises(ConfigError):
            parse_config(bad)
