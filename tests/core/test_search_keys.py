"""Search by date keys and initials: one letter or one CJK character found through a single
term, bookmark tags under tag:, estimated totals while the count runs, and keys that stay
unique when many items share a second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.models import ParsedFeed, ParsedItem
from reader.store.counting import Counter
from reader.store.db import Store
from reader.store.indexing import KEY_SLOTS

NOW = int(time.time())


def item(key: str, title: str, body: str, age: int = 1, when: int | None = None) -> ParsedItem:
    return ParsedItem(key=key, title=title, link=f"https://example.org/{key}", author="",
                      published=NOW - age * 60 if when is None else when, updated=None,
                      summary="", content=body)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    feed, _ = s.add_feed("https://news.example.org/feed", title="Desk", tags=["news"])
    items = [
        item("storm", "Storm warning", "<p>(Stormy) weather; state-of-the-art radar.</p>", 1),
        item("zh", "咸宁：严厉禁毒", "<p>咸宁市创建全国禁毒示范城市。</p>", 2),
        item("cafe", "Éclair review", "<p>A café.</p>", 3),
        item("other", "Quiet day", "<p>Nothing happened.</p>", 4),
    ]
    s.store_parsed(feed.id, ParsedFeed("Desk", "", tuple(items), "rss20"), now=NOW)
    yield s
    s.close()


def found(store: Store, query: str) -> set[str]:
    result = store.search(query)
    assert result.total == len(result.hits) and result.exact
    return {h.headline.link.rsplit("/", 1)[1] for h in result.hits}


def test_one_letter_prefixes_and_one_character_use_the_initials(store: Store) -> None:
    assert found(store, "s*") == {"storm"}  # Storm, (Stormy), state
    assert found(store, "o*") == {"storm"}  # "of" inside state-of-the-art
    assert found(store, "e*") == {"cafe"}  # Éclair: diacritics folded
    assert found(store, "q*") == {"other"}
    assert found(store, "x*") == set()
    assert found(store, "禁") == found(store, "禁*") == {"zh"}
    assert found(store, "市") == {"zh"}  # the last character of a run
    assert found(store, "st*") == {"storm"}  # two letters: the index's own prefix query
    assert found(store, "s* -storm") == set()
    assert found(store, "禁 is:unread") == {"zh"}


def test_initials_follow_an_items_changes(store: Store) -> None:
    zh = next(h for h in store.headlines() if h.title.startswith("咸宁"))
    store.set_full_text(zh.id, "<p>龘字新闻</p>")
    assert found(store, "龘") == {"zh"}
    store.remove_feed("https://news.example.org/feed")
    assert found(store, "龘") == found(store, "s*") == set()
    assert store.conn.execute("SELECT count(*) FROM search_keys").fetchone()[0] == 0


def test_tag_finds_bookmark_tags_as_well_as_feed_tags(store: Store) -> None:
    cafe = next(h for h in store.headlines() if h.title.startswith("Éclair"))
    store.set_bookmarked(cafe.id)
    store.set_item_tags(cafe.id, ["Food", "paris"])
    assert found(store, "tag:food") == {"cafe"}  # a bookmark's own tag (case folded)
    assert found(store, "tag:food cafe") == {"cafe"}
    assert found(store, "tag:food storm") == set()
    assert found(store, "tag:news") == {"storm", "zh", "cafe", "other"}  # the feed's tag
    assert found(store, "tag:news -tag:paris") == {"storm", "zh", "other"}
    assert found(store, "tag:paris tag:nothing") == {"cafe"}
    assert found(store, "feed:desk tag:food") == {"cafe"}
    assert found(store, "feed:elsewhere tag:food") == set()


def test_an_estimate_while_the_count_runs_then_the_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store import searchpage

    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://e.org/f")
        items = [item(f"n{n}", f"Storm {n}", "<p>storm</p>", age=n) for n in range(60)]
        items += [item(f"q{n}", f"Quiet {n}", "<p>calm</p>", age=n) for n in range(60)]
        store.store_parsed(feed.id, ParsedFeed("F", "", tuple(items), "rss20"), now=NOW)
        monkeypatch.setattr(searchpage, "RANK_WINDOW", 10)
        monkeypatch.setattr(store, "_counter", Counter(store.path, threads=False))
        result = store.search("storm", limit=5, exact=False)
        assert not result.exact and 30 <= result.total <= 120  # about 60, from the density
        assert [h.headline.title for h in result.hits][:1] == ["Storm 0"]  # headline, newest
        assert store.search_total("storm") == 60
        assert store.search("storm", limit=5).total == 60  # exact when asked (the CLI)
        assert store.search("storm", limit=20, exact=False).exact is False
        assert store.search("calm storm", exact=False).total == 0


def test_keys_stay_unique_and_in_date_order_when_many_items_share_a_second(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "t.db") as store:
        for f in range(3):  # feeds whose items all carry the same few times
            feed, _ = store.add_feed(f"https://e.org/{f}")
            items = [item(f"{f}-{n}", f"Flood {f} {n}", "<p>flood</p>", when=NOW - 3600 * (n % 2))
                     for n in range(KEY_SLOTS + 5)]  # fmt: skip
            store.store_parsed(feed.id, ParsedFeed("F", "", tuple(items), "rss20"), now=NOW)
            store.index_pending()  # a batch at a time, as refreshes come
        keys = store.conn.execute(
            "SELECT k.key, i.published FROM search_keys k JOIN items i ON i.id = k.item_id"
            " ORDER BY k.key"
        ).fetchall()
        assert len(keys) == 3 * (KEY_SLOTS + 5)
        published = [p for _, p in keys]
        assert published == sorted(published)  # key order is date order
        assert all(k >= p * KEY_SLOTS for k, p in keys)  # never before the item's time
        result = store.search("flood sort:date", limit=200)
        assert result.total == len(keys)
        dates = [h.headline.published for h in result.hits]
        assert dates == sorted(dates, reverse=True)
