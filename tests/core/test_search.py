"""Full-text search over a real store: CJK, diacritics, the query language, ranking, snippets,
and an index that stays right through updates, deletions, late full text and migration."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.models import ParsedFeed, ParsedItem, SearchResult
from reader.store.db import Store
from reader.store.query import QueryError
from reader.store.schema import APPLICATION_ID, LATEST, MIGRATIONS

DAY = 86400
NOW = int(time.time())  # since:/before: count from the real clock


def item(key: str, title: str, content: str = "", *, author: str = "", summary: str = "",
         age: int = 1) -> ParsedItem:  # fmt: skip
    return ParsedItem(key=key, title=title, link=f"https://example.org/{key}", author=author,
                      published=NOW - age * DAY, updated=None, summary=summary, content=content)  # fmt: skip


ZH = item(
    "zh",
    "咸宁：严厉禁毒 温情戒毒",
    "<p>咸宁市创建全国禁毒示范城市，群众共识高。</p>",
    author="王伟",
)
JA = item("ja", "東京のニュース", "<p>きょうは さくら が さきました。テレビゲームの発表。</p>")
KO = item("ko", "서울시 소식", "<p>서울특별시는 오늘 새로운 정책을 발표했습니다.</p>")
EN = item("en", "Election results in Zürich", "<p>The new York times said the election was calm.</p>",
          author="José Álvarez", summary="Voters went to the polls.")  # fmt: skip
CAFE = item(
    "cafe", "Café culture", "<p>A naïve review of coffee and the <b>café</b> scene.</p>", age=20
)
STORM = item("storm", "Storm warning", "<p>The election was delayed by a storm in New York.</p>")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    news, _ = s.add_feed("https://news.example.org/feed", title="World Wire", tags=["news"])
    asia, _ = s.add_feed("https://asia.example.org/feed", title="亚洲快讯", tags=["asia"])
    s.store_parsed(news.id, ParsedFeed("World Wire", "", (EN, CAFE, STORM), "rss20"), now=NOW)
    s.store_parsed(asia.id, ParsedFeed("亚洲快讯", "", (ZH, JA, KO), "rss20"), now=NOW)
    yield s
    s.close()


def keys(result: SearchResult) -> list[str]:
    return [h.headline.link.rsplit("/", 1)[1] for h in result.hits]


def index_ids(store: Store, fts: str) -> list[int]:
    """Item ids straight from the FTS5 index (through the date keys its rowids are): an entry
    left behind would show here, as None when its key is gone too."""
    rows = store.conn.execute(
        "SELECT k.item_id FROM search s LEFT JOIN search_keys k ON k.key = s.rowid"
        " WHERE search MATCH ?",
        (fts,),
    )
    return [r[0] for r in rows]


def found(store: Store, query: str) -> set[str]:
    result = store.search(query)
    assert result.total == len(result.hits)
    return set(keys(result))


# ---- CJK ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["禁毒", "示范", "全国禁毒", "禁毒示范城市", "咸宁市创建全国"])
def test_chinese_words_are_found_inside_longer_runs(store: Store, query: str) -> None:
    assert found(store, query) == {"zh"}


@pytest.mark.parametrize("query", ["禁毒城市", "毒禁", "全国示范"])
def test_chinese_non_substrings_do_not_match(store: Store, query: str) -> None:
    assert found(store, query) == set()


def test_one_chinese_character_matches_anywhere_in_a_run(store: Store) -> None:
    assert found(store, "禁") == {"zh"}
    assert found(store, "高") == {"zh"}  # the last character of a run
    assert found(store, "京") == {"ja"}


def test_japanese_kana_and_korean(store: Store) -> None:
    assert found(store, "ニュース") == {"ja"}
    assert found(store, "さくら") == {"ja"}
    assert found(store, "ゲーム") == {"ja"}  # katakana inside テレビゲーム
    assert found(store, "특별") == {"ko"}
    assert found(store, "서울") == {"ko"}


def test_feed_titles_are_searched(store: Store) -> None:
    assert found(store, "快讯") == {"zh", "ja", "ko"}
    ids = {str(f.id) for f in store.feeds()}
    assert all(found(store, i) == set() for i in ids)  # feed ids in the index are not words
    assert found(store, "wire calm") == {"en"}  # one word in the feed title, one in the text


# ---- Latin text and the query language ----------------------------------------------------------


def test_diacritics_and_case_are_folded(store: Store) -> None:
    assert found(store, "cafe") == found(store, "CAFÉ") == {"cafe"}
    assert found(store, "zurich") == {"en"}
    assert found(store, "naive") == {"cafe"}


def test_phrases_prefixes_and_exclusions(store: Store) -> None:
    assert found(store, "election") == {"en", "storm"}
    assert found(store, '"new york"') == {"en", "storm"}
    assert found(store, '"york new"') == set()
    assert found(store, "elect*") == {"en", "storm"}
    assert found(store, "election -storm") == {"en"}
    assert found(store, 'election -"new york times"') == {"storm"}
    assert found(store, "-election -快讯") == {"cafe"}


def test_filters_combined_with_words(store: Store) -> None:
    storm = next(h for h in store.headlines() if h.title == "Storm warning")
    store.set_read([storm.id])
    assert found(store, "election is:unread") == {"en"}
    assert found(store, "election is:read") == {"storm"}
    assert found(store, "author:jose") == {"en"}
    assert found(store, "author:王伟 禁毒") == {"zh"}
    assert found(store, "feed:asia 禁毒") == {"zh"}
    assert found(store, "feed:world 禁毒") == set()
    assert found(store, "tag:news -tag:asia") == {"en", "cafe", "storm"}
    assert found(store, "since:7d election") == {"en", "storm"}
    assert found(store, "since:7d coffee") == set()
    assert found(store, "before:2026-01-01") == set()
    store.set_bookmarked(storm.id)
    assert found(store, "is:bookmarked") == {"storm"}


def test_a_title_match_ranks_above_a_body_match(store: Store) -> None:
    assert keys(store.search("storm")) == ["storm"]
    assert keys(store.search("election"))[0] == "en"  # in its title; "storm" has it in the text
    by_date = store.search("sort:date election coffee OR")
    assert by_date.total == 0


def test_a_long_story_with_the_words_in_its_headline_ranks_first(store: Store) -> None:
    """FTS5's bm25 normalises by the whole row: without the headline preference a short story
    that mentions the words once would beat a long one whose headline holds them."""
    feed = store.feeds()[1]
    long_body = "<p>" + "咸宁市民在树阴下下棋、听戏，欢声笑语不断。" * 80 + "禁毒工作取得成效。</p>"
    story = item("long", "全市禁毒工作会议召开", long_body)
    mention = item("short", "市民生活", "<p>禁毒宣传进社区。</p>")
    store.store_parsed(feed.id, ParsedFeed("亚洲快讯", "", (story, mention), "rss20"), now=NOW)
    ranked = keys(store.search("禁毒"))
    assert set(ranked[:2]) == {"zh", "long"} and ranked[2] == "short"  # headline matches first
    got = store.search("禁毒 sort:date")  # date order ignores the headline preference
    assert [h.headline.published for h in got.hits] == sorted(
        (h.headline.published for h in got.hits), reverse=True
    )


def test_paging_and_totals(store: Store) -> None:
    everything = store.search("", limit=2)
    assert everything.total == 6 and len(everything.hits) == 2
    rest = store.search("", limit=10, offset=2)
    assert rest.total == 6 and len(rest.hits) == 4
    assert not {h.headline.id for h in everything.hits} & {h.headline.id for h in rest.hits}
    assert store.search_count("election") == 2
    assert store.search_count("election is:unread") == 2


@pytest.mark.parametrize(
    "query",
    [
        'NEAR(election storm) "unbalanced',
        "col: title:x -",
        "'; DROP TABLE items; --",
        'election OR storm AND NOT "',
        "\x1b[2J\x00\u202e",
        '* ** -* "*"',
        "禁毒" * 300,
    ],
)
def test_hostile_queries_are_read_literally(store: Store, query: str) -> None:
    result = store.search(query)
    assert result.total == len(result.hits)
    assert store.search("禁毒").total == 1  # the store is intact


def test_a_bad_filter_value_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="is: takes"):
        store.search("is:nonsense")


# ---- snippets -----------------------------------------------------------------------------


def test_snippets_mark_the_matched_words(store: Store) -> None:
    hit = store.search("禁毒 示范").hits[0]
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
    assert marked == ["禁毒", "示范"]
    assert [hit.title.text[a:b] for a, b in hit.title.spans] == ["禁毒"]
    hit = store.search("CAFE").hits[0]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["café"]
    assert "<b>" not in hit.snippet.text


def test_snippets_are_sanitised(store: Store) -> None:
    feed = store.feeds()[0]
    evil = item("evil", "Evil \x1b]0;pwned\x07title", "<p>danger \x1b[2J\u202ezone here</p>")
    store.store_parsed(feed.id, ParsedFeed("World Wire", "", (evil,), "rss20"), now=NOW)
    hit = store.search("danger").hits[0]
    assert "\x1b" not in hit.snippet.text and "\u202e" not in hit.snippet.text
    assert "\x1b" not in hit.title.text
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["danger"]


# ---- the index stays right ------------------------------------------------------------------


def test_a_rewritten_item_is_reindexed(store: Store) -> None:
    feed = store.feeds()[0]
    changed = item("storm", "Flood warning", "<p>Rivers rose overnight.</p>")
    store.store_parsed(feed.id, ParsedFeed("World Wire", "", (changed,), "rss20"), now=NOW)
    assert found(store, "storm") == set()
    assert found(store, "flood rivers") == {"storm"}
    assert index_ids(store, "storm") == []  # the old words left the index


def test_full_text_arriving_later_is_searchable(store: Store) -> None:
    cafe = next(h for h in store.headlines() if h.title == "Café culture")
    assert found(store, "espresso") == set()
    store.set_full_text(cafe.id, "The whole article: espresso, 拿铁咖啡 and more.")
    assert found(store, "espresso") == {"cafe"}
    assert found(store, "咖啡") == {"cafe"}
    store.set_full_text(cafe.id, "Replaced text about tea.")
    assert found(store, "espresso") == set() and found(store, "tea") == {"cafe"}


def test_extracted_articles_are_indexed_as_text_not_markup(store: Store) -> None:
    from reader.articles.article import Article, to_stored

    cafe = next(h for h in store.headlines() if h.title == "Café culture")
    article = Article(html="<p>独家报道：<b>espresso</b> prices</p>", text="", author="Ana",
                      url="https://example.org/cafe")  # fmt: skip
    store.set_full_text(cafe.id, to_stored(article))
    assert found(store, "独家报道") == {"cafe"} and found(store, "espresso prices") == {"cafe"}
    assert found(store, "doctype") == set() and found(store, "meta") == set()


def test_trimmed_and_removed_items_leave_the_index(store: Store) -> None:
    feed = store.feeds()[0]
    fresh = item("fresh", "Fresh news", "<p>Nothing about coffee.</p>", age=0)
    store.store_parsed(
        feed.id, ParsedFeed("World Wire", "", (fresh,), "rss20"), max_items=1, now=NOW
    )
    assert found(store, "election") == set()  # trimmed beyond one item
    assert found(store, "coffee") == {"fresh"}
    assert index_ids(store, "election OR storm OR café") == []
    assert store.remove_feed(feed.url) == 0
    assert found(store, "coffee") == set()
    assert index_ids(store, "coffee OR fresh") == []
    assert store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert found(store, "") == {"zh", "ja", "ko"}


def test_renaming_a_feed_changes_what_its_title_matches(store: Store) -> None:
    asia = store.feed("https://asia.example.org/feed")
    assert asia is not None
    store.store_parsed(asia.id, ParsedFeed("Orient Express", "", (), "rss20"), now=NOW)
    assert found(store, "快讯") == set()
    assert found(store, "orient") == {"zh", "ja", "ko"}


def test_a_read_only_store_reports_items_not_indexed_yet(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as writer:
        feed, _ = writer.add_feed("https://example.org/feed")
        writer.import_items(feed.id, (ZH,), now=NOW)  # bulk imports are queued
        with Store.open(tmp_path / "t.db", readonly=True) as reader:
            result = reader.search("禁毒")
            assert (result.total, result.unindexed) == (0, 1)
        assert writer.search("禁毒").total == 1  # a writable store catches up first
        with Store.open(tmp_path / "t.db", readonly=True) as reader:
            assert (reader.search("禁毒").total, reader.search("禁毒").unindexed) == (1, 0)


def test_news_is_indexed_in_the_transaction_that_stores_it(tmp_path: Path) -> None:
    """A feed's first batch and what it brings later are in the index as soon as they are
    stored: a read-only reader, which indexes nothing, finds them at once."""
    with Store.open(tmp_path / "t.db") as writer:
        feed, _ = writer.add_feed("https://example.org/feed")
        writer.store_parsed(feed.id, ParsedFeed("F", "", (EN,), "rss20"), now=NOW)
        writer.store_parsed(feed.id, ParsedFeed("F", "", (ZH, STORM, EN), "rss20"), now=NOW)
        assert writer.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        with Store.open(tmp_path / "t.db", readonly=True) as reader:
            assert reader.search("禁毒").total == 1 and reader.search("storm warning").total == 1
            assert reader.search("election").total == 2  # EN's text and STORM's
            assert reader.search("zürich").unindexed == 0
        renamed = ParsedItem("storm", "Gale warning", STORM.link, "", STORM.published, None, "",
                             "<p>A gale is coming.</p>")  # fmt: skip
        writer.store_parsed(feed.id, ParsedFeed("F", "", (renamed, ZH, EN), "rss20"), now=NOW)
        assert writer.search("gale").total == 1 and writer.search("storm warning").total == 0
        assert index_ids(writer, '"storm"') == []  # the old entry left the index whole
        failing = ParsedItem("x", "Broken", "", "", NOW, None, "", "<p>never stored</p>")
        with pytest.raises(RuntimeError), writer.transaction():
            writer.store_parsed(feed.id, ParsedFeed("F", "", (failing,), "rss20"), now=NOW)
            raise RuntimeError("the write fails after the item went in")
        assert writer.search("never stored").total == 0  # the index rolled back with it
        assert index_ids(writer, '"never"') == []


def test_a_batch_indexes_the_feeds_it_stored_at_its_end(tmp_path: Path) -> None:
    """Under group commit each feed is a savepoint: its items are queued and the batch indexes
    them before it commits; a feed whose savepoint rolled back leaves nothing behind, and items
    queued by someone else (an import) stay queued."""
    with Store.open(tmp_path / "t.db") as writer:
        one, _ = writer.add_feed("https://example.org/one")
        two, _ = writer.add_feed("https://example.org/two")
        three, _ = writer.add_feed("https://example.org/three")
        writer.import_items(three.id, (CAFE,), now=NOW)
        broken = item("broken", "Broken", "<p>never stored</p>")
        with writer.batch():
            writer.store_parsed(one.id, ParsedFeed("F", "", (EN, STORM), "rss20"), now=NOW)
            with pytest.raises(RuntimeError), writer.transaction():
                writer.store_parsed(two.id, ParsedFeed("F", "", (broken,), "rss20"), now=NOW)
                raise RuntimeError("this feed's savepoint rolls back")
            writer.store_parsed(two.id, ParsedFeed("F", "", (ZH,), "rss20"), now=NOW)
            with Store.open(tmp_path / "t.db", readonly=True) as reader:
                assert reader.search("election").total == 0  # nothing before the commit
        queued = writer.conn.execute("SELECT item_id FROM search_pending").fetchall()
        assert [r[0] for r in queued] == [writer.headlines()[-1].id]  # the import's café
        with Store.open(tmp_path / "t.db", readonly=True) as reader:
            assert reader.search("election").total == 2 and reader.search("禁毒").total == 1
        assert index_ids(writer, '"never"') == []
        assert found(writer, "café") == {"cafe"}  # a writable search indexes the rest first


def test_index_text_computed_by_the_parser_is_what_the_triggers_compute(tmp_path: Path) -> None:
    """Items may arrive with their index text (ParsedItem.index, computed in the parser
    processes): it must be what the triggers compute from the stored columns, or removing the
    entry would leave tokens behind in the contentless index."""
    from dataclasses import replace

    from reader.indextext import item_index

    with Store.open(tmp_path / "t.db") as writer:
        feed, _ = writer.add_feed("https://example.org/feed")
        items = tuple(replace(i, index=item_index(i)) for i in (ZH, JA, EN, CAFE))
        with writer.batch():
            writer.store_parsed(feed.id, ParsedFeed("F", "", items, "rss20"), now=NOW)
        assert found(writer, "禁毒") == {"zh"} and found(writer, "cafe") == {"cafe"}
        writer.store_parsed(feed.id, ParsedFeed("F", "", (STORM,), "rss20"), max_items=0,
                            now=NOW)  # fmt: skip
        assert index_ids(writer, '"禁毒" OR "cafe" OR "zurich" OR "ニュ"') == []  # all gone


def test_a_schema_1_store_is_migrated_and_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for sql in MIGRATIONS[0]:
        conn.execute(sql)
    conn.execute(
        "INSERT INTO feeds (id, url, title, added) VALUES (1, 'https://e.org/f', '老频道', 1)"
    )
    conn.execute(
        "INSERT INTO items (id, feed_id, key, hash, published, first_seen, title, author)"
        " VALUES (7, 1, 'k', 'h', ?, ?, '旧新闻 Café', 'Zoë')",
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO item_texts (item_id, summary, content) VALUES (7, '', '<p>全国禁毒示范</p>')"
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        # the index is rebuilt by date, and again for the shown text: every item is queued,
        # the first search from a writable store indexes them
        assert store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 1
        for query in ("禁毒", "cafe", "author:zoe", "老频道", "旧新闻"):
            assert [h.headline.id for h in store.search(query).hits] == [7], query
        assert store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        store.set_full_text(7, "replacement")  # the trigger removes what the migration indexed
        assert store.search("replacement").total == 1 and store.search("禁毒").total == 1
        store.remove_feed("https://e.org/f")
        assert index_ids(store, '"replacement" OR "禁毒" OR "cafe"') == []
