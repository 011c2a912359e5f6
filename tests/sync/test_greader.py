"""Sync over the Google Reader API against a loopback server written from FreshRSS's and
Miniflux's documents (tests/sync/greader_server.py): the issue's scenarios and the contract."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.models import Feed, ItemQuery
from reader.store import syncsql
from reader.sync.greader import item_id, long_id
from tests.loopback import send
from tests.sync.conftest import Home
from tests.sync.greader_server import GReaderServer


def test_first_sync_brings_three_feeds_of_twenty_items(home: Home, greader: GReaderServer) -> None:
    result = home.sync()
    assert result["service"] == "greader" and result["feeds"] == 3
    assert result["pulled"] == 60 and result["pushed"] == 0
    feeds = home.run("feeds", "--json").json()
    assert {(f["title"], tuple(f["tags"])) for f in feeds} == {
        ("Harbor News", ("news",)), ("Tech Log", ("tech",)), ("咸宁新闻", ("中文",))}  # fmt: skip
    listed = home.run("list", "--unread", "--json").json()
    assert len(listed) == 60 and all(not h["read"] for h in listed)
    # the pulled items are items like any other: search (Chinese too), show, export
    hits = home.run("search", "咸宁市", "--json").json()
    assert hits["total"] == 20
    shown = home.run("show", str(hits["hits"][0]["id"]))
    assert shown.code == 0 and "the body." in shown.out
    assert "Harbor News" in home.run("export").out


def test_read_and_bookmarks_made_here_reach_the_server(home: Home, greader: GReaderServer) -> None:
    home.sync()
    newest = home.headlines(limit=7)
    with home.store() as store:
        store.set_read([h.id for h in newest[:5]])
    for h in newest[5:]:
        assert home.run("bookmark", str(h.id), "--no-fetch").code == 0
    result = home.sync()
    assert result["pushed"] == 7 and result["pulled"] == 0
    links = {e.link: e for e in greader.items.values()}
    assert all(links[h.link].read for h in newest[:5])
    assert {links[h.link].id for h in newest[5:]} == greader.starred()
    assert len(greader.unread()) == 55


def test_unread_marks_made_on_the_server_show_here(home: Home, greader: GReaderServer) -> None:
    for entry in greader.items.values():
        entry.read = True
    greader.items[max(greader.items)].starred = True
    home.sync()
    assert home.headlines(unread=True) == []
    again = sorted(greader.items)[:3]
    for i in again:
        greader.items[i].read = False  # another client marks three unread
    greader.items[max(greader.items)].starred = False
    home.sync()
    unread = {h.link for h in home.headlines(unread=True)}
    assert unread == {greader.items[i].link for i in again}
    assert home.headlines(bookmarked=True) == []


def test_acts_made_while_the_server_is_down_are_sent_after_it_restarts(
    home: Home, greader: GReaderServer
) -> None:
    home.sync()
    greader.stop()
    target = home.headlines(limit=3)
    before = home.state()
    assert home.run("bookmark", str(target[0].id), "--no-fetch").code == 0
    with home.store() as store:
        store.set_read([h.id for h in target])
    failed = home.run("sync", "--json")
    assert failed.code == 1 and failed.out == ""
    assert failed.err.count("\n") == 1 and "cannot connect" in failed.err
    assert len(home.state()) == len(before)
    with home.store() as store, store.transaction() as conn:
        assert syncsql.pending_count(conn) == 4  # three read marks, one bookmark
    greader.start()
    assert home.sync()["pushed"] == 4
    links = {e.link: e for e in greader.items.values()}
    assert all(links[h.link].read for h in target) and links[target[0].link].starred
    with home.store() as store, store.transaction() as conn:
        assert syncsql.pending_count(conn) == 0


def test_two_homes_syncing_through_one_server_converge(
    tmp_path: Path, home: Home, greader: GReaderServer
) -> None:
    other = Home(tmp_path / "home-b", "greader", greader.url, greader.username, greader.password)
    home.sync()
    other.sync()
    a, b = home.headlines(), other.headlines()
    with home.store() as store:
        store.set_read([h.id for h in a[:10]])
        store.set_bookmarked(a[0].id)
    with other.store() as store:
        by_link = {h.link: h.id for h in b}
        store.set_read([by_link[h.link] for h in a[5:15]])
        store.set_read([by_link[a[7].link]], False)  # the newer act: unread again
        store.set_bookmarked(by_link[a[20].link])
    home.sync()
    other.sync()
    home.sync()
    assert home.state() == other.state()
    state = home.state()
    assert not state[a[7].link][0] and state[a[3].link][0] and state[a[12].link][0]
    assert {link for link, (_, marked) in state.items() if marked} == {a[0].link, a[20].link}


def test_a_kill_during_sync_loses_no_queued_act(home: Home, greader: GReaderServer) -> None:
    home.sync()
    target = home.headlines(limit=30)
    with home.store() as store:
        store.set_read([h.id for h in target])
        store.set_bookmarked(target[0].id)
    inside = threading.Event()

    def hang(h: BaseHTTPRequestHandler) -> bool:
        inside.set()
        time.sleep(5)
        return False

    greader.faults["/reader/api/0/edit-tag"] = hang
    env = dict(os.environ, TIDINGS_HOME=str(home.root))
    proc = subprocess.Popen([sys.executable, "-m", "reader", "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        assert inside.wait(30), "the sync never sent its acts"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with home.store() as store, store.transaction() as conn:
        assert syncsql.pending_count(conn) == 31
    del greader.faults["/reader/api/0/edit-tag"]
    assert home.sync()["pushed"] == 31
    links = {e.link: e for e in greader.items.values()}
    assert all(links[h.link].read for h in target) and links[target[0].link].starred


def test_a_sync_after_a_sync_asks_only_for_what_is_new(home: Home, greader: GReaderServer) -> None:
    home.sync()
    assert sum(greader.asked.values()) == 60
    greader.asked.clear()
    assert home.sync()["pulled"] == 0
    assert greader.asked == {}  # no item's contents asked for again
    sub = next(iter(greader.subs.values()))
    fresh = greader.publish(sub, 2, start=100)
    assert home.sync()["pulled"] == 2
    assert set(greader.asked) == {str(e.id) for e in fresh}


def test_subscription_changes_made_here_reach_the_server(
    home: Home, greader: GReaderServer
) -> None:
    home.sync()
    first = greader.subs[1]
    assert home.run("remove", first.url).code == 0
    with home.store() as store:
        feed = store.feed(greader.subs[2].url)
        assert feed is not None
        store.set_tags(feed.id, ["tech", "daily"])
        store.add_feed("https://elsewhere.example/feed.xml", title="Elsewhere", tags=["later"])
    assert home.sync()["pushed"] == 3
    urls = {s.url: s for s in greader.subs.values()}
    assert first.url not in urls
    assert urls["https://elsewhere.example/feed.xml"].labels == ["later"]
    assert set(urls[greader.subs[2].url].labels) == {"tech", "daily"}
    assert {f.url for f in _feeds(home)} == set(urls)


def test_a_feed_unsubscribed_on_the_server_leaves_but_its_bookmarks_stay(
    home: Home, greader: GReaderServer
) -> None:
    home.sync()
    kept = home.headlines(feed_id=_feeds(home)[0].id, limit=1)[0]
    assert home.run("bookmark", str(kept.id), "--no-fetch").code == 0
    home.sync()
    del greader.subs[1]
    home.sync()
    assert len(_feeds(home)) == 2
    assert [h.link for h in home.headlines(bookmarked=True)] == [kept.link]


def test_local_feeds_go_to_the_server_at_the_first_sync(home: Home, greader: GReaderServer) -> None:
    with home.store() as store:
        store.add_feed("https://mine.example/feed.xml", title="Mine", tags=["own"])
        store.add_feed(greader.subs[1].url)  # on the server already: mapped, not sent twice
    result = home.sync()
    assert result["pushed"] == 1 and result["feeds"] == 4
    assert len(_feeds(home)) == 4


def _feeds(home: Home) -> list[Feed]:
    with home.store() as store:
        return list(store.feeds())


def test_item_ids_in_every_form() -> None:
    assert item_id("tag:google.com,2005:reader/item/000000000000048c") == "1164"
    assert item_id("tag:google.com,2005:reader/item/2f2") == "754"
    assert item_id("000000000000048c") == "1164"
    assert item_id("12345") == "12345"
    assert item_id("") == "" and item_id("tag:x/item/zz") == ""
    assert long_id("1164") == "tag:google.com,2005:reader/item/000000000000048c"
    assert item_id(long_id("1700000000123456")) == "1700000000123456"


def _answer(status: int, body: bytes, ctype: str = "application/json"):  # type: ignore[no-untyped-def]
    def fault(h: BaseHTTPRequestHandler) -> bool:
        send(h, status, body, ctype)
        return True

    return fault


def _slow(h: BaseHTTPRequestHandler) -> bool:
    time.sleep(3)
    return False


BAD = {
    "down": (None, None, "cannot connect"),
    "slow": ("/reader/api/0/subscription/list", _slow, "subscription/list: gave up after 1 s"),
    "401": ("/reader/api/0/stream/items/ids", _answer(401, b"Unauthorized", "text/plain"),
            "refused the login (HTTP 401 Unauthorized)"),
    "500": ("/reader/api/0/subscription/list", _answer(500, b"oops", "text/plain"),
            "subscription/list: HTTP 500"),
    "html": ("/reader/api/0/stream/items/ids",
             _answer(200, b"<!DOCTYPE html><html><body>Log in</body></html>", "text/html"),
             "stream/items/ids: the server answered a web page, not JSON"),
    "truncated": ("/reader/api/0/stream/items/contents",
                  _answer(200, b'{"items": [{"id": "tag:google.com,2005:reader/item/0'),
                  "stream/items/contents: the answer is not valid JSON (cut short)"),
    "nested": ("/reader/api/0/subscription/list",
               _answer(200, b'{"subscriptions": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
               "subscription/list: the answer is not valid JSON (nested too deep)"),
    "no id": ("/reader/api/0/stream/items/contents",
              _answer(200, b'{"items": [{"title": "who am I", "origin": {"streamId": "feed/1"}}]}'),
              "stream/items/contents: an item without an id"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_answer_is_one_line_and_changes_nothing(
    case: str, home: Home, greader: GReaderServer
) -> None:
    home.sync()
    home.write_config("greader", greader.url, greader.username,
                      password_command=["cat", str(home.root / "password")])  # fmt: skip
    home.config.write_text(home.config.read_text().replace("timeout = 5", "timeout = 1"))
    greader.publish(greader.subs[1], 3, start=50)  # something new to pull
    target = home.headlines(limit=2)
    with home.store() as store:
        store.set_read([target[0].id])
        store.set_bookmarked(target[1].id)
    before = home.state()
    path, fault, words = BAD[case]
    if fault is None:
        greader.stop()
    else:
        greader.faults[str(path)] = fault
    failed = home.run("sync")
    assert failed.code == 1 and failed.out == ""
    assert failed.err.count("\n") == 1 and words in failed.err, failed.err
    assert greader.password not in failed.err
    assert home.state() == before  # nothing of the pull was stored
    if fault is None:
        greader.start()
    greader.faults.clear()
    assert home.sync()["pulled"] == 3
    links = {e.link: e for e in greader.items.values()}
    assert links[target[0].link].read and links[target[1].link].starred  # no act was lost


def test_server_text_is_stored_normalised(home: Home, greader: GReaderServer) -> None:
    entry = next(iter(greader.items.values()))
    entry.title = "Cafe\u0301 so\u00adcial\u200b \x1b[31mred"  # decomposed é, soft hyphen, ZWSP
    home.sync()
    (found,) = [h for h in home.headlines() if h.link == entry.link]
    assert found.title == "Caf\u00e9 social \x1b[31mred"  # stored as sent, but NFC and joined
    listed = home.run("list", "--limit", "100").out
    assert "Café social" in listed and "\x1b" not in listed  # shown through textsafe


def test_the_password_never_shows(home: Home, greader: GReaderServer) -> None:
    greader.password = "another one"  # the configured password is now wrong
    failed = home.run("sync")
    assert failed.code == 1 and "refused the login" in failed.err
    assert "correct horse battery" not in failed.err + failed.out

    def echo(h: BaseHTTPRequestHandler) -> bool:
        h.send_response(500, "Internal error for correct horse battery")
        h.send_header("Content-Length", "0")
        h.end_headers()
        return True

    greader.faults["/accounts/ClientLogin"] = echo
    failed = home.run("sync")
    assert failed.code == 1 and "***" in failed.err and "horse" not in failed.err


def test_refresh_syncs_and_fetches_only_the_feeds_the_server_does_not(
    home: Home, greader: GReaderServer
) -> None:
    done = home.run("refresh", "--json")
    assert done.code == 0, done.err
    result = done.json()
    assert result["sync"]["pulled"] == 60 and result["feeds"] == 0
    with home.store() as store:
        assert store.count(ItemQuery()) == 60
