"""`tidings search`: lines, the --json contract, --limit, errors, sanitised output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reader.cli import main
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store

NOW = int(time.time())
HOSTILE = "Evil \x1b]0;pwned\x07\x1b[2J\u202e title 禁毒"


def seed(home: Path) -> None:
    with Store.open(home / "data" / "tidings.db") as store:
        feed, _ = store.add_feed("https://example.org/feed.xml", title="示例 Example")
        stories = [
            ParsedItem(f"k{n}", f"禁毒 story {n}", f"https://example.org/{n}", "", NOW - n * 60,
                       None, "", f"<p>全国禁毒示范城市 number {n}.</p>")
            for n in range(5)
        ]  # fmt: skip
        evil = ParsedItem("evil", HOSTILE, "https://example.org/e", "", NOW - 3600, None, "",
                          "<p>\x1b[31m禁毒\x1b[0m in red</p>")  # fmt: skip
        items = (*stories, evil)
        store.store_parsed(feed.id, ParsedFeed("示例 Example", "", items, "rss20"), now=NOW)


def test_lines_one_per_hit(tidings_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(tidings_home)
    assert main(["search", "禁毒", "示范", "--limit", "3"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 3
    assert all("禁毒" in line and "示例 Example" in line for line in lines)
    assert "5 matches (showing 3)" in captured.err


def test_json_contract(tidings_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(tidings_home)
    assert main(["search", "禁毒", "--json", "--limit", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"query", "took_ms", "total", "hits"} <= set(data)
    assert data["query"] == "禁毒" and data["total"] == 6 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert {"id", "feed", "title", "link", "published", "read", "bookmarked", "snippet"} <= set(hit)
    text = hit["snippet"]["text"]
    assert [text[a:b] for a, b in hit["snippet"]["highlights"]] == ["禁毒"]
    assert [hit["title"][a:b] for a, b in hit["title_highlights"]] == ["禁毒"]


def test_output_is_sanitised(tidings_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(tidings_home)
    assert main(["search", "red"]) == 0
    out = capsys.readouterr().out
    assert "title 禁毒" in out and "in red" in out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert main(["search", "red", "--json"]) == 0
    assert "\x1b" not in capsys.readouterr().out


@pytest.mark.parametrize("query", ["is:nonsense", "since:someday", "sort:sideways"])
def test_bad_filters_exit_2_with_one_line(
    tidings_home: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    seed(tidings_home)
    assert main(["search", query]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tidings: ") and err.count("\n") == 1 and "Traceback" not in err


def test_hostile_queries_answer(tidings_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(tidings_home)
    for query in ["NEAR(禁毒", "col:", "-", "'; DROP TABLE items; --", '"禁毒 story']:
        assert main(["search", query, "--json"]) == 0, query
        assert json.loads(capsys.readouterr().out)["query"] == query
    assert main(["search", "--limit", "-1", "x"]) == 2
