"""The main screen as composed parts: panes own their keys, background errors are shown alike,
the footer keeps quit, help and back however narrow or rebound, feed-pane keys act on the feed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region

from reader.config import Config
from reader.store.db import Store
from reader.ui import keys, links, loaders
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.sources import Kind
from reader.ui.widgets.footer import KeyFooter
from tests.ui.conftest import CheckedStore, main_screen, notes, settle, until, wait_for_note
from tests.ui.fixtures import NOW

Factory = Callable[..., ReaderApp]


def footer_text(app: ReaderApp) -> str:
    return str(app.screen.query_one(KeyFooter).render())


def test_no_pane_binds_an_action_the_keys_module_does_not_know() -> None:
    from reader.ui.widgets.article import ArticleView
    from reader.ui.widgets.feeds import FeedList
    from reader.ui.widgets.headlines import HeadlineList

    for owner in (MainScreen, FeedList, HeadlineList, ArticleView):
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert getattr(binding, "id", None) in keys.BY_NAME, (owner, binding)


async def test_a_failing_job_is_shown_with_a_title_and_one_line(
    app_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(loaders, "load_article", broken)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        shown = await wait_for_note(pilot, "disk on fire")
        assert "Story: disk on fire second line" in shown
        assert app.is_running


@pytest.mark.parametrize("width", [60, 80, 140])
async def test_the_footer_always_has_quit_help_and_back(app_factory: Factory, width: int) -> None:
    app = app_factory(Config(keys={"quit": "ctrl+x", "help": "f1"}))
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        text = footer_text(app)
        assert "^x Quit" in text and "f1 Help" in text and "esc Back" in text
        assert len(text) <= width
        await pilot.press("h")  # the feed pane: escape does not go back from there
        await settle(pilot)
        if width >= 100:
            await pilot.press("h")
            await settle(pilot)
        assert main_screen(app).pane == "feeds"
        text = footer_text(app)
        assert "esc Back" not in text and "^x Quit" in text and "f1 Help" in text


async def test_m_and_o_in_the_feed_pane_act_on_the_feed(
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
        screen = main_screen(app)
        weekly = next(r.source for r in screen.feed_list.rows if r.label == "Tidings Weekly")
        screen.feed_list.select_source(weekly)
        screen.feed_list.focus()
        await settle(pilot)
        headline = screen.headlines.current
        assert headline is not None and not headline.read
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://example.org/weekly.xml"]  # the feed's own URL: no site known
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen.unread.get(weekly.feed_id or 0, 0) == 0
        assert any("read" in n for n in notes(app))


async def test_the_links_list_shows_whole_urls_wrapped(app_factory: Factory) -> None:
    from reader.ui.screens.overlays import LinkPicker

    long = "https://example.org/" + "/".join(f"section-{n}" for n in range(12)) + "?q=end"
    app = app_factory()
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.push_screen(LinkPicker([long], own="https://example.org/welcome"))
        await settle(pilot)
        options = app.screen.query_one("#link-options")
        lines = [s.text for s in options.render_lines(Region(0, 0, *options.size))]
        text = "".join(line.strip(" █▌▐│") for line in lines)
        assert long in text.replace(" ", "") and "?q=end" in text
        assert "[0] https://example.org/welcome" in text


async def test_only_our_themes_unless_asked_and_a_bad_theme_is_said(
    app_factory: Factory, tmp_path: Path
) -> None:
    from reader.config import UIConfig

    config = Config(ui=UIConfig(theme="no-such-theme"), source=tmp_path / "mine.toml")
    app = app_factory(config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "tidings-dark"
        assert set(app.available_themes) == set(app.reader_themes)
        said = [n for n in notes(app) if "no-such-theme" in n]
        assert said and f"{tmp_path / 'mine.toml'}: ui.theme: no theme named" in said[0]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        help_of = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert help_of["Next unread"].startswith("n · ") and help_of["Quit"].startswith("q · ")
    asked = app_factory(Config(ui=UIConfig(textual_themes=True)))
    async with asked.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "dracula" in asked.available_themes
    theirs = app_factory(Config(ui=UIConfig(theme="dracula")))
    async with theirs.run_test(size=(140, 40)) as pilot:
        assert theirs.theme == "dracula" and not any("dracula" in n for n in notes(theirs))


LONG_ERROR = (
    "cannot connect: the server at feeds.example.org closed the connection before "
    "answering (连接被对方重置，请稍后再试) after 3 attempts"
)


@pytest.mark.parametrize("width", [60, 80, 140])
async def test_feed_health_fits_its_width_and_enter_goes_to_the_feed(
    app_factory: Factory, store: Store, width: int
) -> None:
    from textual.widgets import DataTable, Static

    from reader.ui.screens.health import HealthScreen

    assert isinstance(store, CheckedStore)
    store.checked = False
    listed = next(f for f in store.feeds() if f.title == "Tidings Weekly")
    store.mark_not_modified([listed.id], now=NOW + 30)  # a 304: checked, and ok (the store)
    cut, _ = store.add_feed("https://feeds.example.org/a/very/long/address/of/a/feed.xml")
    store.record_failure(cut.id, LONG_ERROR, now=NOW)
    store.checked = True
    app = app_factory()
    async with app.run_test(size=(width, 14)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, HealthScreen), "feed health")
        screen = app.screen
        assert isinstance(screen, HealthScreen)
        assert screen.feeds[0].title == "Broken Feed"  # failing first (the longest streak)
        table = screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 6, "the rows")
        await pilot.pause()
        assert table.max_scroll_y > 0 and table.max_scroll_x == 0  # nothing to scroll sideways
        row = [str(c) for c in table.get_row_at(0)]
        assert row[0] == "Broken Feed" and row[3] == "404 ×3"
        assert (len(row) == 5) == (width >= 80)  # an error column only where it has room
        detail = screen.query_one("#health-detail", Static)
        assert "HTTP 404 Not Found" in str(detail.render())
        await pilot.press("j")  # the feed with the long error: its detail has all of it
        shown = " ".join(str(detail.render()).split())
        assert "https://feeds.example.org/a/very/long/address/of/a/feed.xml" in shown
        assert " ".join(LONG_ERROR.split()) in shown and detail.region.right <= width
        weekly_row = next(n for n, f in enumerate(screen.feeds) if f.title == "Tidings Weekly")
        when = ["09:00", "09:00"] if width < 100 else ["2026-11-28 09:00"] * 2
        assert [str(c) for c in table.get_row_at(weekly_row)][1:3] == when
        await pilot.press("g", *["j"] * weekly_row, "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "back to the reader")
        await settle(pilot)
        main = main_screen(app)
        assert main.source.kind is Kind.FEED and main.source.feed_id == listed.id
        assert main.status.place.startswith("Tidings Weekly")


@pytest.mark.parametrize("theme", ["tidings-dark", "newsprint", "high-contrast", "nord", "gruvbox"])
async def test_inactive_pane_borders_show_in_256_colours_and_truecolor(
    app_factory: Factory, theme: str
) -> None:
    from rich.color import ColorSystem

    from reader.config import UIConfig

    app = app_factory(Config(ui=UIConfig(theme=theme)))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert app.focused is screen.headlines
        for pane in (screen.feed_list, screen.article):  # not focused
            _, border = pane.styles.border_top
            background = pane.styles.background
            light = max(border.brightness, background.brightness) + 0.05
            dark = min(border.brightness, background.brightness) + 0.05
            assert light / dark >= 1.45, (theme, border.hex, background.hex)  # truecolor
            palette = {c.rich_color.downgrade(ColorSystem.EIGHT_BIT).number
                       for c in (border, background)}  # fmt: skip
            assert len(palette) == 2, (theme, border.hex, background.hex)  # 256 colours
