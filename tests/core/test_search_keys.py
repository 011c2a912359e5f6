"""Search by date keys and initials: one letter or one CJK character found through a single
term, bookmark tags under tag:, estimated totals while the count runs, and keys that stay
unique when many items share a second."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
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


def test_keys_in_a_range_are_counted_from_whichever_side_is_shorter(tmp_path: Path) -> None:
    from reader.store import searchpage

    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://e.org/f")
        items = [item(f"n{n}", f"Rain {n}", "<p>rain</p>", age=n * n) for n in range(40)]
        store.store_parsed(feed.id, ParsedFeed("F", "", tuple(items), "rss20"), now=NOW)
        keys = [r[0] for r in store.conn.execute("SELECT key FROM search_keys ORDER BY key")]
        bounds = [None, keys[0], keys[1], keys[5], keys[20], keys[-2], keys[-1], keys[-1] + 1]
        for low in bounds:
            for high in bounds:
                inside = [
                    k for k in keys if (low is None or k >= low) and (high is None or k < high)
                ]
                assert searchpage._indexed(store.conn, low, high) == len(inside), (low, high)


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


WORDS = ["st", "state", "stop", "the", "them", "theatre", "thin", "a", "an", "and", "ant",
         "Straße", "Éte", "état-major", "x9"]  # fmt: skip
ZH = ["禁毒", "全国", "咸宁", "国家", "禁止"]


def _folded(word: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


def test_prefixes_of_one_to_three_letters_find_what_a_scan_finds(tmp_path: Path) -> None:
    """Every prefix of one to four letters of every word (the word itself too: `st*`, `the*`),
    and every CJK character, finds exactly the items whose words start with it, as a scan of
    their words says; in English, accented and Chinese text alike."""
    import random
    import re

    rng = random.Random(7)
    texts = {f"n{n}": " ".join(rng.sample(WORDS, 3)) + " " + rng.choice(ZH) for n in range(40)}
    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://e.org/f", title="Zzz")
        items = [item(k, "Zzz", f"<p>{t}</p>", n) for n, (k, t) in enumerate(texts.items())]
        store.store_parsed(feed.id, ParsedFeed("Zzz", "", tuple(items), "rss20"), now=NOW)
        words = {k: [_folded(w) for w in re.findall(r"[^\W_]+", t)] for k, t in texts.items()}
        prefixes = {_folded(w)[:n] for w in WORDS for n in range(1, 5)} - {"zzz"[:1]}
        for prefix in sorted(prefixes):
            expected = {k for k, ws in words.items() if any(w.startswith(prefix) for w in ws)}
            assert found(store, f"{prefix}*") == expected, prefix
            assert found(store, f"{prefix.upper()}*") == expected, prefix
        for char in sorted(set("".join(ZH))):
            assert found(store, char) == {k for k, t in texts.items() if char in t}, char


def test_filters_beside_the_keys_agree_with_the_items(tmp_path: Path) -> None:
    """is:, feed: (a list too long for the index), tag:, since: and before: with words give
    what the items' own columns say."""
    import random

    from reader.store import search

    rng = random.Random(3)
    with Store.open(tmp_path / "t.db") as store:
        for f in range(search.FEED_LIST + 6):  # tag:many names more feeds than FEED_LIST
            feed, _ = store.add_feed(f"https://e.org/{f}", tags=["many"] if f % 7 else ["few"])
            items = [item(f"{f}-{n}", f"Flood {n}", "<p>flood 洪水</p>", age=rng.randrange(9000))
                     for n in range(3)]  # fmt: skip
            store.store_parsed(feed.id, ParsedFeed("F", "", tuple(items), "rss20"), now=NOW)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM items")]
        store.set_read(rng.sample(ids, len(ids) // 2))
        for item_id in rng.sample(ids, 20):
            store.set_bookmarked(item_id)
        store.conn.execute("UPDATE items SET hidden = 1 WHERE id IN (?, ?, ?)", ids[:3])
        rows = store.conn.execute(
            "SELECT i.id, i.read, i.bookmarked, i.hidden, i.published, t.tag FROM items i"
            " JOIN feed_tags t ON t.feed_id = i.feed_id"
        ).fetchall()
        cut = NOW - 3000 * 60
        wants: dict[str, Callable[[sqlite3.Row], object]] = {
            "is:unread": lambda r: not r[1] and not r[3],
            "is:read": lambda r: r[1] and not r[3],
            "is:bookmarked": lambda r: r[2] and not r[3],
            "-is:bookmarked": lambda r: not r[2] and not r[3],
            "is:hidden": lambda r: r[3],
            "is:hidden is:unread": lambda r: r[3] and not r[1],
            "tag:many": lambda r: r[5] == "many" and not r[3],
            "-tag:many is:unread": lambda r: r[5] != "many" and not r[1] and not r[3],
            "before:50h": lambda r: r[4] < cut and not r[3],
            "since:50h is:read": lambda r: r[4] >= cut and r[1] and not r[3],
        }
        for words in ("flood", "洪水", "f*", "洪"):
            for filters, want in wants.items():
                result = search.run(store.conn, f"{words} {filters}", limit=500, now=NOW)
                got = {h.headline.id for h in result.hits}
                assert got == {r[0] for r in rows if want(r)}, (words, filters)
                assert result.total == len(got)


def test_before_finds_items_whose_keys_spilled_into_the_next_second(tmp_path: Path) -> None:
    """More items in one second than it has keys: the rest take the next seconds' keys, and
    before: the second after still finds every one of them (and nothing of that second)."""
    from reader.store import search

    then = NOW - 7200
    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://e.org/f")
        items = [item(f"a{n}", f"Flood {n}", "<p>洪水 flood</p>", when=then)
                 for n in range(KEY_SLOTS * 2 + 3)]  # fmt: skip
        items += [item(f"b{n}", f"Flood late {n}", "<p>洪水 flood</p>", when=then + 1)
                  for n in range(4)]  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("F", "", tuple(items), "rss20"), now=NOW)
        for query in ("flood before:1h", "洪水 before:1h", "before:1h"):
            result = search.run(store.conn, query, limit=500, now=then + 3601)
            titles = {h.headline.title for h in result.hits}
            assert titles == {f"Flood {n}" for n in range(KEY_SLOTS * 2 + 3)}, query


def test_bookmarks_are_counted_and_listed_through_their_own_index(store: Store) -> None:
    """The Bookmarks count (the feed pane's, before the first useful view) and is:bookmarked
    walk items_bookmarked, not every item's date (0.5 s at 250,000 items)."""
    from reader.models import ItemQuery
    from reader.store import items
    from reader.store.query import parse
    from reader.store.search import compile_query
    from reader.store.searchpage import _source

    where, args = items._where(ItemQuery(bookmarked=True))
    source, more = _source(compile_query(store.conn, parse("is:bookmarked")), True)
    for sql, values in ((f"SELECT count(*) FROM items i{where}", args),
                        (f"SELECT i.id {source} ORDER BY i.published DESC, i.id DESC", more)):  # fmt: skip
        plan = " ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, values))
        assert "items_bookmarked" in plan, plan
