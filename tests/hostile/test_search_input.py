"""Search input: FTS5 query syntax, SQL fragments, control characters and sheer size, through
`tidings search` (text and --json) and the store. Each is read as words (or refused with one
line, exit 2, for a filter it cannot read), never as SQL or FTS syntax, in bounded time, and the
store is untouched."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.store.query import QueryError
from tests.hostile.conftest import assert_inert, cli, db_path, integrity

HOSTILE_QUERIES = [
    '"',
    '"""',
    "'",
    "NEAR(",
    "NEAR(a b, 99999999999)",
    "a OR",
    "OR AND NOT",
    "*",
    "^",
    "^storm",
    "title:",
    "{title author}: storm",
    "- -- ---",
    "(((((storm",
    "storm)))))",
    "'; DROP TABLE items; --",
    "storm' OR '1'='1",
    '" OR 1=1 --',
    "1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "%",
    "_",
    "\\",
    "storm\x00NUL",
    "\x1b[2J\x1b]0;title\x07\u202e",
    "rank:1",
    "rowid:1",
    "search:*",
    "MATCH",
    "feed:",
    "tag:'",
    "since:",
    "before:'1970'",
    "sort:",
    "is:",
    'author:"',
    "风暴" * 5000,
    " ".join(["storm"] * 3000),
    " OR ".join(f"w{i}" for i in range(60)),
    "-storm " * 500,
]


@pytest.fixture
def home_with_items(home: Path) -> Path:
    with Store.open(db_path(home)) as store:
        feed, _ = store.add_feed("http://search.example/feed.xml", title="Search 搜索")
        items = tuple(
            ParsedItem(f"k{i}", f"storm {i} 风暴", f"http://search.example/{i}", "Ann", 1_764_000_000 + i,
                       None, "", f"<p>harbour storm news {i} 港口风暴</p>")
            for i in range(30)
        )  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("Search 搜索", "", items, "rss20"))
        store.index_pending()
    return home


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_are_read_as_words(home_with_items: Path, query: str) -> None:
    path = db_path(home_with_items)
    started = time.monotonic()
    text = cli("search", query)
    as_json = cli("search", "--json", query)
    assert time.monotonic() - started < 5
    for ran in (text, as_json):
        assert ran.code in (0, 2), ran
        assert "Traceback" not in ran.err and "sqlite" not in ran.err.lower()
        assert_inert(ran.out + ran.err, "search")
        if ran.code == 2:
            assert len(ran.err.strip().splitlines()) == 1 and ran.err.startswith("tidings: ")
    if as_json.code == 0:
        result = json.loads(as_json.out)
        assert result["total"] >= len(result["hits"])
    with Store.open(path, readonly=True) as store:
        assert store.count() == 30 and store.search("storm").total == 30  # nothing dropped
    assert integrity(path) == "ok"


def test_store_search_raises_only_query_errors(home_with_items: Path) -> None:
    with Store.open(db_path(home_with_items)) as store:
        for query in HOSTILE_QUERIES:
            try:
                result = store.search(query, limit=5)
            except QueryError as exc:
                assert "\n" not in str(exc)
            else:
                assert len(result.hits) <= 5
                assert store.search_count(query) == result.total
