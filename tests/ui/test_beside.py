"""The reader open while real `tidings` processes write the same store: their writes work, the
reader shows them within a few polls with the cursor where it was, a write killed inside its
transaction loses nothing acknowledged (the reader's own write waiting behind it gets in), a
refresh from a shell fills the open reader (and one running when the reader refreshes is said, not
a failure), and two readers open on one store see each other."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from reader.config import Config, StoreConfig
from reader.service import Service
from reader.store.db import Store
from reader.store.transactions import PAUSE_ENV
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from tests.hostile.conftest import bookmarked, integrity
from tests.loopback import Loopback, send
from tests.ui.conftest import CheckedStore, settle, until
from tests.ui.fixtures import build_store, make_app

ROOT = Path(__file__).resolve().parents[2]
WATCHING = Config(store=StoreConfig(watch_seconds=0.2))
FAST = "[store]\nwatch_seconds = 0.2\n[fulltext]\nbookmarks = false\n[fetch]\ntimeout = 5.0\n"


def rss(title: str, *stories: str) -> bytes:
    items = "".join(
        f"<item><title>{s}</title><guid>{s}</guid><link>http://127.0.0.1/{n}</link>"
        f"<pubDate>Tue, 10 Nov 2026 0{n}:00:00 GMT</pubDate></item>"
        for n, s in enumerate(stories)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title>{items}</channel></rss>"
    ).encode()


async def tidings(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A real `python -m reader ARGS`, run while the app keeps running."""
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "reader", *args], capture_output=True, text=True,
        env=env or dict(os.environ), cwd=ROOT, timeout=60,
    )  # fmt: skip


def main(app: ReaderApp) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def labels(screen: MainScreen) -> list[str]:
    return [row.label for row in screen.feed_list.rows]


def opened(path: Path) -> CheckedStore:
    return CheckedStore.open(path)


def home_store(home: Path) -> Path:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(FAST)
    path = home / "data" / "tidings.db"
    build_store(path).close()
    return path


async def wait_for_flag(pilot: Pilot[Any], proc: subprocess.Popen[str], flag: Path) -> str:
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the write never reached the seam"
        await pilot.pause(0.01)
    return flag.read_text().strip()


async def test_cli_writers_beside_the_open_reader(
    tidings_home: Path, server: Loopback, tmp_path: Path
) -> None:
    path = home_store(tidings_home)
    url = server.serve("/harbour.xml", rss("Harbour Gazette 港口报", "Ships in", "渔船归港"))
    store = opened(path)
    app = make_app(store, tmp_path / "state", WATCHING)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "j", "j")
        kept, count = screen.headlines.current_id, len(screen.headlines.ids)
        marks = screen.totals.bookmarked

        added = await tidings("add", url, "--tag", "港口")
        assert added.returncode == 0 and "added Harbour Gazette 港口报" in added.stdout, added
        await until(pilot, lambda: "Harbour Gazette 港口报" in labels(screen), "the new feed")
        await until(pilot, lambda: len(screen.headlines.ids) == count + 2, "its stories")
        assert screen.headlines.current_id == kept  # the list grew, the cursor stayed

        target = screen.headlines.ids[0]
        marked = await tidings("bookmark", str(target), "--no-fetch")
        assert marked.stdout == f"bookmarked {target}\n", marked.stderr
        await until(pilot, lambda: screen.totals.bookmarked == marks + 1, "the bookmark")
        assert screen.headlines.current_id == kept

        await pilot.press("enter")  # the cursor's story opens; a bookmark from a shell shows on it
        await until(pilot, lambda: screen.article.item is not None, "the open story")
        item = screen.article.item
        assert item is not None and not item.bookmarked
        marked = await tidings("bookmark", str(item.id), "--no-fetch")
        assert marked.returncode == 0, marked
        await until(pilot, lambda: getattr(screen.article.item, "bookmarked", False), "the star")

        removed = await tidings("remove", url)
        assert removed.returncode == 0, removed
        await until(pilot, lambda: "Harbour Gazette 港口报" not in labels(screen), "the removal")
        assert screen.headlines.current_id == kept
    store.checked = False
    store.close()
    assert bookmarked(path) == {target, item.id}


async def test_a_write_killed_inside_beside_the_reader(tidings_home: Path, tmp_path: Path) -> None:
    """`tidings bookmark` paused inside its transaction, then SIGKILLed; meanwhile the reader's
    own bookmark waits for the write lock, and gets in once the killed process is gone."""
    path = home_store(tidings_home)
    store = opened(path)
    app = make_app(store, tmp_path / "state", WATCHING)
    flag = tmp_path / "inside"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        first, second = screen.headlines.ids[0], screen.headlines.ids[1]
        env = dict(os.environ, **{PAUSE_ENV: str(flag)})
        proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "bookmark", str(second), "--no-fetch"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            assert await wait_for_flag(pilot, proc, flag) == "synchronous=2"
            await pilot.press("b")  # the reader's bookmark of `first`: it waits for the lock
            await pilot.pause(0.3)
            assert first not in bookmarked(path)
        finally:
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate(timeout=30)
        assert out == ""
        await until(pilot, lambda: screen.totals.bookmarked == 1, "the reader's bookmark")
        assert any("Bookmarked" in n.message for n in app.notes)
    store.checked = False
    store.close()
    assert bookmarked(path) == {first}  # the acknowledged one; the killed one never committed
    assert integrity(path) == "ok"


async def test_a_refresh_from_a_shell_fills_the_open_reader(
    tidings_home: Path, server: Loopback, tmp_path: Path
) -> None:
    (tidings_home / "config").mkdir(parents=True)
    (tidings_home / "config" / "config.toml").write_text(FAST)
    path = tidings_home / "data" / "tidings.db"
    url = server.serve("/news.xml", rss("Loopback News", "one", "two", "three"))
    with Store.open(path) as seeding:
        seeding.add_feed(url)
    store = opened(path)
    app = make_app(store, tmp_path / "state", WATCHING)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert len(screen.headlines.ids) == 0
        done = await tidings("refresh")
        assert done.returncode == 0 and "3 new items" in done.stdout, done
        await until(pilot, lambda: len(screen.headlines.ids) == 3, "the refreshed stories")
        await until(pilot, lambda: "Loopback News" in labels(screen), "the feed's title")
    store.checked = False
    store.close()


async def test_two_readers_open_on_one_store(tidings_home: Path, tmp_path: Path) -> None:
    path = home_store(tidings_home)
    one, two = opened(path), opened(path)
    first = make_app(one, tmp_path / "state1", WATCHING)
    second = make_app(two, tmp_path / "state2", WATCHING)
    async with first.run_test(size=(140, 40)) as p1, second.run_test(size=(140, 40)) as p2:
        await settle(p1)
        await settle(p2)
        a, b = main(first), main(second)
        unread = b.totals.unread
        await p1.press("b")  # a bookmark in the first reader...
        await until(p2, lambda: b.totals.bookmarked == 1, "the bookmark in the second")
        await p2.press("enter")  # ...and a story read in the second (mark_read = open)
        await until(p1, lambda: a.totals.unread == unread - 1, "the read mark in the first")
    for store in (one, two):
        store.checked = False
        store.close()


async def test_a_refresh_in_another_process_is_said_and_its_news_shows(
    tidings_home: Path, server: Loopback, tmp_path: Path
) -> None:
    """Cron's `tidings refresh` runs while the reader is open: the status line says so (not a
    failure), R leaves the work to it, and its stories come in through the store watch."""
    (tidings_home / "config").mkdir(parents=True)
    (tidings_home / "config" / "config.toml").write_text(FAST)
    path = tidings_home / "data" / "tidings.db"
    gate = threading.Event()

    def hung(h: BaseHTTPRequestHandler) -> None:
        gate.wait(30)
        send(h, 200, rss("Cron News 定时新闻", "one", "二"), "application/rss+xml")

    with Store.open(path) as seeding:
        seeding.add_feed(server.route("/cron.xml", hung))
    store = opened(path)
    app = make_app(store, tmp_path / "state", WATCHING, service=Service(WATCHING, store))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        cron = subprocess.Popen(
            [sys.executable, "-m", "reader", "refresh"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        try:
            other = "refreshing in another process"
            await until(pilot, lambda: screen.status.activity == other, "the other refresh")
            await pilot.press("R")
            said = "Another process is refreshing: its news shows as it lands"
            await until(pilot, lambda: said in [n.message for n in app.notes], "the note")
            assert screen.status.activity == other
            assert all(n.severity != "error" for n in app.notes), app.notes
            gate.set()
            await until(pilot, lambda: len(screen.headlines.ids) == 2, "its stories")
            await until(pilot, lambda: "Cron News 定时新闻" in labels(screen), "its feed")
            done = "refreshed in another process · "
            await until(pilot, lambda: screen.status.activity.startswith(done), "the end")
        finally:
            gate.set()
            out, err = cron.communicate(timeout=60)
        assert cron.returncode == 0 and "2 new items" in out, err
    store.checked = False
    store.close()
