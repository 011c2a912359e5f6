"""Feed management in the reader (add with a choice among a site's feeds, remove keeping
bookmarks, tags, import, export) and bulk read marks (count, ask, every search hit, undo)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.models import ItemQuery, ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Chooser, Confirm, Prompt
from reader.ui.screens.main import MainScreen
from reader.ui.sources import Kind
from tests.loopback import Loopback
from tests.ui.conftest import CheckedStore, main_screen, notes, settle, until
from tests.ui.fixtures import NOW, at, make_app
from tests.ui.test_welcome import DEMO, PAGE

Factory = Callable[..., ReaderApp]


def unchecked(store: Store) -> Store:
    assert isinstance(store, CheckedStore)
    store.checked = False
    return store


async def answer(pilot: Pilot[Any], text: str) -> None:
    """Type into the open prompt and enter it."""
    await until(pilot, lambda: isinstance(pilot.app.screen, Prompt), "the prompt")
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def confirm(pilot: Pilot[Any]) -> str:
    """Wait for the question, say yes; its title comes back."""
    await until(pilot, lambda: isinstance(pilot.app.screen, Confirm), "the question")
    screen = pilot.app.screen
    assert isinstance(screen, Confirm)
    await pilot.press("y")
    await settle(pilot)
    return screen.title_text


async def to_feed(pilot: Pilot[Any], label: str) -> MainScreen:
    """Focus the feed pane with its cursor on the row `label`."""
    screen = main_screen(pilot.app)
    row = next(r for r in screen.feed_list.rows if r.label == label)
    screen.feed_list.select_source(row.source)
    screen.feed_list.focus()
    await settle(pilot)
    return screen


async def test_a_adds_a_site_choosing_among_its_feeds(
    app_factory: Factory, server: Loopback
) -> None:
    server.serve("/", PAGE, content_type="text/html")
    server.serve("/weekly.xml", (DEMO / "tidings-weekly.xml").read_bytes())
    server.serve("/digest.atom", (DEMO / "terminal-digest.atom").read_bytes(),
                 content_type="application/atom+xml")  # fmt: skip
    app = app_factory(network=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.feed_list.focus()
        await pilot.press("a")
        await answer(pilot, server.url("/"))
        await until(pilot, lambda: isinstance(app.screen, Chooser), "the choice of feeds")
        await pilot.press("enter")  # the first: Weekly
        await until(pilot, lambda: any("Subscribed to" in m for m in notes(app)), "subscribed")
        await until(pilot, lambda: screen.source.kind is Kind.FEED, "the new feed selected")
        feed = next(f for f in screen.feeds if f.id == screen.source.feed_id)
        assert feed.url == server.url("/weekly.xml")
        assert server.hits["/weekly.xml"] == 1 and server.hits["/digest.atom"] == 0
        assert len(screen.headlines.ids) >= 1


async def test_d_removes_a_feed_after_asking_and_keeps_its_bookmarks(
    app_factory: Factory, store: Store
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await to_feed(pilot, "World Briefs")
        screen.headlines.focus()
        await pilot.press("b")  # bookmark its one story
        await settle(pilot)
        await to_feed(pilot, "World Briefs")
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert any(f.title == "World Briefs" for f in screen.feeds)
        await pilot.press("D")
        assert (await confirm(pilot)).startswith("Remove “World Briefs”")
        await until(pilot, lambda: all(f.title != "World Briefs" for f in screen.feeds), "gone")
        assert any("Removed World Briefs · kept 1 bookmarked story" in m for m in notes(app))
        assert screen.totals.bookmarked == 1
    assert unchecked(store).count(ItemQuery(bookmarked=True)) == 1


async def test_t_edits_a_feeds_tags(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await to_feed(pilot, "World Briefs")
        await pilot.press("T")
        await answer(pilot, "天气, weather")
        await until(pilot, lambda: any(r.label == "weather" for r in screen.feed_list.rows), "tag")
        groups = [r.label for r in screen.feed_list.rows if r.group]
        assert "天气" in groups and "weather" in groups


async def test_i_imports_and_x_exports(app_factory: Factory, tmp_path: Path) -> None:
    urls = tmp_path / "urls"
    urls.write_text('https://example.net/a.xml "~Alpha" news\nhttps://example.net/b.xml\n')
    out = tmp_path / "out.opml"
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.feed_list.focus()
        await pilot.press("i")
        await answer(pilot, str(urls))
        await until(pilot, lambda: len(screen.feeds) == 7, "the imported feeds")
        await pilot.press("x")
        await answer(pilot, str(out))
        await until(pilot, lambda: out.exists(), "the export")
        assert any(f"Exported 7 feeds to {out}" in m for m in notes(app))
    text = out.read_text(encoding="utf-8")
    assert "https://example.net/a.xml" in text and "咸宁新闻网" in text


async def test_capital_a_asks_with_the_count_and_u_undoes(
    app_factory: Factory, store: Store
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("A")  # All: nine unread stories
        assert await confirm(pilot) == "Mark 9 stories read in every feed?"
        await until(pilot, lambda: screen.totals.unread == 0, "everything read")
        assert any("Marked 9 stories read · U undoes" in m for m in notes(app))
        await pilot.press("U")
        await until(pilot, lambda: screen.totals.unread == 9, "the marks back")
        await to_feed(pilot, "咸宁新闻网")
        await pilot.press("m")  # m in the feed pane: the same, for this feed
        assert await confirm(pilot) == "Mark 3 stories read in 咸宁新闻网?"
        await until(pilot, lambda: screen.totals.unread == 6, "the feed read")
    assert unchecked(store).count(ItemQuery(unread=True)) == 6


@pytest.fixture
def many(tmp_path: Path) -> Iterator[Store]:
    """A store with 250 stories that match `harbour`."""
    path = tmp_path / "many.db"
    with Store.open(path) as store:
        feed, _ = store.add_feed("https://example.org/port.xml", title="Port News")
        items = tuple(
            ParsedItem(f"h{n}", f"Harbour report {n}", f"https://example.org/h{n}", "",
                       at(n / 10), None, "", f"<p>The harbour, day {n}.</p>")
            for n in range(250)
        )  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("Port News", "", items, "rss20"), now=NOW)
    opened = CheckedStore.open(path)
    yield opened
    opened.checked = False
    opened.close()


async def test_capital_a_on_search_hits_marks_every_hit(many: Store, tmp_path: Path) -> None:
    app = make_app(many, tmp_path / "state")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        await until(pilot, lambda: screen.search.active and screen.search.bar.is_mounted, "bar")
        screen.search.bar.input.value = "harbour"
        await until(pilot, lambda: screen.search.total == 250, "the hits")
        assert len(screen.headlines.ids) < 250  # listed a page at a time
        await pilot.press("enter")  # to the hits, opening (and reading) the first
        await settle(pilot)
        await pilot.press("A")
        assert await confirm(pilot) == "Mark 249 stories read in the hits of /harbour?"
        await until(pilot, lambda: screen.totals.unread == 0, "every hit read")
    assert unchecked(many).count(ItemQuery(unread=True)) == 0
