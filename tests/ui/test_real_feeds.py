"""A YouTube channel, a podcast and an undeclared GB2312 feed in the reader: each story shows
what the feed sent (title, text, thumbnail, enclosures) in the story pane."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.feeds.parse import parse_feed
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import settle, until
from tests.ui.fixtures import NOW, make_app

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
SOURCES = [
    ("https://www.youtube.com/feeds/videos.xml", "variants/youtube.xml"),
    ("https://pod.example/feed.xml", "variants/podcast.xml"),
    ("http://news.example/gb2312/feed.xml", "undeclared/gb2312.xml"),
]


def story_text(app: ReaderApp) -> str:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    body = screen.article.query_one("#article-body")
    return "\n".join(str(w.render()) for w in body.query("Static, Prose"))


async def open_story(app: ReaderApp, pilot: Pilot[int], title: str) -> str:
    """Move to the headline `title`, open it, and return what the story pane shows."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    screen.headlines.focus()
    await pilot.press("g")  # from the top
    await settle(pilot)
    for _ in range(len(screen.headlines.ids)):
        current = screen.headlines.current
        if current is not None and current.title == title:
            break
        await pilot.press("j")
        await settle(pilot)
    await pilot.press("enter")
    await until(
        pilot, lambda: screen.article.item is not None and screen.article.item.title == title, title
    )
    await settle(pilot)
    return story_text(app)


async def test_real_feeds_read_in_the_reader(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tidings.db")
    for url, name in SOURCES:
        parsed = parse_feed((FEEDS / name).read_bytes(), {}, url)
        feed, _ = store.add_feed(url, title=parsed.title)
        store.store_parsed(feed.id, parsed, now=NOW)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        video = await open_story(app, pilot, "禁毒宣传周 | Anti-drug week, day one")
        assert "第一天：社区宣讲。" in video and "Day one: talks in every neighbourhood." in video
        assert "[image: thumbnail]" in video
        assert "Enclosures" not in video  # its Flash embed is nothing to play
        episode = await open_story(app, pilot, "第2期：河灯 Episode 2: River lanterns")
        assert "Show notes: lanterns on the river[2]. 河灯。" in episode  # the HTML description
        assert "Enclosures" in episode and "river-lanterns.mp3" in episode
        assert "31.0 MB" in episode and "1:02:05" in episode
        news = await open_story(app, pilot, "咸宁市召开全市禁毒工作会议")
        assert "会议总结了过去一年的禁毒工作" in news
    store.close()
