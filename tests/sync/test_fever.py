"""Sync over the Fever API against a real server: coldsweat, started by these tests on
127.0.0.1 (tests/sync/coldsweat_server.py), fetching 3 feeds × 20 items from the tests' own loopback
feed server. Each test has its own coldsweat account, so its read and saved state is its own."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.store import syncsql
from reader.sync.fever import Fever
from tests.loopback import Loopback
from tests.sync.coldsweat_server import Coldsweat, installed
from tests.sync.conftest import Home

PASSWORD = "twelve or more characters"
_accounts = itertools.count(1)


def _rss(n: int, title: str, chinese: bool) -> bytes:
    items = []
    for i in range(20):
        head = f"第{i}条：咸宁市新闻" if chinese else f"{title} story {i}"
        items.append(
            f"<item><title>{head}</title><link>http://news.example/{n}/{i}</link>"
            f"<guid>urn:feed{n}:{i}</guid><pubDate>Mon, 0{1 + i % 9} Jun 2026 0{i % 10}:00:00"
            f" +0000</pubDate><description>&lt;p&gt;{head}: the body.&lt;/p&gt;</description></item>"
        )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
            f"</title><link>http://news.example/{n}</link>{''.join(items)}</channel></rss>").encode()  # fmt: skip


@pytest.fixture(scope="session")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Coldsweat, Path]]:
    """coldsweat serving, with its feeds fetched once; and the OPML of those feeds."""
    if not installed():
        pytest.fail("coldsweat is not installed: `make test` builds .venv-coldsweat")
    feeds = Loopback()
    outlines = []
    for n, (title, group) in enumerate((("Harbor News", "news"), ("Tech Log", "tech"),
                                        ("咸宁新闻", "中文"))):  # fmt: skip
        url = feeds.serve(f"/feed{n}.xml", _rss(n, title, n == 2))
        outlines.append(f'<outline text="{group}"><outline type="rss" text="{title}"'
                        f' xmlUrl="{url}"/></outline>')  # fmt: skip
    work = tmp_path_factory.mktemp("coldsweat")
    opml = work / "feeds.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body>{"".join(outlines)}'
                    "</body></opml>", encoding="utf-8")  # fmt: skip
    server = Coldsweat(work)
    server.add_user("first@example.org", PASSWORD, opml, fetch=True)
    server.start()
    yield server, opml
    server.stop()
    feeds.close()


@pytest.fixture
def account(coldsweat: tuple[Coldsweat, Path], tmp_path: Path) -> tuple[Coldsweat, str, Home]:
    """A fresh coldsweat account and a tidings home syncing with it."""
    server, opml = coldsweat
    email = f"reader{next(_accounts)}-{os.getpid()}@example.org"
    server.add_user(email, PASSWORD, opml)
    return server, email, Home(tmp_path / "home-a", "fever", server.url, email, PASSWORD)


def test_first_sync_brings_three_feeds_of_twenty_items(
    account: tuple[Coldsweat, str, Home],
) -> None:
    home = account[2]
    result = home.sync()
    assert (result["service"], result["feeds"], result["pulled"]) == ("fever", 3, 60)
    feeds = home.run("feeds", "--json").json()
    assert {(f["title"], tuple(f["tags"])) for f in feeds} == {
        ("Harbor News", ("news",)), ("Tech Log", ("tech",)), ("咸宁新闻", ("中文",))}  # fmt: skip
    assert len(home.headlines(unread=True)) == 60
    assert home.run("search", "咸宁市", "--json").json()["total"] == 20
    assert home.sync()["pulled"] == 0  # nothing new: nothing asked for again


def test_read_and_bookmarks_made_here_reach_the_server(
    account: tuple[Coldsweat, str, Home],
) -> None:
    server, email, home = account
    home.sync()
    newest = home.headlines(limit=7)
    with home.store() as store:
        store.set_read([h.id for h in newest[:5]])
    for h in newest[5:]:
        assert home.run("bookmark", str(h.id), "--no-fetch").code == 0
    assert home.sync()["pushed"] == 7
    unread = server.ids(email, PASSWORD, "unread_item_ids")
    saved = server.ids(email, PASSWORD, "saved_item_ids")
    links = server.links(email, PASSWORD, unread | saved)
    assert len(unread) == 55 and not {h.link for h in newest[:5]} & {links[i] for i in unread}
    assert {links[i] for i in saved} == {h.link for h in newest[5:]}


def test_unread_marks_made_on_the_server_show_here(account: tuple[Coldsweat, str, Home]) -> None:
    server, email, home = account
    home.sync()
    unread = sorted(server.ids(email, PASSWORD, "unread_item_ids"))
    for i in unread:
        server.fever(email, PASSWORD, "", mark="item", **{"as": "read"}, id=str(i))
    home.sync()
    assert home.headlines(unread=True) == []
    for i in unread[:3]:  # another client marks three unread
        server.fever(email, PASSWORD, "", mark="item", **{"as": "unread"}, id=str(i))
    home.sync()
    links = server.links(email, PASSWORD, set(unread[:3]))
    assert {h.link for h in home.headlines(unread=True)} == set(links.values())


def test_acts_made_while_the_server_is_down_are_sent_after_it_restarts(
    account: tuple[Coldsweat, str, Home],
) -> None:
    server, email, home = account
    home.sync()
    target = home.headlines(limit=3)
    server.stop()
    try:
        with home.store() as store:
            store.set_read([h.id for h in target])
            store.set_bookmarked(target[0].id)
        before = home.state()
        failed = home.run("sync")
        assert failed.code == 1 and failed.err.count("\n") == 1 and "cannot connect" in failed.err
        assert home.state() == before
    finally:
        server.start()
    assert home.sync()["pushed"] == 4
    unread = server.ids(email, PASSWORD, "unread_item_ids")
    saved = server.ids(email, PASSWORD, "saved_item_ids")
    links = server.links(email, PASSWORD, unread | saved)
    assert not {h.link for h in target} & {links[i] for i in unread}
    assert {links[i] for i in saved} == {target[0].link}


def test_two_homes_syncing_through_one_server_converge(
    account: tuple[Coldsweat, str, Home], tmp_path: Path
) -> None:
    server, email, home = account
    other = Home(tmp_path / "home-b", "fever", server.url, email, PASSWORD)
    home.sync()
    other.sync()
    a = home.headlines()
    with home.store() as store:
        store.set_read([h.id for h in a[:10]])
        store.set_bookmarked(a[0].id)
    ids = {h.link: h.id for h in other.headlines()}
    with other.store() as store:
        store.set_read([ids[h.link] for h in a[5:15]])
        store.set_read([ids[a[7].link]], False)
        store.set_bookmarked(ids[a[20].link])
    home.sync()
    other.sync()
    home.sync()
    assert home.state() == other.state()
    state = home.state()
    assert not state[a[7].link][0] and state[a[3].link][0] and state[a[12].link][0]
    assert {link for link, (_, marked) in state.items() if marked} == {a[0].link, a[20].link}


def test_a_kill_during_sync_loses_no_queued_act(account: tuple[Coldsweat, str, Home]) -> None:
    server, email, home = account
    home.sync()
    target = home.headlines(limit=40)
    with home.store() as store:
        store.set_read([h.id for h in target])
    env = dict(os.environ, TIDINGS_HOME=str(home.root))
    proc = subprocess.Popen([sys.executable, "-m", "reader", "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait_for_reads(server.db, email, proc)  # the server has taken some of the acts
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    on_server = 60 - len(server.ids(email, PASSWORD, "unread_item_ids"))
    with home.store() as store, store.transaction() as conn:
        queued = syncsql.pending_count(conn)
    assert on_server > 0 and on_server + queued >= 40  # each act is sent or still queued
    home.sync()
    unread = server.ids(email, PASSWORD, "unread_item_ids")
    assert len(unread) == 20
    assert not {h.link for h in target} & set(server.links(email, PASSWORD, unread).values())


def _wait_for_reads(db: Path, email: str, proc: subprocess.Popen[bytes]) -> None:
    """Until coldsweat has stored a read mark of this account (or the sync ended)."""
    deadline = time.monotonic() + 60
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        while time.monotonic() < deadline and proc.poll() is None:
            row = conn.execute(
                'SELECT count(*) FROM "read" r JOIN users u ON u.id = r.user_id WHERE u.email = ?',
                (email,),
            ).fetchone()
            if row[0]:
                return
            time.sleep(0.005)
    raise AssertionError("the sync ended or never marked anything before it could be killed")


def test_fever_says_the_server_manages_subscriptions(account: tuple[Coldsweat, str, Home]) -> None:
    home = account[2]
    home.sync()
    url = home.run("feeds", "--json").json()[0]["url"]
    refused = home.run("remove", url)
    assert refused.code == 2 and "manages subscriptions" in refused.err
    with home.store() as store:
        feed = store.feed(url)
        assert feed is not None
        store.set_tags(feed.id, ["mine"])
    result = home.run("sync", "--json")
    assert result.code == 0 and "the server manages subscriptions" in result.err
    assert [f["tags"] for f in home.run("feeds", "--json").json() if f["url"] == url] != [["mine"]]


def test_a_wrong_password_is_one_line_without_it(account: tuple[Coldsweat, str, Home]) -> None:
    home = account[2]
    (home.root / "password").write_text("not the password at all\n")
    failed = home.run("sync")
    assert failed.code == 1 and failed.err.count("\n") == 1
    assert "fever: groups: the server refused the login (auth 0)" in failed.err
    assert "not the password" not in failed.err


def test_a_title_chosen_here_stays(account: tuple[Coldsweat, str, Home]) -> None:
    """Fever cannot rename, so a rename here is kept here: no note, and the pulls that follow
    keep it (the server's title is the feed's own, shown again after `rename --reset`)."""
    home = account[2]
    home.sync()
    url = home.run("feeds", "--json").json()[0]["url"]
    assert home.run("rename", url, "我的 mine").code == 0
    synced = home.run("sync", "--json")
    assert synced.code == 0 and synced.err == "", synced.err
    home.sync()
    titles = {f["url"]: f["title"] for f in home.run("feeds", "--json").json()}
    assert titles[url] == "我的 mine"
    reset = home.run("rename", url, "--reset")
    assert reset.code == 0 and "own title again" in reset.out
    home.sync()
    assert {f["url"]: f["title"] for f in home.run("feeds", "--json").json()}[url] != "我的 mine"


def test_read_on_the_server_is_read_here_unless_an_act_waits(
    account: tuple[Coldsweat, str, Home], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, email, home = account
    home.sync()
    newest = home.headlines(limit=4)
    links = server.links(email, PASSWORD, server.ids(email, PASSWORD, "unread_item_ids"))
    ids = {link: i for i, link in links.items()}
    for h in newest:  # read on the phone
        server.fever(email, PASSWORD, "", mark="item", **{"as": "read"}, id=str(ids[h.link]))
    listed = Fever.unread_ids

    async def act_meanwhile(fever: Fever) -> set[str]:
        """While the sync lists the unread ids, the reader marks the newest unread here."""
        with home.store() as store:
            store.set_read([newest[0].id], False)
        return await listed(fever)

    monkeypatch.setattr(Fever, "unread_ids", act_meanwhile)
    home.sync()
    unread = {h.id for h in home.headlines(unread=True)}
    assert newest[0].id in unread  # its act waits: the newest act wins
    assert not {h.id for h in newest[1:]} & unread  # read there, no act here: read here
    assert len(unread) == 57
    monkeypatch.undo()
    assert home.sync()["pushed"] == 1  # the waiting act goes out at the next sync
    assert ids[newest[0].link] in server.ids(email, PASSWORD, "unread_item_ids")
