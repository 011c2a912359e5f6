"""The refresh service end to end: a real server on 127.0.0.1, the real store, parser processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.config import Config, FetchConfig, ParseConfig
from reader.models import Feed, ItemQuery, Outcome, RefreshReport
from reader.service import Progress, Service
from reader.store.db import Store
from tests.loopback import Loopback, drip, redirect, send

DATA = Path(__file__).parent.parent / "data" / "feeds"
CONFIG = Config(
    fetch=FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=2 * 1024 * 1024),
    parse=ParseConfig(workers=2, deadline=10.0),
)


def rss(*titles: str, channel: str = "Test feed") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><link>http://example.org/{i}</link>"
        f"<pubDate>Wed, 26 Nov 2025 1{i % 10}:00:00 GMT</pubDate><description>body of {t}</description></item>"
        for i, t in enumerate(titles)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{channel}</title>{items}</channel></rss>'.encode()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def refresh(
    store: Store, config: Config = CONFIG, feeds: list[Feed] | None = None
) -> RefreshReport:
    return asyncio.run(Service(config, store).refresh(feeds))


def subscribe(store: Store, *urls: str) -> list[Feed]:
    return [store.add_feed(u)[0] for u in urls]


def test_new_then_not_modified_then_new_items(server: Loopback, store: Store) -> None:
    url = server.serve("/a.xml", rss("one", "two"), etag='"v1"')
    subscribe(store, url)
    first = refresh(store)
    assert first.as_json() | {"seconds": 0} == {
        "feeds": 1,
        "new_items": 2,
        "not_modified": 0,
        "failed": 0,
        "seconds": 0,
    }
    assert store.feed(url).title == "Test feed"  # type: ignore[union-attr]
    second = refresh(store)
    assert second.results[0].outcome is Outcome.NOT_MODIFIED
    assert server.last_headers["/a.xml"]["if-none-match"] == '"v1"'
    server.serve("/a.xml", rss("three", "one", "two"), etag='"v2"')
    third = refresh(store)
    assert third.new_items == 1 and store.count() == 3


def test_gzip_and_chinese_gbk_over_http(server: Loopback, store: Store) -> None:
    gbk = (DATA / "gb2312_with_gbk_chars.xml").read_bytes()
    url = server.serve(
        "/gbk.xml", gbk, content_type="application/rss+xml; charset=gb2312", gzip_it=True
    )
    subscribe(store, url)
    report = refresh(store)
    assert report.results[0].outcome is Outcome.OK, report.results[0].error
    titles = " ".join(h.title for h in store.headlines())
    assert "镕" in titles or "堃" in titles


def test_one_failing_feed_never_stops_the_others(server: Loopback, store: Store) -> None:
    good = server.serve("/good.xml", rss("good news"))
    server.route("/broken", lambda h: send(h, 500, b"oops", "text/plain"))
    page = server.serve(
        "/page", b"<!doctype html><html><body><p>login</p></body></html>", content_type="text/html"
    )
    empty = server.serve("/empty", b"", content_type="application/rss+xml")
    subscribe(store, good, server.url("/broken"), page, empty, server.url("/missing"))
    report = refresh(store)
    by_url = {r.url: r for r in report.results}
    assert by_url[good].outcome is Outcome.OK and by_url[good].new_items == 1
    assert by_url[server.url("/broken")].error == "HTTP 500 Internal Server Error"
    assert "not a feed" in by_url[page].error and by_url[page].outcome is Outcome.FAILED
    assert by_url[empty].outcome is Outcome.FAILED
    assert by_url[server.url("/missing")].status == 404
    assert report.failed == 4 and report.new_items == 1


def test_failure_keeps_old_items_and_counts_the_streak(server: Loopback, store: Store) -> None:
    url = server.serve("/f.xml", rss("kept one", "kept two"))
    subscribe(store, url)
    refresh(store)
    server.serve("/f.xml", b"<html><body>maintenance</body></html>", content_type="text/html")
    refresh(store)
    server.route("/f.xml", lambda h: send(h, 503, b"", headers={}))
    refresh(store)
    feed = store.feed(url)
    assert feed is not None and feed.error_streak == 2 and feed.http_status == 503
    assert {h.title for h in store.headlines()} == {"kept one", "kept two"}


def test_gone_feed_is_marked_and_skipped(server: Loopback, store: Store) -> None:
    url = server.serve("/g.xml", rss("last words"))
    subscribe(store, url)
    refresh(store)
    server.route("/g.xml", lambda h: send(h, 410, b"gone", "text/plain"))
    assert refresh(store).results[0].outcome is Outcome.GONE
    hits = server.hits["/g.xml"]
    again = refresh(store)
    assert again.results[0].outcome is Outcome.SKIPPED and server.hits["/g.xml"] == hits
    assert store.count() == 1 and store.feed(url).gone  # type: ignore[union-attr]


def test_retry_after_is_honoured(server: Loopback, store: Store) -> None:
    server.route("/busy.xml", lambda h: send(h, 429, b"", headers={"Retry-After": "3600"}))
    subscribe(store, server.url("/busy.xml"))
    assert refresh(store).results[0].outcome is Outcome.FAILED
    feed = store.feed(server.url("/busy.xml"))
    assert feed is not None and feed.retry_after is not None
    assert feed.retry_after > time.time() + 3000
    again = refresh(store)
    assert again.results[0].outcome is Outcome.SKIPPED and server.hits["/busy.xml"] == 1


def test_permanent_redirect_updates_the_stored_url(server: Loopback, store: Store) -> None:
    new = server.serve("/new.xml", rss("moved"))
    server.route("/old.xml", redirect(new, 301))
    subscribe(store, server.url("/old.xml"))
    refresh(store)
    assert [f.url for f in store.feeds()] == [new] and store.count() == 1


def test_slow_drip_feed_hits_its_deadline_while_others_finish(
    server: Loopback, store: Store
) -> None:
    fast = server.serve("/fast.xml", rss("quick"))
    slow = server.route("/slow.xml", drip(rss("never"), delay=0.3))
    subscribe(store, fast, slow)
    config = Config(fetch=FetchConfig(timeout=1.0), parse=ParseConfig(workers=1))
    started = time.monotonic()
    report = refresh(store, config)
    assert time.monotonic() - started < 4
    by_url = {r.url: r for r in report.results}
    assert by_url[fast].outcome is Outcome.OK and by_url[slow].error == "gave up after 1 s"


def test_a_parse_past_its_deadline_is_killed(server: Loopback, store: Store) -> None:
    # 30,000 items in a feed that is not well-formed (an undefined entity sends it to
    # feedparser): many seconds of parsing. The deadline is generous for the small feed even on
    # a loaded machine (the replacement worker must fork and parse it within 1 s).
    huge = rss("broken&nbsp;entity", *(f"item {i}" for i in range(30_000)))
    url = server.serve("/huge.xml", huge)
    ok = server.serve("/ok.xml", rss("fine"))
    subscribe(store, url, ok)
    config = Config(
        fetch=FetchConfig(max_bytes=64 * 1024 * 1024), parse=ParseConfig(workers=1, deadline=1.0)
    )
    report = refresh(store, config)
    by_url = {r.url: r for r in report.results}
    assert by_url[url].error == "parsing took longer than 1 s; stopped"
    assert by_url[ok].outcome is Outcome.OK  # the replacement worker parsed the next feed


def test_progress_reports_every_feed(server: Loopback, store: Store) -> None:
    urls = [server.serve(f"/p{i}.xml", rss(f"p{i}")) for i in range(5)]
    subscribe(store, *urls, server.url("/nope"))
    seen: list[Progress] = []

    async def go() -> RefreshReport:
        return await Service(CONFIG, store).refresh(progress=seen.append)

    asyncio.run(go())
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].total == 6 and seen[-1].failed == 1


def test_unread_state_survives_a_content_update(server: Loopback, store: Store) -> None:
    url = server.serve("/u.xml", rss("story"))
    subscribe(store, url)
    refresh(store)
    item_id = store.headlines()[0].id
    store.set_read([item_id])
    store.set_bookmarked(item_id)
    server.serve("/u.xml", rss("story").replace(b"body of story", b"corrected body"))
    refresh(store)
    item = store.item(item_id)
    assert item is not None and item.read and item.bookmarked and "corrected" in item.summary
    assert store.count(ItemQuery()) == 1


def test_gzip_bomb_is_stopped_by_the_parser_process_cap(server: Loopback, store: Store) -> None:
    import gzip as gz

    bomb = gz.compress(b"<rss>" + b" " * (8 * 1024 * 1024))  # 8 MiB decoded, ~8 KB sent
    server.route("/bomb.xml", lambda h: send(h, 200, bomb, headers={"Content-Encoding": "gzip"}))
    ok = server.serve("/ok.xml", rss("fine"), gzip_it=True)
    subscribe(store, server.url("/bomb.xml"), ok)
    config = Config(fetch=FetchConfig(max_bytes=1024 * 1024), parse=ParseConfig(workers=1))
    by_url = {r.url: r for r in refresh(store, config).results}
    assert by_url[server.url("/bomb.xml")].error == "body larger than 1 MiB once decompressed"
    assert by_url[ok].outcome is Outcome.OK


def test_the_news_is_searchable_when_the_refresh_ends(
    server: Loopback, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh indexes what it stores (a few thousand items at a time, and the rest when it
    ends): a reader that indexes nothing itself (read-only) finds every new story at once."""
    from reader.store import writer

    monkeypatch.setattr(writer, "INDEX_EVERY", 5)  # some go in along the way, some at the end
    urls = [server.serve(f"/{n}.xml", rss(*(f"storm{n}x{i}" for i in range(4)))) for n in range(6)]
    subscribe(store, *urls)
    assert refresh(store).new_items == 24
    assert store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    with Store.open(tmp_path / "t.db", readonly=True) as reader:
        for n in range(6):
            assert reader.search(f"storm{n}x3").total == 1
        assert reader.search("body").total == 24 and reader.search("body").unindexed == 0
