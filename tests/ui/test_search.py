"""Pilot tests of search: the bar, hits with snippets, going back, errors, paging, saved
searches (kept in ui-state.json, counted, live after a refresh, removable)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.store.db import Store
from reader.ui import loaders
from reader.ui.app import ReaderApp
from reader.ui.control import searching
from reader.ui.control.searching import matches_text
from reader.ui.screens.main import MainScreen
from reader.ui.sources import Kind, search_source
from reader.ui.widgets.searchbar import HINT
from tests.ui.conftest import settle, until
from tests.ui.fixtures import make_app
from tests.ui.test_flow import FakeService

Factory = Callable[..., ReaderApp]


def main(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def info(screen: MainScreen) -> str:
    return str(screen.search.bar.query_one("#search-info").render())


async def open_search(pilot: Pilot[Any]) -> None:
    """Press / and wait for the bar to take the keys (it is made the first time)."""
    await pilot.press("slash")
    for _ in range(50):
        await settle(pilot)
        focused = pilot.app.focused
        if focused is not None and focused.id == "search-input":
            return
    raise AssertionError("the search bar did not open")


def listed(screen: MainScreen, query: str, error: bool = False) -> Callable[[], bool]:
    """Whether the hits of `query` (or, with `error`, why it cannot run) are shown: the bar
    waits for typing to pause, then the search runs in a worker and the count may follow."""
    want = search_source(" ".join(query.split()))
    bar = screen.search.bar.query_one("#search-info")

    def done() -> bool:
        if screen.source != want or bar.has_class("-error") is not error:
            return False
        return error or ("match" in info(screen) and screen.search.exact)

    return done


async def type_query(pilot: Pilot[Any], text: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press(*text)
    await until(pilot, listed(screen, text), f"the hits of {text!r}")


async def searched(pilot: Pilot[Any], query: str) -> MainScreen:
    """The reader started, the bar opened and `query` typed: its hits listed."""
    await settle(pilot)
    await open_search(pilot)
    await type_query(pilot, query)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def test_search_as_you_type_and_back(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "j", "j")
        await pilot.press("enter")
        await settle(pilot)
        before_id, before_item = screen.headlines.current_id, screen.article.item
        assert before_item is not None
        await open_search(pilot)
        assert screen.search.active
        await type_query(pilot, "禁毒")
        hl = screen.headlines
        assert screen.source.kind is Kind.SEARCH and hl.is_search and hl.row_height == 2
        assert [h.title for h in (hl.headline_at(0),) if h] == ["咸宁：严厉禁毒 温情戒毒 全民拒毒"]
        assert info(screen).startswith("1 match")
        assert "禁毒" in hl.render_line(1).text  # the snippet under the title
        await pilot.press("enter")  # to the hits, opening the first
        await settle(pilot)
        assert app.focused is hl and screen.article.item is not None
        assert screen.article.item.title.startswith("咸宁")
        await pilot.press("escape")  # back to exactly where the search started
        await settle(pilot)
        assert not screen.search.active and screen.source.kind is Kind.ALL
        assert hl.current_id == before_id and hl.cursor == 3 and hl.row_height == 1
        assert screen.article.item is not None and screen.article.item.id == before_item.id
        assert app.focused is hl


async def test_query_errors_show_in_the_bar(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await open_search(pilot)
        screen.search.bar.input.value = "since:yesterday"
        await until(pilot, listed(screen, "since:yesterday", error=True), "the query's error")
        assert "since" in info(screen) and "\n" not in info(screen)
        screen.search.bar.input.value = "since:2026-01-01"
        await until(pilot, listed(screen, "since:2026-01-01"), "the error cleared, hits listed")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.source.kind is Kind.ALL and len(screen.headlines.ids) == 9


async def test_hits_page_in_as_the_list_scrolls(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "PAGE", 3)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await searched(pilot, "is:unread")
        # three pages, asked for as they came on screen: the later ones after a frame or two
        await until(pilot, lambda: len(screen.headlines.ids) >= 9, "the hits' later pages")
        assert len(screen.headlines.ids) == 9
        assert screen.search.total == 9 and screen.headlines.more == 0
        assert len(set(screen.headlines.ids)) == 9


async def test_the_next_page_waits_while_the_query_is_typed(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the bar has the keys, the next page of hits waits (the next key would make it
    moot); moving to the hits asks for it at once."""
    monkeypatch.setattr(loaders, "PAGE", 3)
    monkeypatch.setattr(searching, "MORE_WAIT", 600.0)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await searched(pilot, "is:unread")
        await settle(pilot)
        assert len(screen.headlines.ids) == 3 and screen.headlines.more == 6
        await pilot.press("down")
        await until(pilot, lambda: len(screen.headlines.ids) == 9, "the later pages")
        assert screen.headlines.more == 0


async def test_new_hits_repaint_the_list_without_laying_the_screen_out(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new list of hits (many, Chinese, none, the empty bar), its count and its later
    pages repaint the list and the bar's line only: a layout would reflow every widget and
    repaint most of the screen for each query typed."""
    monkeypatch.setattr(loaders, "PAGE", 3)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await searched(pilot, "tidings")
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        for query, hits in (("is:unread", 9), ("新闻", 3), ("xqzvj", 0), ("tidings", 3)):
            screen.search.run(query)
            await until(pilot, listed(screen, query), f"the hits of {query!r}")
            shown = lambda: len(screen.headlines.ids) == hits  # noqa: B023, E731
            await until(pilot, shown, f"all {hits} hits of {query!r} listed")
            assert info(screen).startswith(matches_text(hits))
        screen.search.run("")
        await until(pilot, lambda: not screen.headlines.ids and info(screen) == HINT, "no hits")
        assert layouts == []


async def test_saved_searches(store: Store, tmp_path: Path) -> None:
    service = FakeService(Config(), store)
    state = tmp_path / "state"
    app = make_app(store, state, service=service)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await open_search(pilot)
        await type_query(pilot, "Fresh")
        assert screen.search.total == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        rows = {r.label: r for r in screen.feed_list.rows if r.source.kind is Kind.SEARCH}
        assert list(rows) == ["Fresh"] and rows["Fresh"].count == 0
        assert json.loads((state / "ui-state.json").read_text())["searches"] == ["Fresh"]
        await pilot.press("R")  # a refresh brings four "Fresh from ..." stories
        await settle(pilot)
        rows = {r.label: r for r in screen.feed_list.rows if r.source.kind is Kind.SEARCH}
        assert rows["Fresh"].count == 4
        screen.feed_list.select_source(rows["Fresh"].source)
        await settle(pilot)
        assert screen.source == rows["Fresh"].source and len(screen.headlines.ids) == 4
        assert screen.status.place.startswith("/Fresh · 4 matches · 4 unread")
        await pilot.press("enter")
        await settle(pilot)
        rows = {r.label: r for r in screen.feed_list.rows if r.source.kind is Kind.SEARCH}
        assert rows["Fresh"].count == 3  # opening one read it
        await pilot.press("S")  # on a saved search: forget it
        await settle(pilot)
        assert not [r for r in screen.feed_list.rows if r.source.kind is Kind.SEARCH]
        assert screen.source.kind is Kind.ALL
    assert json.loads((state / "ui-state.json").read_text())["searches"] == []


async def test_saved_searches_come_back(app_factory: Factory, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "ui-state.json").write_text(json.dumps({"searches": ["咸宁", "storm"]}))
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        rows = [(r.label, r.count) for r in main(app).feed_list.rows if r.source.is_search]
        assert rows == [("咸宁", 3), ("storm", 1)]


def test_an_estimated_total_says_about_and_rounds() -> None:
    from reader.ui.control.searching import matches_text

    assert matches_text(1) == "1 match" and matches_text(84_489) == "84,489 matches"
    assert matches_text(84_489, exact=False) == "about 84,000 matches"
    assert matches_text(7, exact=False) == "about 7 matches"
    assert matches_text(1_250, exact=False) == "about 1,200 matches"


async def test_hits_come_with_an_estimate_and_the_count_follows(
    app_factory: Factory, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store import searchpage
    from reader.store.counting import Counter

    monkeypatch.setattr(searchpage, "RANK_WINDOW", 2)  # every word fills the window
    monkeypatch.setattr(loaders, "PAGE", 1)
    monkeypatch.setattr(store, "_counter", Counter(store.path, threads=False))  # not counted yet
    seen: list[bool] = []
    original = loaders.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        seen.append(found.exact)
        return found

    monkeypatch.setattr(loaders, "search", spy)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await open_search(pilot)
        total = store.search_total("the")
        assert total > 2
        await type_query(pilot, "the")
        assert seen and seen[-1] is False  # the page came with an estimate ...
        assert screen.search.exact and screen.search.total == total  # ... then the count
        assert info(screen).startswith(f"{total:,} matches")
