"""The SQLite store: schema, migrations, item identity and refresh writes (processes sharing a
store: test_sharing.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.models import ItemQuery, ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.store.schema import APPLICATION_ID, LATEST

NOW = 1_800_000_000


def item(key: str, title: str = "", published: int | None = NOW - 100, **kw: str) -> ParsedItem:
    fields = {"link": f"https://example.org/{key}", "author": "", "summary": "", "content": ""}
    fields.update(kw)
    return ParsedItem(key=key, title=title or key, published=published, updated=None, **fields)  # type: ignore[arg-type]


def feed_of(*items: ParsedItem, title: str = "Feed") -> ParsedFeed:
    return ParsedFeed(title=title, site_url="https://example.org/", items=items, format="rss20")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def test_fresh_store_has_wal_ids_and_version(tmp_path: Path) -> None:
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"feeds", "items", "item_texts", "items_unread", "items_feed_date"} <= names


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    before = (tmp_path / "t.db").read_bytes()
    with pytest.raises(StoreError, match="newer tidings"):
        Store.open(tmp_path / "t.db")
    assert (tmp_path / "t.db").read_bytes() == before


def test_foreign_databases_are_refused(tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="not a tidings database"):
        Store.open(tmp_path / "other.db")
    app = sqlite3.connect(tmp_path / "app.db")
    app.execute("PRAGMA application_id = 1234")
    app.commit()
    app.close()
    with pytest.raises(StoreError, match="application_id"):
        Store.open(tmp_path / "app.db")
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store.open(tmp_path / "junk.db")


def test_migration_runs_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.store import schema

    broken = ((*schema.MIGRATIONS[0], "CREATE TABLE feeds (x)"),)  # fails at the last statement
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match="upgrade to schema 1 failed"):
        Store.open(tmp_path / "t.db")
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0


def test_add_and_remove_keep_bookmarks(store: Store) -> None:
    feed, created = store.add_feed("https://example.org/feed", title="Ex", tags=["news", "新闻"])
    assert created and feed.tags == ("news", "新闻")
    again, created = store.add_feed("https://example.org/feed", tags=["more"])
    assert not created and again.id == feed.id and again.tags == ("more", "news", "新闻")
    store.store_parsed(feed.id, feed_of(item("a"), item("b"), item("c")), now=NOW)
    ids = [h.id for h in store.headlines()]
    store.set_bookmarked(ids[0])
    assert store.remove_feed("https://example.org/feed") == 1
    assert store.feeds() == []
    kept = store.headlines()
    assert [h.id for h in kept] == [ids[0]] and kept[0].feed_title == "Feed"
    assert store.item(ids[0]) is not None
    assert store.remove_feed("https://example.org/feed") is None
    back, created = store.add_feed("https://example.org/feed")
    assert created and back.id == feed.id  # resubscribing finds the kept items again


def test_item_identity_and_new_counts(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    assert store.store_parsed(feed.id, feed_of(item("g:1"), item("g:2")), now=NOW) == 2
    assert store.store_parsed(feed.id, feed_of(item("g:1"), item("g:2")), now=NOW) == 0
    changed = item("g:2", title="Corrected title 更正")
    assert store.store_parsed(feed.id, feed_of(item("g:3"), item("g:1"), changed), now=NOW) == 1
    titles = {h.title for h in store.headlines()}
    assert titles == {"g:1", "Corrected title 更正", "g:3"}
    other, _ = store.add_feed("https://example.org/other")
    assert store.store_parsed(other.id, feed_of(item("g:1")), now=NOW) == 1  # keys are per feed


def test_dates_missing_and_future_fall_back_to_first_seen(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    items = (item("old", published=NOW - 86400), item("none", published=None),
             item("future", published=NOW + 10 * 365 * 86400))  # fmt: skip
    store.store_parsed(feed.id, feed_of(*items), now=NOW)
    by_title = {h.title: h.published for h in store.headlines()}
    assert by_title == {"old": NOW - 86400, "none": NOW, "future": NOW}


def test_same_date_items_keep_document_order(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    store.store_parsed(feed.id, feed_of(*(item(k, published=None) for k in "abcde")), now=NOW)
    assert [h.title for h in store.headlines()] == list("abcde")


def test_texts_round_trip_with_chinese_and_hostile_strings(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    hostile = "[@click=app.quit]x[/] \x1b]0;pwned\x07 全国禁毒示范城市"
    store.store_parsed(
        feed.id, feed_of(item("k", title=hostile, content="<p>摘要：内容</p>")), now=NOW
    )
    got = store.item(store.headlines()[0].id)
    assert got is not None and got.title == hostile and got.content == "<p>摘要：内容</p>"


def test_not_modified_is_a_success_and_keeps_the_rest(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    store.store_parsed(feed.id, feed_of(item("a")), etag='"e"', now=NOW)
    store.record_failure(feed.id, "HTTP 503", status=503, now=NOW + 30)
    store.mark_not_modified([feed.id], now=NOW + 60)  # the feed answered correctly: ok now
    after = store.feed_by_id(feed.id)
    assert after is not None
    assert (after.last_checked, after.last_ok, after.http_status) == (NOW + 60, NOW + 60, 304)
    assert (after.error_streak, after.last_error) == (0, "")
    assert after.etag == '"e"' and store.count() == 1


def test_failure_keeps_items_and_counts_the_streak(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    store.store_parsed(feed.id, feed_of(item("a"), item("b")), now=NOW)
    store.record_failure(feed.id, "HTTP 500", status=500, now=NOW + 1)
    store.record_failure(feed.id, "HTTP 410 Gone", status=410, gone=True, now=NOW + 2)
    f = store.feed_by_id(feed.id)
    assert f is not None and (f.error_streak, f.gone, f.http_status) == (2, True, 410)
    assert store.count() == 2
    store.store_parsed(feed.id, feed_of(item("a")), now=NOW + 3)
    f = store.feed_by_id(feed.id)
    assert f is not None and (f.error_streak, f.gone, f.last_error) == (0, False, "")


def test_one_feed_update_is_one_transaction(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.store import items as itemsql

    feed, _ = store.add_feed("https://example.org/feed")

    def explode(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(itemsql, "trim_feed", explode)  # fails after the items were written
    with pytest.raises(RuntimeError):
        store.store_parsed(feed.id, feed_of(item("a"), item("b")), now=NOW)
    assert store.count() == 0


def test_item_cap_bounds_a_feed_whose_guids_change(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    for n in range(6):
        batch = feed_of(*(item(f"{n}-{i}", published=NOW - 1000 + n * 10 + i) for i in range(3)))
        store.store_parsed(feed.id, batch, max_items=5, now=NOW)
    heads = store.headlines()
    assert len(heads) == 5 and heads[0].title == "5-2"
    store.set_bookmarked(heads[-1].id)
    store.store_parsed(feed.id, feed_of(item("new", published=NOW)), max_items=5, now=NOW)
    assert heads[-1].id in {h.id for h in store.headlines()}  # bookmarks survive the cap


def test_queries_filter_and_page(store: Store) -> None:
    a, _ = store.add_feed("https://a.example/feed", tags=["tech"])
    b, _ = store.add_feed("https://b.example/feed", tags=["新闻"])
    store.store_parsed(
        a.id, feed_of(*(item(f"a{i}", published=NOW - i) for i in range(5))), now=NOW
    )
    store.store_parsed(
        b.id, feed_of(*(item(f"b{i}", published=NOW - 10 - i) for i in range(3))), now=NOW
    )
    assert store.count() == 8
    assert [h.title for h in store.headlines(ItemQuery(limit=3, offset=4))] == ["a4", "b0", "b1"]
    assert store.count(ItemQuery(tag="新闻")) == 3
    assert store.count(ItemQuery(feed_id=a.id)) == 5
    store.set_read([h.id for h in store.headlines(ItemQuery(feed_id=a.id))][:2])
    assert store.count(ItemQuery(unread=True)) == 6 and store.unread_counts() == {a.id: 3, b.id: 3}


def test_permanent_redirect_moves_the_feed(store: Store) -> None:
    a, _ = store.add_feed("https://old.example/feed")
    store.add_feed("https://taken.example/feed")
    assert store.move_feed(a.id, "https://new.example/feed")
    assert store.feed("https://new.example/feed") is not None
    assert not store.move_feed(a.id, "https://taken.example/feed")


def test_ids_then_rows_for_a_virtual_list(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    store.store_parsed(
        feed.id, feed_of(*(item(f"k{i}", published=NOW - i) for i in range(1200))), now=NOW
    )
    ids = store.item_ids()
    assert len(ids) == 1200 and list(ids[:3]) == [h.id for h in store.headlines(ItemQuery(limit=3))]
    window = store.headlines_for(ids[600:603])
    assert [h.title for h in window] == ["k600", "k601", "k602"]
    assert store.mark_all_read(ItemQuery(feed_id=feed.id)) == 1200
    assert store.count(ItemQuery(unread=True)) == 0


def test_a_guid_equal_to_the_link_is_the_same_item_as_that_link(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed")
    link = "https://example.org/story"
    store.store_parsed(feed.id, feed_of(item(f"g:{link}", title="v1", link=link)), now=NOW)
    item_id = store.headlines()[0].id
    store.set_read([item_id])
    # the feed stops sending the guid: the item is now known by its link
    assert (
        store.store_parsed(feed.id, feed_of(item(f"l:{link}", title="v2", link=link)), now=NOW) == 0
    )
    got = store.item(item_id)
    assert got is not None and got.key == f"l:{link}" and got.title == "v2" and got.read
    # one document holding both spellings for two different items: the second one is new
    both = feed_of(
        item(f"l:{link}", title="v2", link=link), item(f"g:{link}", title="other", link=link)
    )
    assert store.store_parsed(feed.id, both, now=NOW) == 1
    assert sorted(h.title for h in store.headlines()) == ["other", "v2"]
