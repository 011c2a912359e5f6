"""Parser pathologies: feedparser's slow author/email regex (~32 KB), 10,000-item and 15 MB feeds
finish within the per-feed deadline; a parse past its deadline is killed and the other feeds of
the refresh are unaffected; parser processes never write to the terminal."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.config import Config, FetchConfig, ParseConfig, StoreConfig
from reader.errors import ParseError
from reader.feeds import pool as poolmod
from reader.feeds.parse import parse_feed
from reader.feeds.pool import ParsePool
from reader.models import Outcome, ParsedFeed, ParsedItem
from reader.store.db import Store
from tests.hostile.conftest import MIB, data, db_path, refresh
from tests.loopback import Loopback


def rss(count: int, pad: int = 0, broken: bool = False) -> bytes:
    """A feed of `count` items with `pad` bytes of text each; `broken`: ill-formed (an undefined
    entity), so that feedparser, the slow parser, reads it."""
    body = "x" * pad
    items = "".join(
        f"<item><title>item {i} 条目</title><guid>g{i}</guid><link>http://big.example/{i}</link>"
        f"<description>{body}</description></item>"
        for i in range(count)
    )
    title = "Big&nbsp;feed" if broken else "Big feed"
    doc = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
    return doc.encode()


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(db_path(home))
    yield opened
    opened.close()


def test_slow_author_regex_input_parses_quickly() -> None:
    body = data("slow_author.xml")  # two 32 KB authors (text and CDATA), read by feedparser
    started = time.perf_counter()
    feed = parse_feed(body)
    assert time.perf_counter() - started < 0.5  # unbounded, ~5 s (quadratic in the length)
    assert feed.format.startswith("feedparser") and feed.items[0].title == "item 0"
    assert len(feed.items[0].author) <= 1024


def test_slow_author_feed_within_a_short_deadline(server: Loopback, store: Store) -> None:
    url = server.serve("/slow.xml", data("slow_author.xml"))
    store.add_feed(url)
    config = Config(fetch=FetchConfig(timeout=2), parse=ParseConfig(workers=1, deadline=1.0))
    result = refresh(store, config).results[0]
    assert result.outcome is Outcome.OK, result


@pytest.mark.parametrize(
    ("count", "pad", "limit"),
    [(10_000, 0, 5.0), (10_000, 1_500, 8.0)],
    ids=["10000-items", "15MB"],
)
def test_big_feeds_finish_within_the_deadline(
    server: Loopback, store: Store, count: int, pad: int, limit: float
) -> None:
    body = rss(count, pad)
    assert pad == 0 or 14 * MIB < len(body) < 16 * MIB
    url = server.serve("/big.xml", body)
    small = server.serve("/small.xml", rss(3))
    store.add_feed(url)
    store.add_feed(small)
    config = Config(
        fetch=FetchConfig(timeout=10, max_bytes=16 * MIB),
        parse=ParseConfig(workers=1, deadline=limit),
        store=StoreConfig(max_items_per_feed=500),
    )
    started = time.monotonic()
    report = refresh(store, config)
    assert time.monotonic() - started < limit + 2
    assert [r.outcome for r in report.results] == [Outcome.OK, Outcome.OK], report.results
    feed = store.feed(url)
    assert feed is not None and feed.title == "Big feed"
    # a document is kept whole (nothing in it may come back as new); the cap trims what
    # earlier fetches left (tests/hostile/test_dates_identity.py)
    assert store.count() == count + 3


def test_a_parse_past_its_deadline_is_killed_and_the_others_finish(
    server: Loopback, store: Store
) -> None:
    slow = server.serve("/slow.xml", rss(25_000, broken=True))  # ~3 s in feedparser
    urls = [server.serve(f"/ok{i}.xml", rss(2)) for i in range(3)]
    for url in (slow, *urls):
        store.add_feed(url)
    # the deadline leaves the replacement worker time to fork and parse a small feed on a
    # loaded machine; the slow feed needs three times as long
    config = Config(
        fetch=FetchConfig(timeout=5, max_bytes=8 * MIB), parse=ParseConfig(workers=1, deadline=1.0)
    )
    started = time.monotonic()
    report = refresh(store, config)
    assert time.monotonic() - started < 4
    by_url = {r.url: r for r in report.results}
    assert by_url[slow].error == "parsing took longer than 1 s; stopped"
    assert all(by_url[u].outcome is Outcome.OK for u in urls)
    feed = store.feed(slow)
    assert feed is not None and feed.error_streak == 1
    assert store.count() == 6


def _noisy_parse(body: bytes, headers: object, url: str) -> object:
    """A parser that writes to stdout and stderr, at the Python and the file level."""
    print("NOISE-PY-OUT")
    print("NOISE-PY-ERR", file=sys.stderr)
    os.write(1, b"NOISE-FD-OUT\n")
    os.write(2, b"NOISE-FD-ERR\n")
    raise ParseError("noisy")


def test_parser_processes_never_write_to_the_terminal(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """They inherit the terminal: a parser library's warning would scribble over the reader."""
    monkeypatch.setattr(poolmod, "parse_feed", _noisy_parse)
    pool = ParsePool(workers=1, deadline=5)
    pool._ctx = multiprocessing.get_context("fork")  # the patched parser goes with the fork

    async def go() -> str:
        try:
            await pool.parse(b"<rss/>", {}, "http://x/")
        except ParseError as exc:
            return str(exc)
        return ""

    try:
        assert asyncio.run(go()) == "noisy"
    finally:
        pool.close()
    captured = capfd.readouterr()
    assert "NOISE" not in captured.out + captured.err


def test_a_page_whose_extraction_runs_past_the_deadline_is_stopped(
    server: Loopback, store: Store
) -> None:
    """trafilatura's fallback is quadratic in a page's blocks: 8,000 tiny tables (270 KB) take
    it ~7 s, 100,000 over ten minutes. Extraction runs in a worker the deadline kills; the
    other pages of the batch are extracted, the item keeps its feed text."""
    from reader.fulltext import FullText

    tables = b"<html><body>" + b"<table><tr><td>x</td></tr></table>" * 20_000 + b"</body></html>"
    story = (Path(__file__).parent.parent / "data" / "articles" / "harbor_en.html").read_bytes()
    slow = server.serve("/tables.html", tables, content_type="text/html")
    fine = server.serve("/story.html", story, content_type="text/html")
    feed, _ = store.add_feed("https://feeds.example/pages.xml")
    items = [ParsedItem(f"g{n}", f"page {n}", url, "", 1_795_000_000 - n, None, "", "<p>teaser</p>")
             for n, url in enumerate((slow, fine))]  # fmt: skip
    store.store_parsed(feed.id, ParsedFeed("Pages", "", tuple(items), "rss20"))
    ids = {h.link: h.id for h in store.headlines()}
    config = Config(fetch=FetchConfig(timeout=5), parse=ParseConfig(workers=1, deadline=1.0))

    async def go() -> list[str]:
        async with FullText(config, store) as full:
            results = await full.fetch_many([ids[slow], ids[fine]])
        return [r.error for r in results]

    started = time.monotonic()
    errors = asyncio.run(go())
    assert time.monotonic() - started < 6
    assert errors == ["extracting the story took longer than 1 s; stopped", ""]
    assert store.item(ids[slow]).full_text == ""  # type: ignore[union-attr]
    assert "floating solar farm" in store.item(ids[fine]).full_text  # type: ignore[union-attr]
