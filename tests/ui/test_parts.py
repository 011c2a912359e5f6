"""The UI's plain parts: feed-pane rows, links, themes, keys, dates, CJK wrapping."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from textual.content import Content

from reader.models import Feed
from reader.ui import keys, links
from reader.ui.sources import ALL, Kind, Source, Totals, feed_rows, group_feeds, next_sources
from reader.ui.state import Choice, StateFile, read_state
from reader.ui.themes import load_themes
from reader.ui.timefmt import Dates
from reader.ui.widgets.prose import wrap_content
from tests.ui.fixtures import NOW, at

FEEDS = [
    Feed(1, "https://a.example/feed", "Alpha", tags=("news", "tech")),
    Feed(2, "https://b.example/feed", "Beta", tags=("news",), last_error="HTTP 500",
         error_streak=2),
    Feed(3, "https://c.example/feed", "", tags=()),
    Feed(4, "https://d.example/feed", "Delta\x1b[31m", tags=("tech",)),
]  # fmt: skip


def test_feed_rows_group_by_tag() -> None:
    rows = feed_rows(FEEDS, {1: 3, 2: 1, 3: 5}, Totals(10, 9, 2))
    assert [(r.label, r.count, r.depth, r.group) for r in rows] == [
        ("All", 10, 0, False),
        ("Unread", 9, 0, False),
        ("Bookmarks", 2, 0, False),
        ("news", 4, 0, True),
        ("Alpha", 3, 1, False),
        ("Beta", 1, 1, False),
        ("tech", 3, 0, True),
        ("Alpha", 3, 1, False),
        ("Delta", 0, 1, False),  # the escape sequence is gone
        ("https://c.example/feed", 5, 0, False),  # untagged, last, named by its URL
    ]
    assert [r.error for r in rows if r.label == "Beta"] == [True]
    folded = feed_rows(FEEDS, {}, Totals(), collapsed={"news"})
    assert [r.label for r in folded][3:5] == ["news", "tech"]
    assert folded[3].collapsed


def test_next_sources_skip_feeds_without_unread() -> None:
    unread = {1: 3, 3: 5}
    groups = group_feeds(FEEDS)
    first, third = Source(Kind.FEED, feed_id=1), Source(Kind.FEED, feed_id=3)
    assert next_sources(groups, unread, first) == [third]
    assert next_sources(groups, unread, third, forward=False) == [first]
    news = Source(Kind.TAG, tag="news")
    assert next_sources(groups, unread, news) == [Source(Kind.TAG, tag="tech")]
    assert next_sources(groups, unread, ALL) == []


def test_next_sources_follow_the_order_shown_and_wrap_round() -> None:
    feeds = [Feed(n, f"https://x.example/{n}", f"Channel {n}") for n in (1, 2, 3, 4, 5)]
    unread = {1: 2, 2: 9, 3: 5, 4: 7, 5: 0}
    by_name = group_feeds(feeds)  # 1 2 3 4 5
    by_unread = group_feeds(feeds, unread)  # 2 4 3 1 5
    one, two, three, four, five = (Source(Kind.FEED, feed_id=n) for n in range(1, 6))
    assert next_sources(by_name, unread, two) == [three, four, one]  # then round to 1
    assert next_sources(by_unread, unread, two) == [four, three, one]
    assert next_sources(by_unread, unread, three, forward=False) == [four, two, one]
    assert next_sources(by_unread, unread, five) == [two, four, three, one]  # round to the top
    assert next_sources(by_unread, {**unread, 4: 0}, four) == [three, one, two]  # read: in place


def test_source_queries() -> None:
    assert Source(Kind.UNREAD).query().unread is True
    assert Source(Kind.BOOKMARKS).query().bookmarked is True
    assert Source(Kind.TAG, tag="x").query().tag == "x"
    assert Source(Kind.FEED, feed_id=4).query().feed_id == 4


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "-oProxyCommand=x", "", " https://a.b",
     "https://a.b/\nx", "data:text/html,x", "--help"],
)  # fmt: skip
def test_links_refused(url: str) -> None:
    with pytest.raises(links.LinkError):
        links.check_url(url)


def test_links_allowed() -> None:
    for url in ("https://example.org/a?b=c", "http://x.y", "mailto:a@b.c", "HTTPS://X.Y"):
        assert links.check_url(url) == url


def test_browser_argv() -> None:
    url = "https://example.org/a b"
    assert links.browser_argv(url, ("firefox", "-P", "news"), {}) == ["firefox", "-P", "news", url]
    assert links.browser_argv(url, ("open", "--url={url}"), {}) == ["open", f"--url={url}"]
    env = {"BROWSER": "w3m -N %s:lynx"}
    assert links.browser_argv(url, (), env) == ["w3m", "-N", url]
    assert links.browser_argv(url, (), {"BROWSER": "chromium"}) == ["chromium", url]
    assert links.browser_argv(url, (), {}) is None


def test_open_url_runs_an_argv_without_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    script = tmp_path / "browser.py"
    script.write_text(
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    import sys
    import time

    url = "https://example.org/?q=$(touch%20pwned);x`id`"
    assert links.open_url(url, (sys.executable, str(script)), env={})
    for _ in range(100):
        if out.exists() and out.read_text():
            break
        time.sleep(0.05)
    assert json.loads(out.read_text()) == [url]
    with pytest.raises(links.LinkError):
        links.open_url("-x", (sys.executable, str(script)), env={})
    assert not links.open_url("https://x.y", (), env={})  # no display, no $BROWSER


def test_shipped_themes_load() -> None:
    themes, problems = load_themes(None)
    names = [t.name for t in themes]
    assert problems == []
    assert names[:5] == ["tidings-dark", "newsprint", "high-contrast", "nord", "gruvbox"]
    assert not themes[1].dark


def test_user_themes_add_and_replace(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    user.mkdir()
    (user / "mine.toml").write_text('name = "mine"\nprimary = "#112233"\nbackground = "#000"\n')
    (user / "nord.toml").write_text('name = "nord"\nprimary = "#FF0000"\norder = 4\n')
    (user / "bad.toml").write_text('name = "bad"\nprimary = "not-a-colour"\n')
    (user / "typo.toml").write_text('name = "typo"\nprimary = "#fff"\nbackgroud = "#000"\n')
    themes, problems = load_themes(user)
    by_name = {t.name: t for t in themes}
    assert by_name["mine"].background == "#000"
    assert by_name["nord"].primary == "#FF0000"
    assert "bad" not in by_name and "typo" not in by_name
    assert problems == [
        "theme bad.toml: primary: not a colour: 'not-a-colour'",
        "theme typo.toml: backgroud: unknown key",
    ]


def test_ui_state_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert read_state(data).theme is None
    state = StateFile(data)
    state.state.theme = Choice("nord", "tidings-dark")
    assert state.add_search("禁毒  is:unread") and not state.add_search("禁毒 is:unread")
    assert state.add_search("storm") and state.remove_search("storm")
    older, newer = state.save_job(), None
    state.state.summary_lines = True
    state.state.feed_sort = Choice("unread", "name")
    newer = state.save_job()
    newer()
    older()  # a slow older write never replaces a newer one
    again = read_state(data)
    assert again.theme == Choice("nord", "tidings-dark")
    assert again.theme.pick("tidings-dark") == "nord"
    assert again.theme.pick("newsprint") == "newsprint"
    assert again.searches == ["禁毒 is:unread"] and again.summary_lines
    assert again.feed_sort == Choice("unread", "name")
    (data / "ui-state.json").write_text("{not json")
    assert read_state(data).theme is None
    assert [p.name for p in data.iterdir()] == ["ui-state.json"]  # no temporary files left


def test_keymap_from_config() -> None:
    keymap, unknown = keys.keymap({"next_unread": " n , J ", "nope": "x"})
    assert keymap == {"next_unread": "n,J"}
    assert unknown == ["nope"]
    assert keys.effective_keys(keys.BY_NAME["quit"], {}) == ["q"]
    scopes: tuple[keys.Scope, ...] = ("list", "article", "story", "feeds", "search", "screen")
    every = {b.id for scope in scopes for b in keys.bindings(scope)}
    assert every == set(keys.BY_NAME)


def test_dates_are_fixed_by_the_clock() -> None:
    dates = Dates(clock=lambda: float(NOW), tz=UTC)
    assert dates.short(at(1)) == "08:00"
    assert dates.short(at(30)) == "Nov 27"
    assert dates.short(at(300 * 24)) == "Feb  1"  # within a year: no year needed
    assert dates.short(at(400 * 24)) == "24 Oct 25"  # older: day and year
    assert dates.short_width == 9
    assert dates.long(at(1)) == "2026-11-28 08:00"
    assert dates.short(None) == ""
    iso = Dates(clock=lambda: float(NOW), tz=UTC, old_format="%Y-%m-%d")
    assert iso.short(at(400 * 24)) == "2025-10-24" and iso.short_width == 10


def test_the_date_column_is_as_wide_as_the_dates_listed_need() -> None:
    dates = Dates(clock=lambda: float(NOW), tz=UTC)
    assert dates.width_for(at(1), at(5)) == 5  # today only: 08:00
    assert dates.width_for(at(1), at(30)) == 6  # and within a year: Nov 27
    assert dates.width_for(at(1), at(400 * 24)) == 9  # and older: 24 Oct 25
    assert dates.width_for(at(30), at(400 * 24)) == 9
    assert dates.width_for(at(-48), at(1)) == 6  # a date ahead shows as within the year
    year = Dates(clock=lambda: float(NOW), tz=UTC, old_format="%Y")
    assert year.width_for(at(400 * 24), at(800 * 24)) == 4 and year.width_for(at(1), at(9000)) == 6


def test_feeds_sort_naturally_or_by_unread() -> None:
    feeds = [Feed(n, f"https://x.example/{n}", f"Channel {n}") for n in (10, 2, 1, 33)]
    assert [r.label for r in feed_rows(feeds, {}, Totals())][3:] == [
        "Channel 1", "Channel 2", "Channel 10", "Channel 33"]  # fmt: skip
    unread = {33: 5, 2: 9}
    by_unread = feed_rows(feeds, unread, Totals(), sort_counts=unread)
    assert [r.label for r in by_unread][3:] == [
        "Channel 2",
        "Channel 33",
        "Channel 1",
        "Channel 10",
    ]


def test_cjk_wrapping_keeps_punctuation_off_line_starts() -> None:
    text = Content.styled(
        "摘要：咸宁市严厉禁毒，温情戒毒，全民拒毒，工作举措实，群众共识高。", "bold"
    )
    lines = wrap_content(text, 20).plain.split("\n")
    assert all(len(line) * 2 <= 20 for line in lines)
    assert not any(line[0] in "，。：" for line in lines)
    assert "".join(lines) == text.plain
    assert wrap_content(text, 20).spans  # the style survives
    english = wrap_content(Content("the quick brown fox jumps over"), 10).plain
    assert english.split("\n") == ["the quick", "brown fox", "jumps over"]
