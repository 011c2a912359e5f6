"""Pilot tests of reading: the summary view (s), summary lines (v), the digest (d), full text
fetched from a real loopback server (f, and b for bookmarks), bookmark tags (B), and the
auto-refresh with its notification."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.config import Config, UIConfig
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.digest import DigestScreen
from reader.ui.screens.main import MainScreen
from tests.loopback import Loopback
from tests.ui.conftest import CheckedStore, notes, settle, until, wait_for_note
from tests.ui.fixtures import NOW, at, build_store, make_app
from tests.ui.test_flow import FakeService

Factory = Callable[..., ReaderApp]

PARAGRAPHS = [
    "The harbour authority confirmed on Friday that the new breakwater is finished, two "
    "years after the storms that closed the old one for a whole winter season.",
    "Engineers poured the last of the concrete blocks in the early morning, and the first "
    "ferry passed the new lighthouse at noon with more than two hundred passengers aboard.",
    "Fishermen on the north quay said the calmer water had already changed their routines, "
    "and the harbour master expects the number of lost working days to fall by half.",
    "The project cost less than planned because the blocks were cast on site rather than "
    "shipped in, the authority said in a statement published with its annual accounts.",
]
PAGE = (
    "<html><head><title>Breakwater finished</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    "<article><h1>Breakwater finished after two winters</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Copyright the Harbour Gazette</footer></body></html>"
).encode()


def main(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def digest_ready(app: ReaderApp) -> bool:
    """The digest screen is up with its stories."""
    return isinstance(app.screen, DigestScreen) and bool(app.screen.groups)


def body_text(screen: MainScreen) -> str:
    body = screen.article.query_one("#article-body")
    return "\n".join(str(w.render()) for w in body.query("Static, Prose"))


@pytest.fixture
def gazette(tmp_path: Path, server: Loopback) -> Iterator[Store]:
    """The UI test store plus a feed whose one story is a teaser of a page on the server."""
    server.serve("/breakwater", PAGE, content_type="text/html; charset=utf-8")
    path = tmp_path / "gazette.db"
    plain = build_store(path)
    feed, _ = plain.add_feed("https://gazette.example/feed.xml", title="Harbour Gazette")
    teaser = ParsedItem("bw", "Breakwater finished after two winters", server.url("/breakwater"),
                        "", at(0.5), None, "", "<p>The breakwater is finished.</p>")  # fmt: skip
    plain.store_parsed(feed.id, ParsedFeed("Harbour Gazette", "", (teaser,), "rss20"), now=NOW)
    plain.close()
    checked = CheckedStore.open(path)
    yield checked
    checked.checked = False
    checked.close()


async def test_s_toggles_the_summary_view(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "enter")  # 咸宁: a story with a 摘要 line
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert screen.article.summary is not None and screen.article.border_title == "Summary"
        assert "the story's summary line" in body_text(screen)
        assert "咸宁市严厉禁毒" in body_text(screen)
        await pilot.press("j", "enter")  # the summary view stays on for the next story
        await settle(pilot)
        assert screen.article.summary is not None
        assert screen.article.item is not None and screen.article.item.title.startswith("[@")
        await pilot.press("s")
        await settle(pilot)
        assert screen.article.summary is None and screen.article.border_title == "Story"
        assert "Plain <b>text</b> body." in body_text(screen)


async def test_v_shows_summary_lines_for_the_rows_on_screen(
    app_factory: Factory, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        hl = main(app).headlines
        await pilot.press("v")
        await settle(pilot)
        assert hl.row_height == 2 and hl.summary_lines
        assert "Intro with bold, italic and a link." in hl.render_line(1).text
        assert "咸宁市严厉禁毒" in hl.render_line(3).text
        await pilot.press("j", "j")
        assert hl.cursor == 2 and "●" in hl.render_line(4).text
    again = app_factory()  # remembered
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert main(again).headlines.row_height == 2
        await pilot.press("v")
        await settle(pilot)
        assert main(again).headlines.row_height == 1


async def test_d_digest_opens_a_story(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: digest_ready(app), "the digest")
        digest = app.screen
        assert isinstance(digest, DigestScreen)
        title = str(digest.query_one("#digest-title").render())
        assert title == "Digest · today · 4 unread stories from 4 feeds"  # since 00:00 UTC
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = main(app)
        assert screen.article.item is not None
        assert screen.article.item.title == "咸宁：严厉禁毒 温情戒毒 全民拒毒"
        assert app.focused is screen.article


async def test_d_on_a_feed_digests_that_feed(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        tag = next(r.source for r in screen.feed_list.rows if r.label == "tidings")
        screen.feed_list.select_source(tag)
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: digest_ready(app), "the digest")
        title = str(app.screen.query_one("#digest-title").render())
        assert title == "Digest · tidings · 5 unread stories from 2 feeds"


async def test_f_fetches_the_full_story(gazette: Store, tmp_path: Path, server: Loopback) -> None:
    app = make_app(gazette, tmp_path / "state")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("enter")  # the gazette's teaser is the newest story
        await settle(pilot)
        item_id = screen.headlines.current_id
        assert "The breakwater is finished." in body_text(screen)
        await pilot.press("f")
        await wait_for_note(pilot, "Full story fetched")
        await settle(pilot)
        assert "Engineers poured the last of the concrete blocks" in body_text(screen)
        assert "Copyright" not in body_text(screen) and "Home" not in body_text(screen)
        assert server.hits["/breakwater"] == 1
    assert isinstance(gazette, CheckedStore) and item_id is not None
    gazette.checked = False
    item = gazette.item(item_id)
    assert item is not None and "Engineers poured" in item.full_text


async def test_f_says_why_it_failed(gazette: Store, tmp_path: Path, server: Loopback) -> None:
    server.routes.clear()  # the page is gone: 404
    app = make_app(gazette, tmp_path / "state")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "f")
        messages = await wait_for_note(pilot, "Full story: ")
        assert any("404" in m for m in messages)
        assert "The breakwater is finished." in body_text(main(app))


async def test_b_keeps_the_full_story(gazette: Store, tmp_path: Path) -> None:
    app = make_app(gazette, tmp_path / "state")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        item_id = screen.headlines.current_id
        assert item_id is not None
        await pilot.press("b")
        await wait_for_note(pilot, "Full story kept for offline reading")
        assert screen.totals.bookmarked == 1
    assert isinstance(gazette, CheckedStore)
    gazette.checked = False
    item = gazette.item(item_id)
    assert item is not None and item.bookmarked and "Fishermen" in item.full_text


async def test_capital_b_tags_a_bookmark(app_factory: Factory, store: Store) -> None:
    config = Config()
    app = app_factory(config, network=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        item_id = screen.headlines.current_id
        await pilot.press("B")
        await until(pilot, lambda: app.screen.query("#prompt-input"), "the tags prompt")
        app.screen.query_one("#prompt-input", Input).value = "later, 长读, [b]x[/b]"
        await pilot.press("enter")
        await settle(pilot)
        note = next(n for n in app.notes if n.message.startswith("Tags:"))
        assert note.message == "Tags: later, 长读, [b]x[/b] · bookmarked"  # shown as typed
        await pilot.press("B")
        await until(pilot, lambda: app.screen.query("#prompt-input"), "the tags prompt")
        app.screen.query_one("#prompt-input", Input).value = "later, 长读"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.totals.bookmarked == 1
        tags = [(r.label, r.count) for r in screen.feed_list.rows if r.source.kind == "mark_tag"]
        assert tags == [("later", 1), ("长读", 1)]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article.item is not None and screen.article.item.tags == ("later", "长读")
        assert "#later #长读" in str(screen.article.query_one("#article-meta").render())
        await pilot.press("B")
        await until(pilot, lambda: app.screen.query("#prompt-input"), "the tags prompt")
        assert app.screen.query_one("#prompt-input", Input).value == "later, 长读"
        await pilot.press("escape")
        await settle(pilot)
        later = next(r.source for r in screen.feed_list.rows if r.label == "later")
        screen.feed_list.select_source(later)
        await settle(pilot)
        assert list(screen.headlines.ids) == [item_id]


async def test_auto_refresh_notifies_and_indexes(store: Store, tmp_path: Path) -> None:
    service = FakeService(Config(), store)
    config = Config(ui=UIConfig(refresh_minutes=0.004))  # every 0.24 s
    app = make_app(store, tmp_path / "state", config, service=service, refresh_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for _ in range(40):
            await asyncio.sleep(0.05)
            if service.calls:
                break
        await settle(pilot)
        assert service.calls and service.calls[0] is None
        assert "Refresh: 4 new stories" in notes(app)
        pending = store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0]
        assert pending == 0  # indexed after the refresh, not left for the first search
