"""Rough edges a daily user of the reader trips on, each proved: the date column is as wide as
the dates listed need, and holds while the list scrolls; n and p follow the feed order shown
(O: by unread count), which stays put while its feeds are read, and O is remembered; rename
offers the title shown, and an empty title goes back to the feed's own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from reader.config import Config, UIConfig
from reader.models import Feed, ParsedFeed
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Prompt
from reader.ui.screens.main import MainScreen
from reader.ui.sources import Kind, Source
from tests.ui.conftest import CheckedStore, main_screen, notes, settle, until
from tests.ui.fixtures import HOSTILE, NOW, item

Factory = Callable[..., ReaderApp]


def feed_source(store: Store, title: str) -> Source:
    """The feed pane's source of the feed titled `title`."""
    assert isinstance(store, CheckedStore)
    store.checked = False
    try:
        feed = next(f for f in store.feeds() if f.title == title)
    finally:
        store.checked = True
    return Source(Kind.FEED, feed_id=feed.id)


async def test_the_date_column_fits_the_dates_listed_and_holds_while_scrolling(
    app_factory: Factory, store: Store
) -> None:
    assert isinstance(store, CheckedStore)
    store.checked = False
    feed, _ = store.add_feed("https://example.org/long.xml", title="Long Feed")
    today = [item(f"l{n}", f"Today {n}", n / 30) for n in range(250)]  # all of today...
    old = item("old", "Two years ago", 800 * 24)  # ...but the last one
    store.store_parsed(feed.id, ParsedFeed("Long Feed", "", (*today, old), "rss20"), now=NOW)
    store.checked = True
    app = app_factory()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hl = screen.headlines
        for title, first in [("World Briefs", "● 04:00 Storm season"),  # today: 5 columns
                             ("Tidings Weekly", "●  08:00 Welcome"),  # and Nov 27: 6
                             ("Long Feed", "●     09:00 Today 0")]:  # and 2024: 9  # fmt: skip
            source = feed_source(store, title)
            screen.feed_list.select_source(source)
            await until(pilot, lambda s=source: screen.source == s and hl.current, title)  # type: ignore[misc]
            assert hl.render_line(0).text.startswith(first), (title, hl.render_line(0).text)
        await pilot.press("G")  # the bottom: the same column for the old story
        await until(pilot, lambda: hl.current is not None and hl.current.title == "Two years ago")
        await pilot.pause()
        bottom = hl.render_line(hl.cursor - hl.top_row).text
        assert bottom.startswith("● 19 Sep 24 Two years ago"), bottom
        screen.feed_list.select_source(Source(Kind.ALL))  # All reaches 400 days back too
        await until(pilot, lambda: screen.source.kind is Kind.ALL and hl.current, "All")
        assert hl.render_line(0).text.startswith("●     09:00 Long Feed ")


def pane_feeds(screen: MainScreen) -> list[str]:
    """The feeds in the feed pane, top to bottom."""
    return [r.label for r in screen.feed_list.rows if r.source.kind is Kind.FEED]


async def test_n_follows_the_feed_order_shown_and_o_is_remembered(
    app_factory: Factory, store: Store, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("h")
        await until(pilot, lambda: app.focused is screen.feed_list, "the feed pane")
        await pilot.press("O")  # by unread count: Tidings Weekly (3) before the Digest (2)
        await until(pilot, lambda: screen.feed_list.by_unread, "sorted")
        shown = pane_feeds(screen)
        assert shown.index("Tidings Weekly") < shown.index("Terminal Tools Digest")
        screen.feed_list.select_source(feed_source(store, "Tidings Weekly"))
        await settle(pilot)
        for _ in range(3):  # its three stories, read as they open
            await pilot.press("n")
            await settle(pilot)
        assert screen.source == feed_source(store, "Tidings Weekly")
        assert pane_feeds(screen) == shown  # read to 0, it stays where it was under the cursor
        await pilot.press("n")  # the next feed shown (by name it would be 咸宁新闻网)
        await until(pilot, lambda: screen.source == feed_source(store, "Terminal Tools Digest"))
        await settle(pilot)
        assert screen.article.item is not None and screen.article.item.title == HOSTILE
    again = app_factory()  # the next run starts in the order O chose
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert main_screen(again).feed_list.by_unread
    changed = app_factory(Config(ui=UIConfig(feed_sort="unread")))  # config.toml changed: it wins
    async with changed.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert main_screen(changed).feed_list.by_unread
        await pilot.press("h")
        await until(pilot, lambda: changed.focused is main_screen(changed).feed_list)
        await pilot.press("O")
        await until(pilot, lambda: not main_screen(changed).feed_list.by_unread, "by name")
        await settle(pilot)
    state = json.loads((tmp_path / "state" / "ui-state.json").read_text(encoding="utf-8"))
    assert (state["feed_sort"], state["feed_sort_over"]) == ("name", "unread")


async def rename_to(pilot: Pilot[Any], typed: str | None) -> Prompt:
    """c on the feed under the cursor; type `typed` over what is offered (None: keep it)."""
    app = pilot.app
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, Prompt), "the rename prompt")
    prompt = app.screen
    assert isinstance(prompt, Prompt)
    if typed is not None:
        prompt.query_one(Input).value = typed
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, MainScreen), "the reader")
    await settle(pilot)
    return prompt


async def test_rename_offers_the_title_and_an_empty_one_goes_back_to_the_feeds_own(
    app_factory: Factory, store: Store
) -> None:
    source = feed_source(store, "Tidings Weekly")

    def weekly() -> Feed:
        assert isinstance(store, CheckedStore)
        store.checked = False
        try:
            found = store.feed_by_id(source.feed_id or 0)
        finally:
            store.checked = True
        assert found is not None
        return found

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.feed_list.select_source(source)
        await pilot.press("h")
        await until(pilot, lambda: app.focused is screen.feed_list, "the feed pane")
        prompt = await rename_to(pilot, None)  # enter on the title offered: nothing changes
        assert prompt.value == "Tidings Weekly" and not weekly().title_chosen
        await rename_to(pilot, "  My weekly  我的周刊 ")
        await until(pilot, lambda: weekly().title_chosen, "renamed")
        assert weekly().title == "My weekly 我的周刊"
        await until(pilot, lambda: "My weekly 我的周刊" in [r.label for r in screen.feed_list.rows])
        prompt = await rename_to(pilot, "")  # an empty title: the feed's own again
        assert prompt.value == "My weekly 我的周刊" and prompt.placeholder == "Tidings Weekly"
        assert "empty: its own title again, “Tidings Weekly”" in prompt.hint
        await until(pilot, lambda: not weekly().title_chosen, "its own title")
        assert weekly().title == "Tidings Weekly"
        assert "Back to the feed's own title: Tidings Weekly" in notes(app)
        await until(pilot, lambda: "Tidings Weekly" in [r.label for r in screen.feed_list.rows])


async def test_a_key_typed_right_after_a_pane_key_goes_to_the_new_pane(
    app_factory: Factory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        for key in ("h", "O"):  # typed at once (a fast typist, a terminal's paste, tmux)
            app.post_message(events.Key(key, key))
        await until(pilot, lambda: app.focused is screen.feed_list, "the feed pane")
        await settle(pilot)
        assert screen.feed_list.by_unread  # O reached the feed pane, not the headlines
