"""Bringing a newsboat cache.db over: feeds, stored articles, read state, flags."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.articles.article import story_document
from reader.articles.render import to_text
from reader.errors import UsageError
from reader.models import Enclosure, ItemQuery, ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.subscribe import import_newsboat_cache
from tests.newsboat import make_cache

EN = "https://example.org/feed.xml"
ZH = "https://news.example.cn/rss.xml"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return make_cache(
        tmp_path / "cache.db",
        {EN: "Example", ZH: "咸宁新闻", "file:///etc/passwd": "local"},
        [
            ("en-1", "Read story", "https://example.org/1", EN, 1_764_000_000, "<p>one</p>", 0, "", 0),
            ("en-2", "Unread story", "https://example.org/2", EN, 1_764_000_100, "<p>two</p>", 1, "", 0),
            ("https://news.example.cn/a.html", "咸宁：严厉禁毒", "https://news.example.cn/a.html", ZH,
             1_764_000_200, "<p>摘要：咸宁市严厉禁毒。</p>", 0, "s", 0),
            ("zh-gone", "deleted in newsboat", "https://news.example.cn/b.html", ZH, 1, "", 1, "", 1),
            ("x", "local", "file:///etc/passwd", "file:///etc/passwd", 1, "", 1, "", 0),
        ],
    )  # fmt: skip


def test_feeds_items_read_state_and_flags(cache: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        got = import_newsboat_cache(store, cache)
        assert (got.feeds, got.items, got.read, got.flagged) == (2, 3, 2, 1)
        assert got.skipped == ("file:///etc/passwd",)
        assert {f.url: f.title for f in store.feeds()} == {EN: "Example", ZH: "咸宁新闻"}
        heads = {h.title: h for h in store.headlines()}
        assert set(heads) == {"Read story", "Unread story", "咸宁：严厉禁毒"}
        assert heads["Read story"].read and not heads["Unread story"].read
        assert heads["咸宁：严厉禁毒"].bookmarked and heads["咸宁：严厉禁毒"].read
        item = store.item(heads["咸宁：严厉禁毒"].id)
        assert item is not None and "严厉禁毒" in item.content
        again = import_newsboat_cache(store, cache)  # idempotent
        assert again.items == 3 and store.count() == 3


def test_a_refresh_recognises_imported_items(cache: Path, tmp_path: Path) -> None:
    """The feed's own guids (or links, when it has none) match newsboat's."""
    with Store.open(tmp_path / "t.db") as store:
        import_newsboat_cache(store, cache)
        zh = store.feed(ZH)
        assert zh is not None
        link = "https://news.example.cn/a.html"
        fresh = ParsedItem(
            f"l:{link}", "咸宁：严厉禁毒", link, "", 1_764_000_200, None, "", "<p>新版</p>"
        )
        assert store.store_parsed(zh.id, ParsedFeed("咸宁新闻", "", (fresh,), "rss20")) == 0
        kept = store.headlines(ItemQuery(feed_id=zh.id))
        assert len(kept) == 1 and kept[0].read and kept[0].bookmarked


def test_not_a_cache_is_one_clear_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"definitely not sqlite" * 50)
    with (
        Store.open(tmp_path / "t.db") as store,
        pytest.raises(UsageError, match="not a newsboat cache"),
    ):
        import_newsboat_cache(store, junk)
    done = subprocess.run([sys.executable, "-m", "reader", "import", "--newsboat-cache", str(junk)],
                          capture_output=True, text=True)  # fmt: skip
    assert (
        done.returncode == 2
        and "not a newsboat cache" in done.stderr
        and "Traceback" not in done.stderr
    )


def test_cli_imports_urls_and_cache_together(cache: Path, tmp_path: Path) -> None:
    urls = tmp_path / "urls"
    urls.write_text(f'{EN} "tech"\nhttps://other.example/feed "misc"\n')
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(urls), "--newsboat-cache", str(cache)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "imported 2 feeds" in done.stdout and "3 items (2 read, 1 flagged" in done.stdout
    assert "skipped file:///etc/passwd" in done.stderr
    assert (
        subprocess.run([sys.executable, "-m", "reader", "import"], capture_output=True).returncode
        == 2
    )


def _with_enclosures(cache: Path, media: dict[str, tuple[str, str]]) -> None:
    """Give the cached items with these guids newsboat's enclosure_url and enclosure_type."""
    conn = sqlite3.connect(cache)
    conn.executemany(
        "UPDATE rss_item SET enclosure_url = ?, enclosure_type = ? WHERE guid = ?",
        [(url, kind, guid) for guid, (url, kind) in media.items()],
    )
    conn.commit()
    conn.close()


def test_enclosures_are_imported(cache: Path, tmp_path: Path) -> None:
    _with_enclosures(
        cache,
        {
            "en-1": ("https://cdn.example.org/1.mp3", "audio/mpeg"),
            "en-2": ("media/2.ogg", "audio/ogg"),  # relative: against the feed's address
            "https://news.example.cn/a.html": ("javascript:alert(1)", "audio/mpeg"),
        },
    )
    with Store.open(tmp_path / "t.db") as store:
        import_newsboat_cache(store, cache)
        heads = {h.title: h.id for h in store.headlines()}
        assert store.enclosures(heads["Read story"]) == (
            Enclosure("https://cdn.example.org/1.mp3", "audio/mpeg"),
        )
        assert store.enclosures(heads["Unread story"]) == (
            Enclosure("https://example.org/media/2.ogg", "audio/ogg"),
        )
        assert store.enclosures(heads["咸宁：严厉禁毒"]) == ()  # not http(s): dropped
        item = store.item(heads["Read story"])
        assert item is not None
        shown = to_text(story_document(item))  # what `tidings show` prints of it
        assert "• 1.mp3[1] · audio/mpeg" in shown


def test_a_cache_without_enclosure_columns_still_imports(tmp_path: Path) -> None:
    """Caches older than newsboat's enclosure columns have none to import."""
    path = tmp_path / "old-cache.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE rss_feed (rssurl TEXT, url TEXT, title TEXT)")
    conn.execute(
        "CREATE TABLE rss_item (guid TEXT, title TEXT, author TEXT, url TEXT, feedurl TEXT,"
        " pubDate INTEGER, content TEXT, unread INTEGER, flags TEXT, deleted INTEGER)"
    )
    conn.execute("INSERT INTO rss_feed VALUES (?, 'https://example.org/', 'Old 旧')", (EN,))
    conn.execute(
        "INSERT INTO rss_item VALUES ('o1', '旧文章', '', 'https://example.org/o1', ?, 1764000000,"
        " '<p>旧</p>', 1, '', 0)",
        (EN,),
    )
    conn.commit()
    conn.close()
    with Store.open(tmp_path / "t.db") as store:
        got = import_newsboat_cache(store, path)
        assert (got.feeds, got.items) == (1, 1)
        (head,) = store.headlines()
        assert head.title == "旧文章" and store.enclosures(head.id) == ()
