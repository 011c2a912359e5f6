"""Injection in the reader (Pilot): hostile titles, authors, feed names and bodies are shown as
text. Clicking on them runs nothing: the app keeps running and writes no file (a
`[@click=app.screenshot(...)]` would save an SVG into the working directory)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widget import Widget

from reader.config import Config, UIConfig
from reader.feeds.parse import parse_feed
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.themes import load_themes
from tests.hostile.conftest import assert_inert, data
from tests.ui.conftest import until

SOURCES = {
    "http://hostile.example/feed.xml": "injection.xml",
    "http://escapes.example/feed.xml": "escapes.xml",
    "http://json.example/feed.json": "injection.json",
}
SHOT = "[@click=app.screenshot('pwned.svg','.')]"
HOSTILE_LINK = f"https://hostile.example/{SHOT}x[/]"


def seed(path: Path) -> None:
    with Store.open(path) as store:
        for url, name in SOURCES.items():
            feed, _ = store.add_feed(url, tags=["[b]tag\x1b[5m"])
            store.store_parsed(feed.id, parse_feed(data(name), {}, url))
        feed, _ = store.add_feed("http://links.example/feed.xml", title=f"{SHOT} links")
        item = ParsedItem("k", f"{SHOT}shot[/] link", HOSTILE_LINK, SHOT, None, None, "",
                          f"<p><a href='{HOSTILE_LINK}'>{SHOT}</a></p>")  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("links", "", (item,), "rss20"))
        store.record_failure(feed.id, f"HTTP 500 {SHOT}\x1b[2J", status=500)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    seed(tmp_path / "store.db")
    opened = Store.open(tmp_path / "store.db")
    yield opened
    opened.close()


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: where a screenshot action would write."""
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


def app_for(store: Store, tmp_path: Path, config: Config | None = None) -> ReaderApp:
    themes, _ = load_themes(None)
    return ReaderApp(
        config=config or Config(),
        store=store,
        service=None,
        themes=themes,
        state_dir=tmp_path / "state",
        refresh_on_start=False,
        offline_reason="offline (tests)",
    )


def files_written(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.suffix in (".svg", ".png", ".txt", ".html")]


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and what they post land."""
    for _ in range(6):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


async def click_on(pilot: Pilot[Any], widget: Widget, text: str, needle: str) -> int:
    """Click where `needle` shows in `widget` (whose text is `text`), and just after: where a
    @click would be, had the text been read as markup. Returns the clicks made."""
    at = text.find(needle)
    width = widget.content_region.width
    if at < 0 or not width:
        return 0
    y, x = divmod(cell_len(text[:at]), width)
    clicks = 0
    for dx in (1,):
        if x + dx < widget.region.width and y < widget.region.height:
            await pilot.click(widget, offset=(x + dx, y))
            clicks += 1
    return clicks


async def click_story(pilot: Pilot[Any], once: bool = False) -> int:
    """Click the hostile markup wherever the open story shows it (`once`: in its title only)."""
    screen = pilot.app.screen
    clicks = 0
    widgets = [screen.query_one(f"#article-{n}") for n in ("title", "meta", "link")]
    widgets += list(screen.query_one("#article-body").query("*"))[:10]
    widgets = widgets[:1] if once else widgets
    for widget in widgets:
        text = str(widget.render())
        for needle in ("[@click=app.screenshot", "[@click=app.quit"):
            clicks += await click_on(pilot, widget, text, needle)
    return clicks


async def click_headlines(pilot: Pilot[Any]) -> int:
    """Click the hostile markup in the headline rows."""
    clicks = 0
    headlines = pilot.app.screen.query_one("#headlines")
    for y in range(8):
        line = headlines.render_line(y).text
        at = line.find("[@click")
        if at >= 0:
            await pilot.click(headlines, offset=(cell_len(line[:at]) + 1, y))
            clicks += 1
    return clicks


def article_text(app: ReaderApp) -> str:
    """The header lines and body blocks of the reading pane, as shown."""
    screen = app.screen
    parts = [str(screen.query_one(f"#article-{n}").render()) for n in ("title", "meta", "link")]
    parts += [str(b.render()) for b in screen.query_one("#article-body").query("*")]
    return "\n".join(parts)


async def test_hostile_stories_are_shown_literally_and_clicks_run_nothing(
    store: Store, tmp_path: Path, cwd: Path
) -> None:
    app = app_for(store, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        total, seen = 0, []
        for n in range(store.count()):
            app.screen.query_one("#headlines").focus()
            await pilot.press("home", *["j"] * n, "enter")
            await settle(pilot)
            shown = article_text(app)
            assert_inert(shown, "reading pane")
            seen.append(shown)
            if SHOT in shown or "[@click=app.quit]" in shown:  # a click each is enough
                total += await click_story(pilot, once="[@click=app.quit]" in "".join(seen[:-1]))
                await settle(pilot)
            assert app.is_running
        total += await click_headlines(pilot)
        assert len(set(seen)) == store.count()  # each story was opened
        assert any("[@click=app.quit]q[/] [@click=app.screenshot" in t for t in seen)
        assert any(f"{SHOT}shot[/] link" in t for t in seen)
        assert any(":warning: :smile:" in t for t in seen)  # emoji codes stay codes
        assert not any("\u26a0" in t for t in seen)
        for key in ("e", "u"):  # feed health (hostile names and errors), the link list
            await pilot.press(key)
            await settle(pilot)
            for widget in list(app.screen.query("*"))[:12]:
                total += await click_on(pilot, widget, str(widget.render()), "[@click")
            assert app.is_running
            await pilot.press("escape")
        assert total >= 8
        assert app.is_running
    assert files_written(tmp_path) == [] and os.listdir(cwd) == []


async def test_hostile_headlines_and_feed_names_are_inert(
    store: Store, tmp_path: Path, cwd: Path
) -> None:
    app = app_for(store, tmp_path)
    async with app.run_test(size=(200, 45)) as pilot:
        await settle(pilot)
        for pane in ("#headlines", "#feeds"):
            widget = app.screen.query_one(pane)
            shown = "\n".join(widget.render_line(y).text for y in range(10))
            assert_inert(shown, pane)
            assert "[@click=app.screenshot" in shown or "[b]tag" in shown or pane == "#feeds"
    assert os.listdir(cwd) == []


async def test_opening_a_hostile_link_notifies_it_as_text(
    store: Store, tmp_path: Path, cwd: Path
) -> None:
    config = Config(ui=UIConfig(browser=("true",)))
    app = app_for(store, tmp_path, config)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        for n in range(store.count()):  # open the story whose link is hostile
            app.screen.query_one("#headlines").focus()
            await pilot.press("home", *["j"] * n, "enter")
            await settle(pilot)
            if HOSTILE_LINK in str(app.screen.query_one("#article-link").render()):
                break
        await pilot.press("o")
        await settle(pilot)
        assert app.is_running
        notes = [n for n in app.notes if "Opened" in n.message]
        assert notes, list(app.notes)
        assert all(SHOT in n.message for n in notes)
        await until(pilot, lambda: app.screen.query("Toast"), "the toast")
        shown = [str(t.render()) for t in app.screen.query("Toast")]
        assert any(SHOT in t for t in shown), shown  # the toast: the URL as it is, not markup
    assert os.listdir(cwd) == []


async def test_selecting_a_hostile_feed_keeps_the_app_running(
    store: Store, tmp_path: Path, cwd: Path
) -> None:
    app = app_for(store, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.screen.query_one("#feeds").focus()
        for _ in range(8):  # down the feed list: All, Unread, Bookmarks, the tag, the feeds
            await pilot.press("j")
            await settle(pilot)
            assert app.is_running
            title = app.screen.query_one("#headlines").border_title
            assert "[b]tag" in str(title) or "[/]" in str(title) or "[" not in str(title)
        assert app.is_running
    assert os.listdir(cwd) == []
