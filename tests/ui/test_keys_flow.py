"""Pilot tests: every key of the reader and the message flow behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App
from textual.widget import Widget

from reader.config import Config, UIConfig
from reader.models import ItemQuery
from reader.store.db import Store
from reader.ui import links
from reader.ui.app import ReaderApp
from reader.ui.screens.digest import DigestScreen
from reader.ui.screens.health import HealthScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.overlays import HelpScreen, LinkPicker
from reader.ui.sources import Kind
from tests.ui.conftest import CheckedStore, notes, settle, until
from tests.ui.fixtures import HOSTILE

Factory = Callable[..., ReaderApp]


def main(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def titles(screen: MainScreen) -> list[str]:
    hl = screen.headlines
    return [h.title for h in (hl.headline_at(i) for i in range(len(hl.ids))) if h]


def unchecked(store: Store, fn: Callable[[], Any]) -> Any:
    """Call the store from the test itself (the UI may not, on this thread)."""
    assert isinstance(store, CheckedStore)
    store.checked = False
    try:
        return fn()
    finally:
        store.checked = True


def read_state(store: Store, item_id: int) -> bool:
    item = unchecked(store, lambda: store.item(item_id))
    assert item is not None
    return bool(item.read)


def focused(app: App[Any]) -> Widget | None:
    """The focused widget, read afresh (an assert on `app.focused` would narrow its type)."""
    return app.focused


def kind(screen: MainScreen) -> Kind:
    """The screen's source kind, read afresh (for the same reason)."""
    return screen.source.kind


async def test_opens_on_the_cache_with_every_headline(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert len(screen.headlines.ids) == 9
        assert titles(screen)[0] == "Welcome to tidings"
        labels = [r.label for r in screen.feed_list.rows]
        assert labels[:3] == ["All", "Unread", "Bookmarks"]
        assert "tidings" in labels and "新闻" in labels and "Broken Feed" in labels
        assert next(r for r in screen.feed_list.rows if r.label == "Broken Feed").error
        assert screen.status.place == "All · 9 stories · 9 unread"
        assert app.focused is screen.headlines


async def test_cursor_keys(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        hl = main(app).headlines
        await pilot.press("j", "j", "down")
        assert hl.cursor == 3
        await pilot.press("k", "up")
        assert hl.cursor == 1
        await pilot.press("G")
        assert hl.cursor == 8
        await pilot.press("g")
        assert hl.cursor == 0
        await pilot.press("end", "home", "pagedown")
        assert hl.cursor == 8
        await pilot.press("pageup")
        assert hl.cursor == 0


async def test_enter_opens_and_marks_read(app_factory: Factory, store: Store) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("enter")
        await settle(pilot)
        item = screen.article.item
        assert item is not None and item.title == "Welcome to tidings"
        assert read_state(store, item.id)
        assert screen.headlines.current is not None and screen.headlines.current.read
        assert screen.totals.unread == 8
        assert screen.status.place.endswith("8 unread")
        assert screen.article.document is not None
        assert len(screen.article.document.links) == 3


@pytest.mark.parametrize("mode", ["never", "after"])
async def test_mark_read_modes(app_factory: Factory, store: Store, mode: str) -> None:
    app = app_factory(Config(ui=UIConfig(mark_read=mode, mark_read_after=0.05)))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        item = main(app).article.item
        assert item is not None
        if mode == "after":
            await until(pilot, lambda: read_state(store, item.id), "marked read after 0.05 s")
        else:  # that something does not happen takes a wait: three times mark_read_after
            await pilot.pause(0.15)
            await settle(pilot)
            assert read_state(store, item.id) is False


async def test_n_and_p_walk_unread_across_feeds(app_factory: Factory) -> None:
    app = app_factory(Config(ui=UIConfig(mark_read="never")))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        screen.feed_list.select_source(
            next(r.source for r in screen.feed_list.rows if r.label == "Terminal Tools Digest")
        )
        await settle(pilot)
        assert len(screen.headlines.ids) == 2
        opened = []
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
            assert screen.article.item is not None
            opened.append(screen.article.item.title)
        # two in this feed, then across into the next feed in pane order
        assert opened[:2] == [HOSTILE, "Five habits of people who live in the terminal"]
        assert screen.source.kind is Kind.FEED
        assert opened[2] == "Welcome to tidings"
        await pilot.press("p")  # back across into the previous feed, at its last unread
        await settle(pilot)
        assert screen.article.item is not None
        assert screen.article.item.title == "Five habits of people who live in the terminal"
        await pilot.press("p")
        await settle(pilot)
        assert screen.article.item.title == HOSTILE


async def test_n_says_when_nothing_is_left(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for _ in range(10):
            await pilot.press("n")
            await settle(pilot)
        assert main(app).totals.unread == 0
        assert any("No more unread" in m for m in notes(app))


async def test_tab_and_h_l_move_between_panes(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("tab")
        assert focused(app) is screen.article
        await pilot.press("tab")
        assert focused(app) is screen.feed_list
        await pilot.press("shift+tab")
        assert focused(app) is screen.article
        await pilot.press("h", "h")
        assert focused(app) is screen.feed_list
        await pilot.press("l")
        assert focused(app) is screen.headlines
        await pilot.press("l")
        await settle(pilot)
        assert focused(app) is screen.article
        assert screen.article.item is not None  # l from the headlines opens the story
        await pilot.press("escape")
        assert focused(app) is screen.headlines


async def test_feed_list_selects_and_folds(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("h", "j")  # Unread
        await settle(pilot)
        assert kind(screen) is Kind.UNREAD
        await pilot.press("j", "j")  # the "tidings" tag
        await settle(pilot)
        assert kind(screen) is Kind.TAG and screen.source.tag == "tidings"
        assert len(screen.headlines.ids) == 5
        rows = len(screen.feed_list.rows)
        await pilot.press("enter")  # folds the group
        assert len(screen.feed_list.rows) == rows - 2
        await pilot.press("enter")
        assert len(screen.feed_list.rows) == rows
        await pilot.press("j", "enter")  # a feed: enter goes to its headlines
        await settle(pilot)
        assert app.focused is screen.headlines
        assert screen.source.kind is Kind.FEED
        assert not screen.headlines.show_feed


async def test_space_pages_then_moves_on(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("space")  # nothing open: opens the story under the cursor
        await settle(pilot)
        first = screen.article.item
        assert first is not None
        await pilot.press("space")
        await pilot.pause()
        assert screen.article.scroll_y > 0
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.article.scroll_y == 0
        for _ in range(10):
            await pilot.press("space")
            await settle(pilot)
            if screen.article.item is not first:
                break
        assert screen.article.item is not None and screen.article.item.id != first.id


async def test_b_and_m_toggle_flags(app_factory: Factory, store: Store) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        current = screen.headlines.current
        assert current is not None
        await pilot.press("b")
        await settle(pilot)
        assert screen.headlines.current is not None and screen.headlines.current.bookmarked
        assert screen.totals.bookmarked == 1
        await pilot.press("m")
        await settle(pilot)
        assert read_state(store, current.id)
        await pilot.press("m", "b")
        await settle(pilot)
        assert not read_state(store, current.id)
        assert screen.headlines.current is not None
        assert not screen.headlines.current.bookmarked
        assert screen.totals.bookmarked == 0 and screen.totals.unread == 9


async def test_capital_a_marks_the_feed_read(app_factory: Factory, store: Store) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        feed = next(r.source for r in screen.feed_list.rows if r.label == "咸宁新闻网")
        screen.feed_list.select_source(feed)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("enter")  # yes: mark them
        await settle(pilot)
        unread = unchecked(store, lambda: store.count(ItemQuery(feed_id=feed.feed_id, unread=True)))
        assert unread == 0
        assert screen.unread.get(feed.feed_id or 0, 0) == 0
        assert screen.totals.unread == 6


async def test_o_opens_the_link_with_an_argv(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def fake_open(url: str, configured: tuple[str, ...] = (), env: object = None) -> bool:
        calls.append((url, tuple(configured)))
        return True

    monkeypatch.setattr(links, "open_url", fake_open)
    app = app_factory(Config(ui=UIConfig(browser=("firefox", "--new-tab", "{url}"))))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert calls == [("https://example.org/welcome", ("firefox", "--new-tab", "{url}"))]


async def test_u_lists_links_and_a_number_opens_one(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def open_url(url: str, *_a: object, **_k: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(links, "open_url", open_url)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        assert any("Open a story first" in m for m in notes(app))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("u", "down", "down", "enter")  # [0] is the story's own page
        await settle(pilot)
        await pilot.press("u", "0")
        await settle(pilot)
        assert opened == [
            "mailto:desk@example.org",
            "https://example.org/b",
            "https://example.org/welcome",
        ]


async def test_no_browser_copies_the_link(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "open_url", lambda *a, **k: False)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == "https://example.org/welcome"


async def test_overlays_open_and_close(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for key, kind in [("question_mark", HelpScreen), ("d", DigestScreen),
                          ("e", HealthScreen)]:  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind), key
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


async def test_t_cycles_themes_and_the_choice_persists(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "tidings-dark"
        await pilot.press("t")
        await settle(pilot)
        assert app.theme == "newsprint"
        await pilot.press("t", "t", "t")
        await settle(pilot)
        assert app.theme == "gruvbox"
    again = app_factory()
    async with again.run_test(size=(140, 40)) as pilot:
        assert again.theme == "gruvbox"
    changed = app_factory(Config(ui=UIConfig(theme="nord")))
    async with changed.run_test(size=(140, 40)) as pilot:
        assert changed.theme == "nord"  # editing config.toml wins over the remembered choice


async def test_q_quits(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_refresh_keys_offline(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r", "R")
        await pilot.pause()
        shown = notes(app)
        assert shown.count("Not refreshing: offline (tests)") == 2


async def test_keys_from_config(app_factory: Factory) -> None:
    config = Config(keys={"next_unread": "x", "quit": "ctrl+x", "bogus": "z"})
    app = app_factory(config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("n")
        await settle(pilot)
        assert screen.article.item is None
        await pilot.press("x")
        await settle(pilot)
        assert screen.article.item is not None
        assert any("keys.bogus" in m for m in notes(app))
        await pilot.press("q")
        assert app.is_running
        await pilot.press("ctrl+x")
        await pilot.pause()
    assert not app.is_running


async def test_command_palette_lists_every_action(app_factory: Factory) -> None:
    from reader.ui import keys

    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles_ = {c.title for c in app.get_system_commands(app.screen)}
        assert {a.label for a in keys.ACTIONS if "search" not in a.scopes} <= titles_
        assert len(titles_) == len(list(app.get_system_commands(app.screen)))  # no duplicates
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Bookmark")
        await command.callback()
        await settle(pilot)
        assert main(app).totals.bookmarked == 1
