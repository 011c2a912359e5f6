"""Google Reader API: what a person changes here reaches the server and stays (renames, tags),
the server's state wins where no act waits (read elsewhere), and `tidings sync` takes its turn
with refreshes. Against the loopback server of tests/sync/greader_server.py."""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.models import Feed, RemoteFeed
from reader.store import syncsql
from reader.store.db import Store
from reader.store.lock import JobLock
from tests.sync.conftest import Home
from tests.sync.greader_server import GReaderServer

IDS = "/reader/api/0/stream/items/ids"


def feed(home: Home, url: str) -> Feed:
    with home.store() as store:
        found = store.feed(url)
    assert found is not None
    return found


def test_renames_and_tags_made_here_reach_the_server_and_stay(
    home: Home, greader: GReaderServer
) -> None:
    home.sync()
    sub = greader.subs[1]
    assert home.run("rename", sub.url, "港口 Harbour, mine").code == 0
    assert home.run("tag", sub.url, "--add", "daily", "--remove", "news").code == 0
    assert home.sync()["pushed"] == 2
    assert (sub.title, sub.labels) == ("港口 Harbour, mine", ["daily"])
    home.sync()  # the next pull keeps both
    assert (feed(home, sub.url).title, feed(home, sub.url).tags) == (
        "港口 Harbour, mine",
        ("daily",),
    )

    sub.title = "Renamed on the phone"  # another client renames it: the newest act wins
    home.sync()
    assert feed(home, sub.url).title == "Renamed on the phone"

    reset = home.run("rename", sub.url, "--reset")  # back to the feed's own title, there too
    assert reset.code == 0 and "Harbor News" in reset.out, reset
    home.sync()
    assert (sub.title, feed(home, sub.url).title) == ("Harbor News", "Harbor News")
    assert not feed(home, sub.url).title_chosen


def test_a_title_chosen_here_is_kept_while_the_server_keeps_its_own(
    home: Home, greader: GReaderServer
) -> None:
    """A title chosen before the feed was synced (an import's) is not replaced by the server's
    at each pull; the server's becomes the feed's own title."""
    sub = greader.subs[2]
    with home.store() as store:
        store.add_feed(sub.url, title="My tech 科技", chosen=True)
    home.sync()
    home.sync()
    found = feed(home, sub.url)
    assert (found.title, found.own_title, found.title_chosen) == ("My tech 科技", "Tech Log", True)
    assert home.run("rename", sub.url, "--reset").code == 0
    assert feed(home, sub.url).title == "Tech Log"


def test_read_on_the_server_is_read_here_unless_an_act_waits(
    home: Home, greader: GReaderServer
) -> None:
    home.sync()
    newest = home.headlines(limit=4)
    on_server = {e.link: e for e in greader.items.values()}
    for h in newest:
        on_server[h.link].read = True  # read on the phone
    acted: list[int] = []

    def act_meanwhile(h: BaseHTTPRequestHandler) -> bool:
        """While the sync lists the unread ids, the reader marks the newest unread here."""
        if not acted:
            with home.store() as store:
                acted.append(store.set_read([newest[0].id], False) + 1)
        return False  # then the request is answered as usual

    greader.faults[IDS] = act_meanwhile
    home.sync()
    unread = {h.id for h in home.headlines(unread=True)}
    assert newest[0].id in unread  # its act waits: the newest act wins
    assert not {h.id for h in newest[1:]} & unread  # read there, no act here: read here
    assert len(unread) == 57
    del greader.faults[IDS]
    assert home.sync()["pushed"] == 1  # the waiting act goes out at the next sync
    assert not on_server[newest[0].link].read


def test_sync_takes_its_turn_with_refreshes(
    home: Home, greader: GReaderServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.sync()
    item = home.headlines(limit=1)[0]
    with home.store() as store:
        store.set_read([item.id])
        refreshing = store.only_one("refresh")  # a refresh runs (taken by another thread)
        taking = threading.Thread(target=refreshing.acquire)
        taking.start()
        taking.join()
        try:
            left = home.run("sync", "--no-wait", "--json")
            assert left.code == 0 and left.json()["running_elsewhere"] == os.getpid()
            assert left.err.endswith("leaving it to that one\n") and left.err.count("\n") == 1
            assert not {e.link: e for e in greader.items.values()}[item.link].read

            tried = JobLock._try

            def waiting(lock: JobLock) -> int | None:
                fd = tried(lock)
                if fd is None:
                    refreshing.release()  # the sync waits: now the refresh ends
                return fd

            monkeypatch.setattr(JobLock, "_try", waiting)
            waited = home.run("sync", "--json")
        finally:
            refreshing.release()
    assert waited.code == 0 and waited.json()["pushed"] == 1, waited.err
    assert {e.link: e for e in greader.items.values()}[item.link].read


def pull(store: Store, remote: RemoteFeed, renames: bool) -> None:
    with store.transaction() as conn:
        syncsql.apply_feeds(conn, [remote], renames=renames)


@pytest.mark.parametrize("renames", [False, True], ids=["fever", "greader"])
def test_who_may_replace_a_title_chosen_here(tmp_path: Path, renames: bool) -> None:
    """A Fever server's title is the feed's own: when it changes, the chosen title stays. A
    Google Reader server's title is a name its users gave: a new one there is a newer rename."""
    url = "https://feeds.example/own.xml"
    with Store.open(tmp_path / "t.db") as store:
        pull(store, RemoteFeed("feed/7", url, "Own title"), renames)
        assert store.rename_feed(url, "Mine 我的") is not None
        pull(store, RemoteFeed("feed/7", url, "Own title, changed"), renames)
        found = store.feed(url)
    assert found is not None
    assert found.title == ("Own title, changed" if renames else "Mine 我的")
    assert found.own_title == ("Own title" if renames else "Own title, changed")
