"""The search query language: what each piece of a query becomes, and what is read literally."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.errors import UsageError
from reader.searchtext import index_form, query_form
from reader.store.query import Query, QueryError, Term, parse
from reader.store.search import phrase

NOW = 1_800_000_000.0


def test_words_phrases_prefixes_and_exclusions() -> None:
    q = parse('election "new york" elect* -storm -"rainy day" 禁毒', NOW)
    assert q.include == (
        Term("election"),
        Term("new york"),
        Term("elect", prefix=True),
        Term("禁毒"),
    )
    assert q.exclude == (Term("storm"), Term("rainy day"))
    assert not q.by_date  # words: best first


def test_filters() -> None:
    q = parse(
        'feed:"BBC News" tag:tech author:josé is:unread is:bookmarked since:7d before:2026-12-01'
        " -feed:sport -tag:china -author:bot sort:date",
        NOW,
    )
    assert q.feeds == ("BBC News",) and q.not_feeds == ("sport",)
    assert q.tags == ("tech",) and q.not_tags == ("china",)
    assert q.authors == (Term("josé"),) and q.not_authors == (Term("bot"),)
    assert q.read is False and q.bookmarked is True
    assert q.since == int(NOW) - 7 * 86400
    assert q.before == int(datetime(2026, 12, 1).timestamp())
    assert q.by_date and q.include == ()


def test_is_read_negated_and_ages() -> None:
    assert parse("is:read", NOW).read is True
    assert parse("-is:read", NOW).read is False
    assert parse("since:12h", NOW).since == int(NOW) - 12 * 3600
    assert parse("since:2w", NOW).since == int(NOW) - 14 * 86400
    assert parse("since:2026", NOW).since == int(datetime(2026, 1, 1).timestamp())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("is:starred", "is: takes unread, read, bookmarked or hidden"),
        ("since:yesterday", "since: takes a date like 2026-11-01 or an age like 7d"),
        ("before:2026-13-45", "before: takes a date"),
        ("sort:random", "sort: takes date or relevance"),
        ("-since:7d", "-since: cannot be negated"),
    ],
)
def test_unreadable_filter_values_are_one_clear_usage_error(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        parse(text, NOW)
    assert isinstance(caught.value, UsageError)  # exit code 2 on the command line
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        'NEAR(a b) title:x col: "unbalanced',
        "'; DROP TABLE items; --",
        "a OR b AND NOT c",
        '"" "" -',
        "*",
        "\x00\x1b[2J",
        "-" * 50,
        '"' * 7,
        "x" * 5000,
    ],
)
def test_hostile_text_is_read_literally(text: str) -> None:
    q = parse(text, NOW)
    for term in (*q.include, *q.exclude):
        fts = phrase(term)
        # every word reaches FTS5 inside one pair of quotes, inner quotes doubled
        assert fts is None or (fts.startswith('"') and fts.rstrip(" *").endswith('"'))
        if fts is not None:
            inner = fts.rstrip(" *")[1:-1]
            assert '"' not in inner.replace('""', "")


def test_unknown_keys_and_operators_are_words() -> None:
    q = parse("title:climate NEAR(x", NOW)
    assert q.include == (Term("title:climate"), Term("NEAR(x"))
    assert q.feeds == () and q.authors == ()


def test_an_empty_filter_value_is_ignored_while_typing() -> None:
    assert parse("feed: is: since:", NOW) == Query(text="feed: is: since:")


def test_cjk_runs_become_bigrams_in_index_and_query_alike() -> None:
    assert index_form("全国禁毒示范城市").split() == [
        "全", "全国", "国禁", "禁毒", "毒示", "示范", "范城", "城市", "市",
    ]  # fmt: skip
    assert query_form("禁毒示范") == (" 禁毒 毒示 示范 ", False)
    assert query_form("禁") == ("禁", True)  # one character: a prefix of bigrams
    assert index_form("iPhone发布会 2026年").split() == [
        "iPhone", "发", "发布", "布会", "会", "2026", "年", "年",
    ]  # fmt: skip
    assert query_form("iPhone发布")[0].split() == ["iPhone", "发", "发布"]
    assert index_form("plain ascii") == "plain ascii"
