"""What hurt a new user, each proved: the digest moves the headline cursor (2), import from the
welcome screen opens at the newest story (8), the help overlay scrolls with G, End, space and
ctrl+d (13), empty lists say what to do and counts are plural only when they should be (18)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import OptionList

from reader.config import Config
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.digest import DigestScreen
from reader.ui.screens.overlays import HelpScreen
from reader.ui.sources import BOOKMARKS, Kind, Source
from tests.ui.conftest import CheckedStore, main_screen, settle, until
from tests.ui.fixtures import make_app
from tests.ui.test_flow import FakeService
from tests.ui.test_welcome import answer, welcomed

Factory = Callable[..., ReaderApp]


async def test_opening_from_the_digest_moves_the_headline_cursor(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "j", "j")
        await pilot.press("d")  # today's digest, from the headlines of All
        await until(pilot, lambda: isinstance(app.screen, DigestScreen) and app.screen.groups)
        digest = app.screen.query_one(OptionList)
        digest.highlighted = 1  # the first story of the first feed
        first = digest.get_option_at_index(1).id
        await pilot.press("enter")
        await until(pilot, lambda: screen.headlines.current_id == int(first or 0), "the cursor")
        screen.feed_list.select_source(BOOKMARKS)  # a list without the story to be opened
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DigestScreen) and app.screen.groups)
        digest = app.screen.query_one(OptionList)
        listed = set(screen.headlines.ids)
        options = [digest.get_option_at_index(i) for i in range(digest.option_count)]
        other = next(o.id for o in options if o.id is not None and int(o.id) not in listed)
        digest.highlighted = digest.get_option_index(other)
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.item is not None, "the story")
        await settle(pilot)
        item = screen.article.item
        assert item is not None and item.id == int(other)
        assert screen.headlines.current_id == item.id  # the cursor followed it
        assert screen.source.kind is Kind.ALL


async def test_import_from_the_welcome_screen_opens_at_the_newest(
    tmp_path: Path,
) -> None:
    Store.open(tmp_path / "empty.db").close()
    urls = tmp_path / "urls"
    urls.write_text("https://example.org/a.xml\nhttps://example.org/b.xml\n")
    with CheckedStore.open(tmp_path / "empty.db") as store:
        app = make_app(store, tmp_path / "state", service=FakeService(Config(), store))
        async with app.run_test(size=(140, 40)) as pilot:
            await welcomed(pilot)
            await pilot.press("i")
            await answer(pilot, str(urls))
            await until(pilot, lambda: len(main_screen(app).headlines.ids) == 2, "the stories")
            await settle(pilot)
            screen = main_screen(app)
            assert screen.headlines.cursor == 0 and screen.headlines.top_row == 0
            newest = screen.headlines.headline_at(0)
            assert newest is not None and newest.title.startswith("Fresh from")


async def test_the_help_overlay_scrolls_with_the_list_keys(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        await settle(pilot)
        for key, check in (("G", lambda: scroll.scroll_y == scroll.max_scroll_y),
                           ("g", lambda: scroll.scroll_y == 0),
                           ("end", lambda: scroll.scroll_y == scroll.max_scroll_y),
                           ("home", lambda: scroll.scroll_y == 0),
                           ("space", lambda: scroll.scroll_y > 5),
                           ("ctrl+d", lambda: scroll.scroll_y > 15)):  # fmt: skip
            await pilot.press(key)
            await until(pilot, check, key)
        assert scroll.max_scroll_y > 15


async def test_empty_lists_say_what_to_do_and_counts_agree(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.feed_list.select_source(BOOKMARKS)
        await settle(pilot)
        assert screen.headlines.row_count == 0
        assert "b on a story bookmarks it" in screen.headlines.render_line(1).text
        assert screen.status.place == "Bookmarks · 0 stories"
        feed = next(r.source for r in screen.feed_list.rows if r.label == "World Briefs")
        screen.feed_list.select_source(feed)
        await settle(pilot)
        assert screen.status.place == "World Briefs · 1 story · 1 unread"
        broken = next(r.source for r in screen.feed_list.rows if r.label == "Broken Feed")
        screen.feed_list.select_source(broken)
        await settle(pilot)
        assert "r refreshes it" in screen.headlines.render_line(1).text
        assert screen.source == Source(Kind.FEED, feed_id=broken.feed_id)


async def test_an_empty_digest_says_what_to_do(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("A", "y")  # everything read
        await until(pilot, lambda: screen.totals.unread == 0, "all read")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DigestScreen), "the digest")
        digest = app.screen.query_one(OptionList)
        await until(pilot, lambda: digest.option_count == 1, "the empty digest")
        assert "Nothing unread to digest. R refreshes" in str(digest.get_option_at_index(0).prompt)
        title = str(app.screen.query_one("#digest-title").render())
        assert title.endswith("nothing unread")
