"""Hostile servers, through the whole refresh: gzip/deflate bombs, lying and huge Content-Length,
an endless chunked body, a slow drip, accept-then-silence, redirect loops and long chains, a
redirect to file:, and 404/410/429/500/503. Each ends in the right stored state (old items kept,
error and streak recorded, 410 gone, Retry-After honoured) within the deadline, and one bad
server never holds up the other feeds."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.config import Config, FetchConfig, ParseConfig
from reader.models import Outcome
from reader.store.db import Store
from tests.hostile.conftest import data, db_path, refresh
from tests.loopback import Loopback, drip, endless_chunked, redirect, send, silence

Handler = Callable[[BaseHTTPRequestHandler], None]
CAP = 256 * 1024
CONFIG = Config(
    fetch=FetchConfig(timeout=1.0, connect_timeout=1.0, max_bytes=CAP, max_redirects=10),
    parse=ParseConfig(workers=1, deadline=2.0),
)
GOOD = data("good.xml")
OLD = {"Old one 旧", "Old two"}


def compressed(body: bytes, encoding: str) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        send(h, 200, body, "application/rss+xml", {"Content-Encoding": encoding})

    return handle


def raw(head: bytes, body: bytes = b"") -> Handler:
    """Exactly these bytes after the request: a status line and headers of our own making."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(head + body)
        h.wfile.flush()
        h.close_connection = True

    return handle


BOMB = b"<rss>" + b" " * (64 * 1024 * 1024)  # 64 MiB of blanks: ~64 KB gzipped
CASES: dict[str, tuple[Handler, Outcome, str]] = {
    "gzip-bomb": (compressed(gzip.compress(BOMB), "gzip"), Outcome.FAILED, "body larger than 0.25 MiB"),
    "deflate-bomb": (compressed(zlib.compress(BOMB), "deflate"), Outcome.FAILED, "body larger than 0.25 MiB"),
    "raw-deflate-bomb": (compressed(zlib.compress(BOMB)[2:-4], "deflate"), Outcome.FAILED, "body larger than"),
    "gzip-garbage": (compressed(b"\x1f\x8b\x08\x00garbage" * 10, "gzip"), Outcome.FAILED, "undecodable body"),
    "unknown-encoding": (compressed(GOOD, "br"), Outcome.FAILED, "undecodable body"),
    "content-length-huge": (
        raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 99999999999\r\n\r\n", GOOD),
        Outcome.FAILED, "body larger than",
    ),
    "content-length-short": (
        raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 40\r\n\r\n", GOOD),
        Outcome.FAILED, "not a feed",
    ),
    "content-length-long": (
        raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n", GOOD),
        Outcome.FAILED, "broken HTTP answer",
    ),
    "endless-chunked": (endless_chunked(), Outcome.FAILED, "body larger than"),
    "slow-drip": (drip(GOOD, delay=1.0), Outcome.FAILED, "gave up after 1 s"),
    "accept-then-silence": (silence(30), Outcome.FAILED, "gave up after 1 s"),
    "garbage-status-line": (raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), Outcome.FAILED, "broken HTTP answer"),
    "redirect-to-file": (redirect("file:///etc/passwd"), Outcome.FAILED, "redirect to a non-http URL refused"),
    "redirect-to-javascript": (redirect("javascript:alert(1)"), Outcome.FAILED, "invalid URL"),
    "redirect-to-data": (redirect("data:,x"), Outcome.FAILED, "invalid URL"),
    "redirect-to-mailto": (redirect("mailto:a@b.example"), Outcome.FAILED, "invalid URL"),
    "404": (lambda h: send(h, 404, b"nope", "text/html"), Outcome.FAILED, "HTTP 404 Not Found"),
    "500": (lambda h: send(h, 500, b"oops", "text/plain"), Outcome.FAILED, "HTTP 500 Internal Server Error"),
    "410": (lambda h: send(h, 410, b"gone", "text/plain"), Outcome.GONE, "HTTP 410 Gone"),
    "429": (lambda h: send(h, 429, b"", headers={"Retry-After": "3600"}), Outcome.FAILED, "HTTP 429"),
    "503-date": (
        lambda h: send(h, 503, b"", headers={"Retry-After": formatdate(time.time() + 7200, usegmt=True)}),
        Outcome.FAILED, "HTTP 503",
    ),
    "429-absurd-retry": (lambda h: send(h, 429, b"", headers={"Retry-After": "9" * 40}), Outcome.FAILED, "HTTP 429"),
}  # fmt: skip


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(db_path(home))
    yield opened
    opened.close()


@pytest.mark.parametrize("case", list(CASES))
def test_each_hostile_server_ends_in_the_right_state(
    server: Loopback, store: Store, case: str
) -> None:
    handler, outcome, error = CASES[case]
    url = server.serve("/f.xml", GOOD)
    store.add_feed(url)
    assert refresh(store, CONFIG).results[0].new_items == 2
    server.route("/f.xml", handler)
    started = time.monotonic()
    result = refresh(store, CONFIG).results[0]
    assert time.monotonic() - started < 3.5  # deadline 1 s (+ parse, pool start)
    assert result.outcome is outcome and result.error.startswith(error), result
    feed = store.feed(url)
    assert feed is not None
    assert feed.last_error == result.error and feed.error_streak == 1
    assert {h.title for h in store.headlines()} == OLD  # nothing lost, nothing half-written
    assert feed.gone == (case == "410")
    if case.startswith(("429", "503")):
        assert feed.retry_after is not None and feed.retry_after > time.time() + 3000
        assert feed.retry_after <= time.time() + 7 * 24 * 3600 + 5  # capped at a week
        hits = server.hits["/f.xml"]
        again = refresh(store, CONFIG).results[0]
        assert again.outcome is Outcome.SKIPPED and server.hits["/f.xml"] == hits
    if case == "410":
        again = refresh(store, CONFIG).results[0]
        assert again.outcome is Outcome.SKIPPED and server.hits["/f.xml"] == 2


@pytest.mark.parametrize(("hops", "ok"), [(10, True), (11, False), (25, False)])
def test_redirect_chains_are_cut_at_ten_hops(
    server: Loopback, store: Store, hops: int, ok: bool
) -> None:
    for i in range(hops):
        server.route(f"/hop{i}", redirect(f"/hop{i + 1}", 302))
    server.serve(f"/hop{hops}", GOOD)
    store.add_feed(server.url("/hop0"))
    result = refresh(store, CONFIG).results[0]
    assert (result.outcome is Outcome.OK) == ok, result
    assert ok or result.error == "too many redirects"
    assert server.hits[f"/hop{hops}"] == int(ok)


def test_redirect_loop_stops(server: Loopback, store: Store) -> None:
    server.route("/a", redirect("/b", 301))
    server.route("/b", redirect("/a", 308))
    store.add_feed(server.url("/a"))
    result = refresh(store, CONFIG).results[0]
    assert result.error == "too many redirects"
    assert server.hits["/a"] + server.hits["/b"] == 11
    assert [f.url for f in store.feeds()] == [server.url("/a")]  # not moved along the loop


def test_all_at_once_the_good_feeds_are_unaffected(server: Loopback, store: Store) -> None:
    good = [
        server.serve(f"/good{i}.xml", GOOD.replace(b"old-", f"g{i}-".encode())) for i in range(4)
    ]
    bad = [server.route(f"/bad-{name}", handler) for name, (handler, _, _) in CASES.items()]
    for url in bad + good:
        store.add_feed(url)
    started = time.monotonic()
    report = refresh(store, CONFIG)
    assert time.monotonic() - started < 4  # every feed has its own deadline, running at once
    by_url = {r.url: r for r in report.results}
    assert all(by_url[u].outcome is Outcome.OK and by_url[u].new_items == 2 for u in good)
    assert all(by_url[u].outcome is not Outcome.OK for u in bad)
    assert store.count() == 8
