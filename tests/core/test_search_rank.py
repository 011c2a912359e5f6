"""How search ranks and counts on a store with more matches than one page: bm25 scored on a
phrase's key token, exclusions left out of the score, headline matches first, and totals from
the second connection that counts beside the ranking."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.models import ParsedFeed, ParsedItem, SearchResult
from reader.store import search as searchsql
from reader.store import searchpage
from reader.store.counting import Counter
from reader.store.db import Store
from reader.store.query import Term

NOW = int(time.time())
FILLER = "The council met on Tuesday to discuss the budget for the coming year. "


def item(key: str, title: str, body: str, age: int) -> ParsedItem:
    return ParsedItem(key=key, title=title, link=f"https://example.org/{key}", author="",
                      published=NOW - age * 60, updated=None, summary="", content=body)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """40 stories that say "interest rate" once in a long text, older ones that say it often
    in a short one, one with it in its headline, and stories with the words apart."""
    s = Store.open(tmp_path / "t.db")
    feed, _ = s.add_feed("https://news.example.org/feed", title="Money Desk")
    items = [
        item("often", "Markets", "<p>Interest rate up. The interest rate rose; interest rate news.</p>", 50),
        item("headline", "Interest rate cut announced", f"<p>{FILLER * 6} It fell.</p>", 60),
        item("apart", "Rate of interest", "<p>The rate went up; interest grew.</p>", 1),
        item("excluded", "Storm", "<p>The interest rate and a storm warning.</p>", 2),
        item("中文", "央行下调利率", "<p>中国人民银行宣布下调贷款市场报价利率，利率下调幅度为十个基点。</p>", 3),
    ]  # fmt: skip
    items += [item(f"once{n}", f"Budget talks {n}", f"<p>{FILLER * 6} The interest rate held.</p>",
                   age=n) for n in range(40)]  # fmt: skip
    s.store_parsed(feed.id, ParsedFeed("Money Desk", "", tuple(items), "rss20"), now=NOW)
    yield s
    s.close()


def keys_of(result: SearchResult) -> list[str]:
    return [h.headline.link.rsplit("/", 1)[1] for h in result.hits]


def keys(store: Store, query: str, limit: int = 50) -> list[str]:
    return keys_of(store.search(query, limit))


def test_key_phrase_is_the_longest_token_of_a_phrase() -> None:
    assert searchsql.key_phrase(Term("interest rate")) == '"interest"'
    assert searchsql.key_phrase(Term("the government")) == '"government"'
    assert searchsql.key_phrase(Term("全国禁毒")) == '"全国"'  # bigrams: the first of equals
    assert searchsql.key_phrase(Term("police sa", prefix=True)) == '"police"'
    assert searchsql.key_phrase(Term("a bcd", prefix=True)) == '"bcd" *'  # the prefix stays
    assert searchsql.key_phrase(Term("election")) is None  # one token: no stand-in needed
    assert searchsql.key_phrase(Term("禁")) is None


def test_a_phrase_finds_exactly_its_matches_ranked_by_bm25(store: Store) -> None:
    result = store.search('"interest rate"')
    found = keys_of(result)
    assert "apart" not in found  # the key token alone does not make a match
    assert result.total == 43 and len(found) == 43
    assert found[:2] == ["headline", "often"]  # in the headline; then the densest text
    assert found.index("often") < found.index("once0")


def test_past_the_rank_window_only_the_newest_matches_are_ranked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # newest by publication date, not by storage: the feed lists often and headline first, so
    # they are stored last (the highest ids), but they are the oldest stories
    monkeypatch.setattr(searchpage, "RANK_WINDOW", 5)
    result = store.search('"interest rate"', limit=3)  # ranks once0-3 and excluded (ages 0-3)
    assert keys_of(result) == ["excluded", "once0", "once1"] and result.total == 43
    result = store.search("interest -storm", limit=2)  # once0, apart, once1, once2, once3
    assert keys_of(result) == ["apart", "once0"] and result.total == 43
    result = store.search('"interest rate" sort:date', limit=3)
    assert keys_of(result)[0] == "once0" and result.total == 43
    # pages asked for one after another (the reader's scrolling) agree with one long page:
    # the ranked five first, then the older matches newest first
    whole = keys(store, '"interest rate"', limit=43)
    paged = [k for start in range(0, 43, 4)
             for k in keys_of(store.search('"interest rate"', limit=4, offset=start))]  # fmt: skip
    assert paged == whole and len(set(whole)) == 43
    assert whole[5:8] == ["once4", "once5", "once6"]


def test_an_exclusion_takes_items_out_but_no_part_in_the_score(store: Store) -> None:
    found = keys(store, '"interest rate" -storm')
    assert "excluded" not in found and found[:2] == ["headline", "often"]
    assert store.search('"interest rate" -storm').total == 42


def test_chinese_phrases_rank_the_same_way(store: Store) -> None:
    assert keys(store, "利率下调") == ["中文"]
    assert keys(store, "下调 -基点") == []


@pytest.mark.parametrize("threads", [True, False])
def test_totals_past_the_first_page_come_from_the_counter(
    store: Store, threads: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_counter", Counter(store.path, threads=threads))
    for query, total in [('"interest rate"', 43), ("interest", 44), ("budget -talks", 1),
                         ("interest is:unread", 44), ("rate is:read", 0)]:  # fmt: skip
        result = store.search(query, limit=3)
        assert result.total == total, query
        assert len(result.hits) == min(3, total)
        assert store.search_count(query) == total


def test_closing_the_store_stops_the_counter(store: Store) -> None:
    store.search("interest", limit=1)  # starts the worker and its connection
    store.close()
    assert store._counter._pool is None and store._counter._conn is None


def test_a_phrase_counts_in_a_headline_only_as_a_phrase(tmp_path: Path) -> None:
    # "apart" is newer and denser, and its headline holds both words (the key token too), but
    # not as the phrase: only "together" is a headline match
    s = Store.open(tmp_path / "p.db")
    feed, _ = s.add_feed("https://wire.example.org/feed", title="Wire")
    long = FILLER * 4
    stories = {"apart": ("Police chief said little", "Police said so. Police said it.", 1),
               "together": ("Police said to act", long + "Police said more.", 30),
               "zh-apart": ("禁毒全国", "全国禁毒。全国禁毒工作。", 2),
               "zh-together": ("全国禁毒宣传周", long + "全国禁毒。", 40)}  # fmt: skip
    stories |= {
        f"body{n}": (f"Report {n}", "Police said nothing. 全国禁毒", 5 + n) for n in range(5)
    }
    # "said" and 全国 are commoner than "police" and 国禁: the headlines holding those are read
    stories |= {f"other{n}": (f"Other {n}", "Officials said. 全国新闻", 60 + n) for n in range(9)}
    items = [item(k, title, f"<p>{body}</p>", age) for k, (title, body, age) in stories.items()]
    s.store_parsed(feed.id, ParsedFeed("Wire", "", tuple(items), "rss20"), now=NOW)
    try:
        assert keys(s, '"police said"')[0] == "together"
        assert keys(s, "全国禁毒")[0] == "zh-together"
        assert keys(s, '"police said" sort:date')[0] == "apart"
    finally:
        s.close()
