"""A whole day in the reader, as a person would spend it: add a site (found on a real loopback
server, one of its feeds chosen), read, tag, rename the feed, read the digest, search, bookmark,
pipe a story to a command, remove the feed (its bookmarks stay)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual.widgets import Input, OptionList

from reader.config import Config, FullTextConfig, PipeConfig
from reader.models import ItemQuery
from reader.store.db import Store
from reader.ui.screens.dialogs import Chooser, Confirm, Prompt
from reader.ui.screens.digest import DigestScreen
from reader.ui.screens.main import MainScreen
from reader.ui.sources import Kind
from tests.loopback import Loopback
from tests.ui.conftest import CheckedStore, main_screen, notes, settle, until, wait_for_note
from tests.ui.fixtures import make_app
from tests.ui.test_sending import recorder
from tests.ui.test_welcome import DEMO, PAGE


async def type_in(pilot: object, app: object, text: str) -> None:
    """Type into the open prompt and enter it."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await until(pilot, lambda: isinstance(pilot.app.screen, Prompt), "a prompt")
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def test_a_whole_day(store: Store, tmp_path: Path, server: Loopback) -> None:
    server.serve("/", PAGE, content_type="text/html")
    server.serve("/weekly.xml", (DEMO / "tidings-weekly.xml").read_bytes())
    server.serve("/digest.atom", (DEMO / "terminal-digest.atom").read_bytes(),
                 content_type="application/atom+xml")  # fmt: skip
    script, piped = recorder(tmp_path)
    config = Config(
        fulltext=FullTextConfig(bookmarks=False),  # nothing is fetched beyond the loopback
        pipe=PipeConfig(commands=((sys.executable, str(script), str(piped)),)),
    )
    app = make_app(store, tmp_path / "state", config, network=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        # morning: a new site
        screen.feed_list.focus()
        await pilot.press("a")
        await type_in(pilot, app, server.url("/"))
        await until(pilot, lambda: isinstance(app.screen, Chooser), "the site's feeds")
        await pilot.press("enter")  # Weekly
        await until(pilot, lambda: screen.source.kind is Kind.FEED, "the new feed")
        feed_id = screen.source.feed_id
        stories = (DEMO / "tidings-weekly.xml").read_text(encoding="utf-8").count("<item>")
        await until(pilot, lambda: len(screen.headlines.ids) == stories, "its stories")
        # read the first story, then tag it
        screen.headlines.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.item is not None, "the story")
        first = screen.article.item
        assert first is not None and first.title == "Welcome to tidings"
        await pilot.press("B")
        await type_in(pilot, app, "later, 周末")
        await until(pilot, lambda: any(r.label == "周末" for r in screen.feed_list.rows), "tags")
        # rename the feed
        screen.feed_list.select_source(screen.source)
        screen.feed_list.focus()
        await pilot.press("c")
        await type_in(pilot, app, "My Weekly")
        await until(pilot, lambda: any(r.label == "My Weekly" for r in screen.feed_list.rows))
        # the digest of the feed, opening a story from it
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DigestScreen) and app.screen.groups)
        digest = app.screen.query_one(OptionList)
        digest.highlighted = 2  # its second story
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "back from the digest")
        await until(pilot, lambda: screen.article.item is not None
                    and screen.article.item.id != first.id, "the digest's story")  # fmt: skip
        opened = screen.article.item
        assert opened is not None and screen.headlines.current_id == opened.id
        # search everything, open a hit, bookmark it, pipe it
        await pilot.press("slash")
        await until(pilot, lambda: screen.search.active and screen.search.bar.is_mounted)
        screen.search.bar.input.value = "plane"
        await until(pilot, lambda: screen.search.total >= 1, "the hits")
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.item is not None
                    and "plane" in screen.article.item.title, "the hit")  # fmt: skip
        hit = screen.article.item
        assert hit is not None
        await pilot.press("b")
        await wait_for_note(pilot, "Bookmarked")
        await pilot.press("vertical_line")
        await wait_for_note(pilot, "Piped to")
        assert json.loads(piped.read_text(encoding="utf-8"))["stdin"].startswith(hit.title)
        await pilot.press("escape")  # leave the search
        await settle(pilot)
        # evening: the feed goes, its bookmarks stay
        renamed = next(r for r in screen.feed_list.rows if r.label == "My Weekly")
        screen.feed_list.select_source(renamed.source)
        screen.feed_list.focus()
        await settle(pilot)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.press("y")
        await until(pilot, lambda: all(f.id != feed_id for f in screen.feeds), "removed")
        ours = 2 if hit.feed_id == feed_id else 1  # the hit may be the older feed's twin
        kept_note = "kept 2 bookmarked stories" if ours == 2 else "kept 1 bookmarked story"
        assert any(kept_note in n for n in notes(app)), notes(app)
        assert screen.totals.bookmarked == 2
    assert isinstance(store, CheckedStore)
    store.checked = False
    kept = {h.title for h in store.headlines(ItemQuery(bookmarked=True))}
    assert kept == {"Welcome to tidings", hit.title}
