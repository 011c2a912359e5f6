"""Pilot tests: mouse, hostile text, the one-pane layout, background refresh, a big list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from textual import events

from reader.config import Config
from reader.models import Feed, FeedResult, Outcome, ParsedFeed, ParsedItem, RefreshReport
from reader.service import Progress, ProgressCallback, Service
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import CheckedStore, notes, poll, settle
from tests.ui.fixtures import HOSTILE, NOW, make_app

Factory = Callable[..., ReaderApp]


def main(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def line_text(screen: MainScreen, y: int) -> str:
    return screen.headlines.render_line(y).text


async def test_click_opens_and_wheel_only_scrolls(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        for widget in (screen.headlines, screen.article):
            await pilot._post_mouse_events([events.MouseScrollDown], widget, (5, 5))
        await settle(pilot)
        assert screen.article.item is None
        assert screen.totals.unread == 9
        await pilot.click(screen.headlines, offset=(20, 3))  # border + row 2
        await settle(pilot)
        assert screen.headlines.cursor == 2
        assert screen.article.item is not None and screen.article.item.title == HOSTILE
        assert screen.totals.unread == 8
        await pilot.click(screen.feed_list, offset=(3, 2))  # "Unread"
        await settle(pilot)
        assert screen.status.place.startswith("Unread")


async def test_hostile_title_is_literal_and_clicking_it_does_nothing(
    app_factory: Factory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert HOSTILE in line_text(screen, 2)
        await pilot.click(screen.headlines, offset=(30, 3))
        await settle(pilot)
        assert app.is_running
        title = screen.article.query_one("#article-title")
        await pilot.click(title, offset=(1, 0))
        await pilot.click(title, offset=(10, 0))
        await settle(pilot)
        assert app.is_running
        assert str(title.render()) == HOSTILE
        body = screen.article.query_one("#article-body")
        assert "Plain <b>text</b> body." in str(body.query_one(".para").render())


async def test_emoji_codes_and_escapes_stay_inert(app_factory: Factory) -> None:
    from dataclasses import replace

    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        first = screen.headlines.headline_at(0)
        assert first is not None
        title = ":smile: :+1: \x1b[31mred\x1b[0m \u202eevil"
        screen.headlines.update([replace(first, title=title)])
        text = line_text(screen, 0)
        assert ":smile: :+1: red evil" in text
        assert "\x1b" not in text and "\u202e" not in text


async def test_cjk_rows_keep_their_columns(app_factory: Factory) -> None:
    from rich.cells import cell_len

    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        width = screen.headlines.scrollable_content_region.width
        for y in range(9):
            strip = screen.headlines.render_line(y)
            assert strip.cell_length == width
            assert cell_len(strip.text) == width
        starts = set()
        for y in range(9):
            headline = screen.headlines.headline_at(y)
            assert headline is not None
            text = line_text(screen, y)
            starts.add(cell_len(text[: text.index(headline.title[:4])]))
        assert len(starts) == 1  # every title starts in the same column, CJK feed names or not


async def test_narrow_layout_shows_one_pane(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.narrow
        shown = [w.id for w in screen.panes() if w.display and w.region.width]
        assert shown == ["headlines"]
        await pilot.press("enter")
        await settle(pilot)
        shown = [w.id for w in screen.panes() if w.region.width]
        assert shown == ["article"] and app.focused is screen.article
        await pilot.press("j", "k", "escape")
        await pilot.pause()
        assert [w.id for w in screen.panes() if w.region.width] == ["headlines"]
        await pilot.press("escape")
        await pilot.pause()
        assert [w.id for w in screen.panes() if w.region.width] == ["feeds"]
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert not screen.narrow
        assert all(w.region.width for w in screen.panes())


class FakeService(Service):
    """Refreshes by storing one new item per feed, reporting progress like the real one."""

    def __init__(self, config: Config, store: Store, release: asyncio.Event | None = None):
        super().__init__(config, store)
        self.calls: list[list[str] | None] = []

    async def refresh(
        self, feeds: Sequence[Feed] | None = None, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        """Store a new item in each feed; the broken feed fails."""
        assert isinstance(self.store, CheckedStore)
        self.calls.append(None if feeds is None else [f.url for f in feeds])
        feeds = self.store.feeds() if feeds is None else feeds
        results = []
        for done, feed in enumerate(feeds, 1):
            if "broken" in feed.url:
                result = FeedResult(feed.url, Outcome.FAILED, error="HTTP 404", status=404)
            else:
                new = ParsedItem(f"new-{feed.id}", f"Fresh from {feed.title}", "https://example.org/n",
                                 "", NOW + 60, None, "", "<p>new</p>")  # fmt: skip
                parsed = ParsedFeed(feed.title, "", (new,), "rss20")
                count = self.store.store_parsed(feed.id, parsed, now=NOW + 60)
                result = FeedResult(feed.url, Outcome.OK, new_items=count)
            results.append(result)
            failed = sum(r.outcome is Outcome.FAILED for r in results)
            if progress:
                progress(Progress(done, len(feeds), failed, result))
            await asyncio.sleep(0)
        return RefreshReport(tuple(results), 0.1)


async def test_background_refresh_keeps_the_cursor(store: Store, tmp_path: Path) -> None:
    service = FakeService(Config(), store)
    app = make_app(store, tmp_path / "state", service=service, refresh_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "j", "j")
        kept = screen.headlines.current_id
        await pilot.press("R")
        await settle(pilot)
        assert service.calls == [None]
        assert len(screen.headlines.ids) == 13
        assert screen.headlines.current_id == kept
        assert screen.headlines.cursor == 7  # four new stories above it
        assert screen.status.activity.startswith("4 new")
        assert "1 failed" in screen.status.activity
        screen.feed_list.select_source(
            next(r.source for r in screen.feed_list.rows if r.label == "World Briefs")
        )
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert service.calls[-1] == ["https://example.org/briefs.json"]


async def test_progress_messages_fill_the_status_line(store: Store, tmp_path: Path) -> None:
    from reader.ui.messages import RefreshProgress

    app = make_app(store, tmp_path / "state", service=FakeService(Config(), store))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        progress = Progress(123, 500, 3, None)
        screen.post_message(RefreshProgress(progress, 0))
        await pilot.pause()
        assert screen.status.activity == "refreshing 123/500 · 3 failed"
        first, second = RefreshProgress(progress, 0), RefreshProgress(progress, 1)
        assert second.can_replace(first)


async def test_refresh_on_start(store: Store, tmp_path: Path) -> None:
    service = FakeService(Config(), store)
    app = make_app(store, tmp_path / "state", service=service, refresh_on_start=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert service.calls == [None]
        assert len(main(app).headlines.ids) == 13


def big_store(path: Path, count: int) -> Store:
    store = Store.open(path)
    feed, _ = store.add_feed("https://example.org/big.xml", title="Big")
    items = tuple(
        ParsedItem(
            f"k{i}",
            f"Story {i}",
            f"https://example.org/{i}",
            "",
            NOW - i * 60,
            None,
            "",
            "<p>x</p>",
        )
        for i in range(count)
    )
    store.store_parsed(feed.id, ParsedFeed("Big", "", items, "rss20"), now=NOW, max_items=count)
    store.close()
    return CheckedStore.open(path)


async def test_big_list_loads_only_the_window(tmp_path: Path) -> None:
    store = big_store(tmp_path / "big.db", 20_000)
    app = make_app(store, tmp_path / "state")
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            hl = main(app).headlines
            assert len(hl.ids) == 20_000
            assert len(hl._rows) <= 200
            assert "Story 0" in hl.render_line(0).text
            await pilot.press("G")
            await settle(pilot)
            assert hl.cursor == 19_999
            assert hl.current is not None and hl.current.title == "Story 19999"
            assert len(hl._rows) <= 400
            await pilot.press("pageup")
            await settle(pilot)
            assert hl.current is not None and hl.current.title == f"Story {19_999 - 35}"
    finally:
        assert isinstance(store, CheckedStore)
        store.checked = False
        store.close()


class SlowService:
    """A refresh that would take a minute; records being cancelled."""

    def __init__(self) -> None:
        self.cancelled = False

    async def refresh(
        self, feeds: Sequence[Feed] | None = None, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        """Wait, unless cancelled."""
        try:
            if progress:
                progress(Progress(0, 3, 0, None))
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        return RefreshReport()


async def test_quitting_cancels_a_running_refresh(store: Store, tmp_path: Path) -> None:
    import time

    service = SlowService()
    app = make_app(store, tmp_path / "state", service=service, refresh_on_start=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await poll(pilot, lambda: main(app).status.activity == "refreshing 0/3", "the refresh")
        await pilot.press("R")
        assert any("already running" in m for m in notes(app))
        started = time.monotonic()
        await pilot.press("q")
    for _ in range(100):  # the refresh thread notices the cancel on its own loop
        if service.cancelled:
            break
        await asyncio.sleep(0.02)
    assert service.cancelled
    assert time.monotonic() - started < 5


async def test_hostile_feed_title_in_the_pane_title(store: Store, tmp_path: Path) -> None:
    assert isinstance(store, CheckedStore)
    store.checked = False
    feed, _ = store.add_feed("https://example.org/evil.xml", title="[/]oops [@click=app.quit]x")
    store.checked = True
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        row = next(r for r in screen.feed_list.rows if r.source.feed_id == feed.id)
        screen.feed_list.select_source(row.source)
        await settle(pilot)
        assert app.is_running and screen.source == row.source
        assert screen.status.place.startswith("[/]oops [@click=app.quit]x")
        await pilot.click(screen.headlines, offset=(5, 0))  # on the border title
        await settle(pilot)
        assert app.is_running
