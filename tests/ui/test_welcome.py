"""The first run: the welcome screen's three ways to get feeds (a URL found on a real loopback
server, an import, the demo feeds), and its snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.demo import FEEDS
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Chooser, Prompt
from reader.ui.screens.main import MainScreen
from reader.ui.screens.welcome import WelcomeScreen
from tests.loopback import Loopback
from tests.ui.conftest import CheckedStore, notes, settle
from tests.ui.fixtures import make_app

DEMO = Path(__file__).parents[2] / "reader" / "demo"
PAGE = b"""<html><head><title>Two feeds</title>
<link rel="alternate" type="application/rss+xml" title="Weekly" href="/weekly.xml">
<link rel="alternate" type="application/atom+xml" title="Digest" href="/digest.atom">
</head><body><p>A site with two feeds.</p></body></html>"""


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Store]:
    """A store without feeds."""
    Store.open(tmp_path / "empty.db").close()
    checked = CheckedStore.open(tmp_path / "empty.db")
    yield checked
    checked.checked = False
    checked.close()


@pytest.fixture
def welcome_app(empty: Store, tmp_path: Path) -> ReaderApp:
    return make_app(empty, tmp_path / "state")


async def answer(pilot: Pilot[Any], text: str) -> None:
    """Type `text` into the open prompt (at once: pressing each key is slow) and enter it."""
    await settle(pilot)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def until_main(pilot: Pilot[Any], app: ReaderApp) -> MainScreen:
    """Settle until the welcome screen has gone (subscribing takes a moment)."""
    for _ in range(100):
        await settle(pilot)
        if isinstance(app.screen, MainScreen):
            return app.screen
        await asyncio.sleep(0.05)
    raise AssertionError(f"still on {app.screen}")


async def welcomed(pilot: Pilot[Any]) -> WelcomeScreen:
    """Settle until the welcome screen is up (it comes once the feeds are read)."""
    for _ in range(100):
        await settle(pilot)
        if isinstance(pilot.app.screen, WelcomeScreen):
            return pilot.app.screen
        await asyncio.sleep(0.02)
    raise AssertionError(f"no welcome: {pilot.app.screen}")


async def test_welcome_adds_a_site_and_its_chosen_feed(
    welcome_app: ReaderApp, server: Loopback
) -> None:
    server.serve("/", PAGE, content_type="text/html")
    server.serve("/weekly.xml", (DEMO / "tidings-weekly.xml").read_bytes())
    server.serve("/digest.atom", (DEMO / "terminal-digest.atom").read_bytes(),
                 content_type="application/atom+xml")  # fmt: skip
    app = welcome_app
    async with app.run_test(size=(140, 40)) as pilot:
        await welcomed(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        await answer(pilot, server.url("/"))
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, Chooser):
                break
            await asyncio.sleep(0.05)
        assert isinstance(app.screen, Chooser) and len(app.screen.choices) == 2
        await pilot.press("down", "enter")
        screen = await until_main(pilot, app)
        await settle(pilot)
        assert [f.title for f in screen.feeds] == ["Terminal Tools Digest"]
        assert len(screen.headlines.ids) == 3
        assert server.hits["/digest.atom"] == 1 and server.hits["/weekly.xml"] == 0
        assert any("Subscribed to Terminal Tools Digest" in m for m in notes(app))


async def test_welcome_says_what_went_wrong(welcome_app: ReaderApp, server: Loopback) -> None:
    app = welcome_app
    async with app.run_test(size=(140, 40)) as pilot:
        await welcomed(pilot)
        await pilot.press("a")
        await answer(pilot, server.url("/missing"))
        status = app.screen.query_one("#welcome-status")
        for _ in range(100):
            await settle(pilot)
            if status.has_class("-error"):
                break
            await asyncio.sleep(0.05)
        assert "404" in str(status.render()) and isinstance(app.screen, WelcomeScreen)


async def test_welcome_imports_a_urls_file(welcome_app: ReaderApp, tmp_path: Path) -> None:
    urls = tmp_path / "urls"
    urls.write_text('https://example.org/a.xml "~A" news\nhttps://example.org/b.xml\n# note\n')
    app = welcome_app
    async with app.run_test(size=(140, 40)) as pilot:
        await welcomed(pilot)
        await pilot.press("i")
        await answer(pilot, str(urls))
        screen = await until_main(pilot, app)
        assert sorted(f.url for f in screen.feeds) == ["https://example.org/a.xml",
                                                       "https://example.org/b.xml"]  # fmt: skip
        assert [r.label for r in screen.feed_list.rows if r.group] == ["news"]
        messages = notes(app)
        assert "Imported 2 of 2 feeds" in messages
        assert any("Not refreshing" in m for m in messages)  # offline in tests


async def test_welcome_loads_the_demo(welcome_app: ReaderApp) -> None:
    app = welcome_app
    async with app.run_test(size=(140, 40)) as pilot:
        await welcomed(pilot)
        await pilot.press("d")
        screen = await until_main(pilot, app)
        await settle(pilot)
        assert len(screen.feeds) == len(FEEDS) + 1  # and the one that fails
        assert len(screen.headlines.ids) >= 12
        assert "Pick a story" in str(screen.article.query_one(".hint").render())


async def test_escape_leaves_the_empty_reader(welcome_app: ReaderApp) -> None:
    app = welcome_app
    async with app.run_test(size=(140, 40)) as pilot:
        await welcomed(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert "No feeds yet" in str(screen.article.query_one(".hint").render())
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


Snap = Callable[..., bool]


@pytest.mark.parametrize("size", [(140, 40), (80, 24)], ids=["wide", "narrow"])
def test_welcome_snapshot(
    snap_compare: Snap, welcome_app: ReaderApp, size: tuple[int, int]
) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await welcomed(pilot)

    assert snap_compare(welcome_app, terminal_size=size, run_before=ready)
