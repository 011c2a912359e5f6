"""The first view: the newest headlines and the feed counts, read while Textual is imported
(reader/ui/firstview.py), are on screen before the full list of ids; the start-up refresh waits
for that list."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from reader.config import Config
from reader.models import ItemQuery
from reader.store.db import Store
from reader.ui import firstview
from reader.ui.app import ReaderApp
from reader.ui.firstview import FirstView, read_first_view, start_first_view
from reader.ui.screens.main import MainScreen
from reader.ui.watch import StoreChanged, StoreWatch
from tests.ui.conftest import CheckedStore, poll, settle, until
from tests.ui.fixtures import build_store, make_app
from tests.ui.test_flow import FakeService


class HeldStore(CheckedStore):
    """A store whose full lists of ids wait until `release` is set (a seam that holds back
    the worker's load), and which counts how often the feeds are read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.release = threading.Event()
        self.feed_reads = 0

    def item_ids(self, query: ItemQuery | None = None) -> Any:
        assert self.release.wait(30), "the test never released the list"
        return super().item_ids(query)

    def feeds(self) -> Any:
        self.feed_reads += 1
        return super().feeds()


def held_store(tmp_path: Path) -> tuple[HeldStore, int]:
    """The store, and how many of its stories are unread (counted beforehand)."""
    path = tmp_path / "first.db"
    with build_store(path) as plain:
        unread = plain.count(ItemQuery(unread=True))
    return HeldStore.open(path), unread


def main(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def row_count(screen: MainScreen, label: str) -> int | None:
    """The count beside `label` in the feed pane (None: no such row yet)."""
    return next((r.count for r in screen.feed_list.rows if r.label == label), None)


async def test_the_first_view_is_on_screen_before_the_list_of_ids(tmp_path: Path) -> None:
    store, unread = held_store(tmp_path)
    service = FakeService(Config(), store)
    try:
        first = start_first_view(store)
        view = first.result(timeout=30)
        assert sys.getswitchinterval() == firstview.NORMAL  # back once the view was read
        newest = view.rows[0].title
        app = make_app(store, tmp_path / "state", service=service, refresh_on_start=True,
                       first_view=first)  # fmt: skip
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            screen = main(app)
            assert newest in screen.headlines.render_line(0).text
            assert screen.status.place.startswith("All · … stories")
            assert row_count(screen, "Unread") == unread == 9
            assert store.feed_reads == 1  # the first view's: the screen did not read them again
            assert service.calls == []  # the refresh waits for the list
            store.release.set()
            await until(pilot, lambda: service.calls == [None], "the start-up refresh")
            await settle(pilot)
            assert screen.status.place.startswith("All · 13 stories")  # and 4 new ones
    finally:
        store.release.set()
        store.checked = False
        store.close()


async def test_a_first_view_still_being_read_comes_with_the_first_load(tmp_path: Path) -> None:
    store, unread = held_store(tmp_path)
    store.release.set()
    first: Future[FirstView] = Future()
    try:
        app = make_app(store, tmp_path / "state", first_view=first)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            screen = main(app)
            assert screen.feed_list.rows == []  # not read yet: nothing shown
            first.set_result(await asyncio.to_thread(read_first_view, store))
            await poll(pilot, lambda: row_count(screen, "Unread") == unread, "the counts")
            await settle(pilot)
            assert store.feed_reads == 1  # the worker took them from the first view
            assert screen.status.place.startswith("All · 9 stories")
            assert "Welcome to tidings" in screen.headlines.render_line(0).text
    finally:
        if not first.done():  # a failed assertion must not leave the worker waiting
            first.set_exception(OSError("the test ended"))
        store.checked = False
        store.close()


async def test_a_first_view_that_failed_is_read_again(tmp_path: Path) -> None:
    store, unread = held_store(tmp_path)
    store.release.set()
    first: Future[FirstView] = Future()
    first.set_exception(OSError("disk I/O error"))
    try:
        app = make_app(store, tmp_path / "state", first_view=first)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = main(app)
            assert row_count(screen, "Unread") == unread
            assert screen.status.place.startswith("All · 9 stories")
    finally:
        store.checked = False
        store.close()


BEFORE_THE_FIRST_FRAME = """
import sys
from reader import cli
from reader.ui import launch

def run_app(app):
    print(" ".join(sorted(sys.modules)))
    return 0

launch.run_app = run_app
sys.exit(cli.main([]))
"""
NOT_BEFORE = ("reader.commands.", "reader.rules", "reader.rulematch", "reader.service",
              "reader.feeds", "reader.articles", "reader.sync", "httpx", "feedparser", "lxml",
              "trafilatura")  # fmt: skip


def test_opening_the_reader_imports_only_what_draws_it(tidings_home: Path) -> None:
    build_store(tidings_home / "data" / "tidings.db").close()
    done = subprocess.run([sys.executable, "-c", BEFORE_THE_FIRST_FRAME], capture_output=True,
                          text=True, env=os.environ, check=True)  # fmt: skip
    modules = done.stdout.split()
    assert "reader.ui.app" in modules and "reader.ui.firstview" in modules
    assert [m for m in modules if m.startswith(NOT_BEFORE)] == []


async def test_the_first_theme_costs_no_second_parse_of_the_css(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reparses: list[str] = []
    refresh_css = ReaderApp.refresh_css

    def counted(app: ReaderApp, animate: bool = True) -> None:
        reparses.append(app.theme)
        refresh_css(app, animate)

    monkeypatch.setattr(ReaderApp, "refresh_css", counted)
    store, _ = held_store(tmp_path)
    store.release.set()
    try:
        app = make_app(store, tmp_path / "state")
        first = app.theme
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            assert reparses == []
            assert app.theme == first and f"-theme-{first}" in app.classes
            assert app.stylesheet.rules  # parsed once, with the theme's variables
            await pilot.press("t")  # another theme: Textual's own way, the CSS parsed again
            await settle(pilot)
            assert reparses == [app.theme] and app.theme != first
    finally:
        store.checked = False
        store.close()


def test_the_watch_starts_from_where_the_first_view_was_read(tmp_path: Path) -> None:
    path = tmp_path / "watched.db"
    build_store(path).close()
    with Store.open(path) as store, Store.open(path) as elsewhere:
        first = start_first_view(store)
        first.result(timeout=30)
        newest = elsewhere.headlines()[0]
        elsewhere.set_read([newest.id], True)  # another process, after the view was read
        watch = StoreWatch(store, first)  # reads nothing itself: the view's mark
        found = watch.poll()
        assert [type(m) for m in found] == [StoreChanged]
        assert watch.poll() == []
