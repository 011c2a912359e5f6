"""What hurt a new user, the rest proved in the reader itself (issue 13's list): a Chinese search
snippet shows its match within the width it is shown in (3), a summary never holds a sentence
twice (5), a photo caption given as the feed's description is no summary: the summary view says
what the story is about, in English and Chinese (6), `tag:` finds bookmark tags (7), palette entries show their keys (11), feeds sort
naturally and old dates show day and year in `[ui] date_format` (15), and the story header names
the author its page gave when the feed gave none (18)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.articles.article import Article, to_stored
from reader.config import Config, UIConfig
from reader.models import ParsedFeed
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import main_screen, settle, until
from tests.ui.fixtures import NOW, build_store, item
from tests.ui.test_search import info, open_search, type_query

Factory = Callable[..., ReaderApp]
SUMMARIES = Path(__file__).parents[1] / "data" / "summaries"
FILLER = "长江中游城市群的铁路新线今天开通运营，沿线各地群众纷纷前来体验。" * 6  # 192 characters
MATCH = "缉毒犬立功"
REPEATED = "The harbour reopened on Monday after the storm."
STORY = (
    f"<p>{REPEATED} {REPEATED}</p><p>Fishing boats went out at dawn for the first time in a"
    f" week.</p><p>{REPEATED} The council thanked the crews who cleared the quay.</p>"
    "<p>Repairs to the old breakwater will take until spring, the engineers said.</p>"
)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """The UI test store, and feeds for these cases."""
    path = tmp_path / "store" / "tidings.db"
    store = build_store(path)
    extra = {
        "https://example.org/ch10.xml": ("Channel 10", [item("c10", "Ten", 6)]),
        "https://example.org/ch2.xml": ("Channel 2", [item("c2", "Two", 7)]),
        "https://example.cn/long.xml": ("长文报", [
            item("long", "长文", 8, f"<p>{FILLER}{MATCH}，{FILLER}</p>")]),
        "https://example.org/port.xml": ("Port Daily", [
            item("port", "The harbour reopens", 9, STORY),
            item("byline", "A story whose page names its author", 10, author="")]),
    }  # fmt: skip
    for name in CAPTIONED:
        story = captioned(name)
        paragraphs = "".join(f"<p>{p}</p>" for p in story["text"].split("\n\n"))
        story_item = item(name, story["title"], 11, paragraphs, summary=story["caption"])
        extra[f"https://example.org/{name}.xml"] = (name, [story_item])
    for url, (title, items) in extra.items():
        feed, _ = store.add_feed(url, title=title)
        store.store_parsed(feed.id, ParsedFeed(title, "", tuple(items), "rss20"), now=NOW)
    byline = next(h for h in store.headlines_for(range(1, 100)) if h.title.startswith("A story"))
    page = Article(html="<p>Who wrote it.</p>", text="Who wrote it.", author="王伟 Wang Wei")
    store.set_full_text(byline.id, to_stored(page))
    store.close()
    return path


CAPTIONED = ("en_ferry", "zh_jindu")  # stories of tests/data/summaries (core: test_summary_choice)


def captioned(name: str) -> dict[str, str]:
    """A story of tests/data/summaries: its fields (title, main, caption...) and its text."""
    head, _, text = (SUMMARIES / f"{name}.txt").read_text(encoding="utf-8").partition("\n---\n")
    return dict(line.split(": ", 1) for line in head.splitlines() if line.strip()) | {
        "text": text.strip()
    }


def open_feed(screen: MainScreen, title: str) -> None:
    screen.feed_list.select_source(
        next(r for r in screen.feed_list.rows if r.label == title).source
    )


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_a_chinese_snippet_shows_its_match_within_the_pane(
    app_factory: Factory, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await open_search(pilot)
        await type_query(pilot, MATCH)
        await until(pilot, lambda: info(screen).startswith("1 match"), "the hit")
        snippet = screen.headlines.render_line(1).text
        assert MATCH in snippet, snippet  # 192 characters into the story, shown all the same
        assert screen.headlines.size.width < 192


async def test_a_summary_never_holds_a_sentence_twice(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        open_feed(screen, "Port Daily")
        await settle(pilot)
        await pilot.press("enter", "s")
        await until(pilot, lambda: screen.article.summary is not None, "the summary")
        summary = screen.article.summary
        assert summary is not None and summary.sentences
        assert sum(REPEATED in s for s in summary.sentences) <= 1, summary.sentences
        assert len(set(summary.sentences)) == len(summary.sentences)


@pytest.mark.parametrize("name", CAPTIONED)
async def test_a_caption_given_as_the_description_is_no_summary(
    app_factory: Factory, name: str
) -> None:
    story = captioned(name)
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        open_feed(screen, name)
        await settle(pilot)
        await pilot.press("enter", "s")
        await until(pilot, lambda: screen.article.summary is not None, "the summary")
        summary = screen.article.summary
        assert summary is not None and summary.source == "extract"
        assert any(story["main"][:30] in s for s in summary.sentences), summary.sentences
        assert not any(story["caption"][:16] in s for s in summary.sentences)


async def test_tag_search_finds_bookmark_tags(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        item_id = screen.headlines.current_id
        await pilot.press("B")
        await until(pilot, lambda: app.screen.query("#prompt-input"), "the tags prompt")
        await pilot.press(*"长读", "enter")
        await until(pilot, lambda: screen.totals.bookmarked == 1, "the bookmark")
        await open_search(pilot)
        await type_query(pilot, "tag:长读")
        await until(pilot, lambda: info(screen).startswith("1 match"), "the tagged story")
        assert list(screen.headlines.ids) == [item_id]
        await pilot.press("escape")
        await settle(pilot)
        await open_search(pilot)
        await type_query(pilot, "tag:tidings")  # a feed's tag finds that feed's stories
        await until(pilot, lambda: info(screen).startswith("5 matches"), "the feed tag")


async def test_palette_entries_show_their_keys(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Bookmark"].startswith("b · ")
        assert commands["Rename"].startswith("c · ")
        assert commands["Digest"].startswith("d · ")


async def test_feeds_sort_naturally_and_old_dates_show_their_year(app_factory: Factory) -> None:
    for config, old in ((Config(), "24 Oct 25"),
                        (Config(ui=UIConfig(date_format="%Y-%m-%d")), "2025-10-24")):  # fmt: skip
        app = app_factory(config)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = main_screen(app)
            labels = [r.label for r in screen.feed_list.rows]
            assert labels.index("Channel 2") < labels.index("Channel 10")
            open_feed(screen, "Terminal Tools Digest")
            await settle(pilot)
            rows = [screen.headlines.render_line(n).text for n in range(2)]
            assert any("Five habits" in r and old in r for r in rows), rows


async def test_the_header_names_the_author_the_page_gave(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        open_feed(screen, "Port Daily")
        await settle(pilot)
        await pilot.press("j", "enter")
        await until(pilot, lambda: screen.article.item is not None, "the story")
        meta = str(screen.article.query_one("#article-meta").render())
        assert meta.startswith("Port Daily · 王伟 Wang Wei · "), meta
