"""Full text against a real loopback server: GBK pages, caps, redirects, bounded concurrency,
bookmarks fetched and readable after the server is gone, refresh backfilling full-text feeds."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import Config, FetchConfig, FullTextConfig, ParseConfig
from reader.fulltext import FullText, FullTextResult
from reader.models import ParsedFeed, ParsedItem
from reader.service import Service
from reader.store.db import Store
from tests.loopback import Loopback, redirect, send

PAGES = Path(__file__).parent.parent / "data" / "articles"
GBK_PAGE = (PAGES / "xianning_gbk.html").read_bytes()
EN_PAGE = (PAGES / "harbor_en.html").read_bytes()
ONLY_IN_PAGE = "国家禁毒委员会日前召开全国禁毒工作电视电话会议"
CONFIG = Config(
    fetch=FetchConfig(timeout=5.0, connect_timeout=2.0, max_bytes=256 * 1024),
    parse=ParseConfig(workers=1, deadline=10.0),
    fulltext=FullTextConfig(concurrency=2),
)


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def seed(store: Store, *links: str) -> list[int]:
    feed, _ = store.add_feed("https://feeds.example/zh.xml")
    items = tuple(
        ParsedItem(f"g:{n}", f"story {n}", link, "", 1_795_000_000 - n, None, "", "<p>teaser</p>")
        for n, link in enumerate(links)
    )
    store.store_parsed(feed.id, ParsedFeed("咸宁新闻网", "", items, "rss20"))
    return [h.id for h in sorted(store.headlines(), key=lambda h: h.title)]


def fetch(store: Store, *ids: int, config: Config = CONFIG) -> list[FullTextResult]:
    async def go() -> list[FullTextResult]:
        async with FullText(config, store) as full:
            return await full.fetch_many(ids)

    return asyncio.run(go())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def test_gbk_page_fetched_extracted_and_stored(server: Loopback, store: Store) -> None:
    # no charset in the header: the page's <meta> says gb2312, read as GB18030
    url = server.serve("/zh.html", GBK_PAGE, content_type="text/html", gzip_it=True)
    (item_id,) = seed(store, url)
    (result,) = fetch(store, item_id)
    assert result.ok and result.stored and result.article is not None
    assert ONLY_IN_PAGE in result.article.text and "市禁毒办负责人王喆说" in result.article.text
    assert result.article.author == "王伟" and result.article.url == url
    item = store.item(item_id)
    assert item is not None and ONLY_IN_PAGE in item.full_text
    assert "text/html" in server.last_headers["/zh.html"]["accept"]
    (again,) = fetch(store, item_id)  # stored: not fetched again
    assert again.ok and not again.stored and server.hits["/zh.html"] == 1


def test_failures_are_one_line_each(server: Loopback, store: Store) -> None:
    big = b"<html><body><article>" + b"<p>word </p>" * 40_000 + b"</article></body></html>"
    urls = [
        server.serve("/big.html", big, content_type="text/html"),
        server.serve("/doc.pdf", b"%PDF-1.4", content_type="application/pdf"),
        server.url("/missing.html"),
        server.serve("/menu.html", b"<html><body><a href='/'>home</a></body></html>",
                     content_type="text/html"),
        "ftp://example.org/story",
    ]  # fmt: skip
    ids = seed(store, *urls)
    results = fetch(store, *ids)
    errors = [r.error for r in results]
    assert "body larger than 0.25 MiB" in errors[0]
    assert "not a web page (application/pdf)" in errors[1]
    assert "HTTP 404" in errors[2]
    assert "no article found" in errors[3]
    assert "only http and https" in errors[4]
    assert not any(r.ok for r in results)
    assert all(store.item(i).full_text == "" for i in ids)  # type: ignore[union-attr]


def test_redirects_are_followed_and_links_resolve_against_the_final_page(
    server: Loopback, store: Store
) -> None:
    final = server.serve("/news/solar.html", EN_PAGE, content_type="text/html; charset=utf-8")
    start = server.route("/r", redirect(final, 302))
    (item_id,) = seed(store, start)
    (result,) = fetch(store, item_id)
    assert result.article is not None and result.article.url == final
    assert f"http://127.0.0.1:{server.port}/energy/coop" in result.article.html


def test_concurrency_is_bounded(server: Loopback, store: Store) -> None:
    active = peak = 0
    lock = threading.Lock()

    def slow(h: BaseHTTPRequestHandler) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        with lock:
            active -= 1
        send(h, 200, EN_PAGE, "text/html; charset=utf-8")

    urls = [server.route(f"/p{n}.html", slow) for n in range(6)]
    ids = seed(store, *urls)
    config = Config(fetch=FetchConfig(per_host=8), fulltext=FullTextConfig(concurrency=2))
    assert all(r.ok for r in fetch(store, *ids, config=config))
    assert peak == 2


def test_bookmark_fetches_full_text_then_reads_offline(
    server: Loopback, tidings_home: Path
) -> None:
    url = server.serve("/zh.html", GBK_PAGE, content_type="text/html; charset=gbk")
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        (item_id,) = seed(store, url)
    done = tidings("bookmark", str(item_id))
    assert done.returncode == 0 and "full text stored" in done.stdout
    server.close()  # the network is gone
    shown = tidings("show", str(item_id))
    assert shown.returncode == 0 and ONLY_IN_PAGE in shown.stdout and "teaser" not in shown.stdout
    assert "版权声明" not in shown.stdout


def test_show_full_fetches_on_demand_and_reports_failure(
    server: Loopback, tidings_home: Path
) -> None:
    url = server.serve("/en.html", EN_PAGE, content_type="text/html")
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        ok_id, bad_id = seed(store, url, server.url("/gone.html"))
    assert "teaser" in tidings("show", str(ok_id)).stdout  # not fetched without --full
    full = tidings("show", str(ok_id), "--full")
    assert full.returncode == 0 and "floating solar farm" in full.stdout
    with Store.open(tidings_home / "data" / "tidings.db", readonly=True) as store:
        assert store.item(ok_id).full_text  # type: ignore[union-attr]
    failed = tidings("show", str(bad_id), "--full")
    assert failed.returncode == 1 and "teaser" in failed.stdout
    assert "full text unavailable" in failed.stderr and "HTTP 404" in failed.stderr
    bookmarked = tidings("bookmark", str(bad_id))
    assert bookmarked.returncode == 0 and "retried after refresh" in bookmarked.stderr


def test_extract_a_url(server: Loopback) -> None:
    url = server.serve("/en.html", EN_PAGE, content_type="text/html")
    done = tidings("extract", url)
    assert done.returncode == 0
    assert done.stdout.startswith("The harbor city switched on its first floating solar farm")
    assert "Copyright" not in done.stdout


def test_a_broken_page_waits_longer_each_time_before_backfill_tries_it_again(
    server: Loopback, store: Store
) -> None:
    url = server.serve("/menu.html", b"<html><body><a href='/'>home</a></body></html>",
                       content_type="text/html")  # fmt: skip
    (item_id,) = seed(store, url)
    store.set_bookmarked(item_id)

    def backfill(now: float) -> list[int]:
        async def go() -> list[int]:
            async with FullText(CONFIG, store, clock=lambda: now) as full:
                return [r.item_id for r in await full.backfill()]

        return asyncio.run(go())

    now = time.time()
    assert backfill(now) == [item_id] and server.hits["/menu.html"] == 1  # no article: noted
    assert backfill(now + 60) == []  # within the hour: left alone
    assert backfill(now + 3700) == [item_id]  # tried again after an hour...
    assert backfill(now + 3700 + 3700) == []  # ...then waits two
    assert backfill(now + 3700 + 7300) == [item_id] and server.hits["/menu.html"] == 3
    (on_demand,) = fetch(store, item_id)  # asking for it (f, show --full) always fetches
    assert not on_demand.ok and server.hits["/menu.html"] == 4
    server.serve("/menu.html", EN_PAGE, content_type="text/html")  # the page is mended
    (mended,) = fetch(store, item_id)
    assert mended.ok and mended.stored
    assert store.conn.execute("SELECT count(*) FROM full_text_failures").fetchone()[0] == 0


def test_a_network_that_is_down_does_not_make_a_page_wait(store: Store) -> None:
    (item_id,) = seed(store, "http://127.0.0.1:9/story.html")  # nothing listens on port 9
    store.set_bookmarked(item_id)
    (result,) = fetch(store, item_id)
    assert not result.ok and result.error
    assert store.wanting_full_text(bookmarks=True) == [item_id]  # tried on the next backfill


def test_refresh_backfills_bookmarks_and_full_text_feeds(server: Loopback, store: Store) -> None:
    page = server.serve("/a.html", EN_PAGE, content_type="text/html")
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>a</title><guid>a</guid><link>{page}</link></item></channel></rss>"
    ).encode()
    plain_url = server.serve("/plain.xml", rss.replace(b"<guid>a", b"<guid>b"))
    full_url = server.serve("/full.xml", rss)
    store.add_feed(plain_url)
    full, _ = store.add_feed(full_url)
    store.set_feed_full_text(full.id)
    report = asyncio.run(Service(CONFIG, store).refresh())
    assert report.new_items == 2 and server.hits["/a.html"] == 1
    texts = {h.feed_url: store.item(h.id).full_text for h in store.headlines()}  # type: ignore[union-attr]
    assert texts[plain_url] == "" and "floating solar farm" in texts[full_url]
    plain_item = next(h.id for h in store.headlines() if h.feed_url == plain_url)
    store.set_bookmarked(plain_item)
    asyncio.run(Service(CONFIG, store).refresh())
    assert "floating solar farm" in store.item(plain_item).full_text  # type: ignore[union-attr]
    assert server.hits["/a.html"] == 2


def test_command_line_runs_in_a_real_process(server: Loopback, tidings_home: Path) -> None:
    url = server.serve("/en.html", EN_PAGE, content_type="text/html")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "extract", url],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert done.returncode == 0 and "floating solar farm" in done.stdout and not done.stderr


def test_add_full_text_marks_the_feed(server: Loopback, tidings_home: Path) -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    url = server.serve("/feed.xml", rss)
    assert tidings("add", url, "--full-text").returncode == 0
    with Store.open(tidings_home / "data" / "tidings.db", readonly=True) as store:
        feed = store.feed(url)
    assert feed is not None and feed.full_text
