"""A small store with fixed dates for the UI tests: English and Chinese feeds, tags, HTML with
images, tables, code and links, a text/plain item, a hostile title, and a failing feed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.config import Config
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.themes import load_themes
from reader.ui.timefmt import Dates

NOW = int(datetime(2026, 11, 28, 9, 0, tzinfo=UTC).timestamp())
HOSTILE = "[@click=app.quit]x[/] [bold]y"
HOUR = 3600


def at(hours_ago: float) -> int:
    """A fixed time `hours_ago` before NOW."""
    return int(NOW - hours_ago * HOUR)


def item(key: str, title: str, hours_ago: float, html: str = "", **kw: object) -> ParsedItem:
    """A parsed item with sensible defaults."""
    fields: dict[str, object] = {
        "key": key,
        "title": title,
        "link": f"https://example.org/{key}",
        "author": "Ann Author",
        "published": at(hours_ago),
        "updated": None,
        "summary": "",
        "content": html or f"<p>Body of {title}.</p>",
        "content_type": "html",
    }
    fields.update(kw)
    return ParsedItem(**fields)  # type: ignore[arg-type]


RICH_HTML = """
<p>Intro with <strong>bold</strong>, <em>italic</em> and a <a href="https://example.org/a">link</a>.</p>
<h2>A heading</h2>
<ul><li>first point</li><li>second point with <code>code</code></li></ul>
<blockquote><p>A quoted line.</p></blockquote>
<pre><code>print("hello")
for i in range(3):
    print(i)</code></pre>
<table><tr><th>Step</th><th>Where</th></tr><tr><td>Fetch</td><td>loop</td></tr></table>
<p><img src="https://example.org/pic.png" alt="a harbour at dawn"></p>
<hr>
<p>See <a href="https://example.org/b">more</a> and <a href="mailto:desk@example.org">mail</a>.</p>
"""

ZH_HTML = (
    "<p><strong>摘要：</strong>咸宁市严厉禁毒，温情戒毒，全民拒毒，工作举措实，群众共识高。</p>"
    "<p>国家禁毒委员会日前召开全国禁毒工作电视电话会议。这座国家园林城市楠竹青青，茶香郁郁。</p>"
)

FEEDS: list[tuple[str, str, tuple[str, ...], list[ParsedItem]]] = [
    ("https://example.org/weekly.xml", "Tidings Weekly", ("tidings",), [
        item("welcome", "Welcome to tidings", 1, RICH_HTML),
        item("fast", "How the refresh stays fast", 20),
        item("offline", "Bookmarks you can read on a plane", 30),
    ]),
    ("https://example.org/xianning.xml", "咸宁新闻网", ("新闻",), [
        item("jindu", "咸宁：严厉禁毒 温情戒毒 全民拒毒", 2, ZH_HTML, author="记者 王伟"),
        item("guihua", "香城泉都桂花节开幕 游客量创新高，首日接待游客逾十万人次", 26),
        item("railway", "长江中游城市群铁路新线开通", 50),
    ]),
    ("https://example.org/digest.atom", "Terminal Tools Digest", ("tidings",), [
        item("safety", HOSTILE, 3, "Plain <b>text</b> body.", content_type="text"),
        item("habits", "Five habits of people who live in the terminal", 400 * 24),
    ]),
    ("https://example.org/briefs.json", "World Briefs", (), [
        item("storm", "Storm season ends early on the harbour coast", 5),
    ]),
]  # fmt: skip


def build_store(path: Path) -> Store:
    """A store filled with FEEDS; one more feed that fails."""
    store = Store.open(path)
    for url, title, tags, items in FEEDS:
        feed, _ = store.add_feed(url, title=title, tags=tags)
        parsed = ParsedFeed(title=title, site_url="", items=tuple(items), format="rss20")
        store.store_parsed(feed.id, parsed, now=NOW)
    broken, _ = store.add_feed("https://example.org/broken.xml", title="Broken Feed")
    for _ in range(3):
        store.record_failure(broken.id, "HTTP 404 Not Found", status=404, now=at(1))
    return store


def dates() -> Dates:
    """Fixed clock, UTC."""
    return Dates(clock=lambda: float(NOW), tz=UTC)


def make_app(
    store: Store, state_dir: Path, config: Config | None = None, **kwargs: Any
) -> ReaderApp:
    """The reader over `store`, offline, with a fixed clock and the shipped themes."""
    themes, _ = load_themes(None)
    options: dict[str, Any] = {
        "service": None,
        "themes": themes,
        "state_dir": state_dir,
        "dates": dates(),
        "refresh_on_start": False,
        "offline_reason": "offline (tests)",
    }
    options.update(kwargs)
    return ReaderApp(config=config or Config(), store=store, **options)
