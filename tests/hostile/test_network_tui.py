"""The reader during a refresh that meets every hostile server at once (Pilot, the real refresh
service, a short deadline): keys are answered at once, and quitting is immediate, not after the
slowest server."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.config import Config, FetchConfig, ParseConfig
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.context import LazyService
from reader.ui.themes import load_themes
from tests.hostile.conftest import data
from tests.loopback import Loopback, drip, endless_chunked, redirect, send, silence

CONFIG = Config(
    fetch=FetchConfig(timeout=4.0, connect_timeout=1.0, max_bytes=512 * 1024),
    parse=ParseConfig(workers=1, deadline=2.0),
)


@pytest.fixture
def store(tmp_path: Path, server: Loopback) -> Iterator[Store]:
    bomb = gzip.compress(b"<rss>" + b" " * (16 * 1024 * 1024))
    routes = {
        "/drip.xml": drip(data("good.xml"), delay=1.0),
        "/silent.xml": silence(30),
        "/endless.xml": endless_chunked(),
        "/bomb.xml": lambda h: send(h, 200, bomb, headers={"Content-Encoding": "gzip"}),
        "/loop-a.xml": redirect("/loop-b.xml"),
        "/loop-b.xml": redirect("/loop-a.xml"),
        "/busy.xml": lambda h: send(h, 429, b"", headers={"Retry-After": "60"}),
        "/slow-parse.xml": lambda h: send(h, 200, data("slow_author.xml")),
    }
    opened = Store.open(tmp_path / "t.db")
    for path, handler in routes.items():
        opened.add_feed(server.route(path, handler))
    opened.add_feed(server.serve("/good.xml", data("good.xml")))
    yield opened
    opened.close()


def app_for(store: Store, tmp_path: Path) -> ReaderApp:
    themes, _ = load_themes(None)
    return ReaderApp(
        config=CONFIG,
        store=store,
        service=LazyService(CONFIG, store),
        themes=themes,
        state_dir=tmp_path / "state",
        refresh_on_start=True,
    )


async def test_keys_answer_and_quit_is_immediate_during_a_hostile_refresh(
    store: Store, tmp_path: Path, server: Loopback
) -> None:
    app = app_for(store, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(250):  # until the refresh is under way (the pool forks, requests go out)
            await pilot.pause(0.02)
            if server.hits["/silent.xml"] and server.hits["/drip.xml"]:
                break
        assert server.hits["/silent.xml"] == 1
        slowest = 0.0
        for key in ("j", "k", "j", "tab", "tab", "j", "?", "escape"):
            started = time.monotonic()
            await pilot.press(key)
            slowest = max(slowest, time.monotonic() - started)
        # a loop blocked on a server or a parse would take the 4 s deadline; a busy machine
        # (two test workers on two cores) can make a key take a few hundred ms
        assert slowest < 1.5, f"a key took {slowest:.2f} s during the refresh"
        assert app.is_running
        started = time.monotonic()
        await pilot.press("q")
    quit_took = time.monotonic() - started
    assert quit_took < 1.5, f"quitting took {quit_took:.2f} s"
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
