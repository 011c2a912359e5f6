"""SVG snapshots of every screen at 80×24 (the one-pane layout) and 140×40, each theme, and a
CJK-heavy list and search. Fixed clock, UTC, no refresh, no search timings: deterministic.
Update with --snapshot-update."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from reader.config import Config, UIConfig
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.control.searching import Searching
from tests.ui.conftest import CheckedStore, settle, until
from tests.ui.fixtures import at, make_app

SIZES = {"wide": (140, 40), "narrow": (80, 24)}
THEMES = ["tidings-dark", "newsprint", "high-contrast", "nord", "gruvbox"]
Snap = Callable[..., bool]
Factory = Callable[..., ReaderApp]


TYPED = "typed:"  # a key list entry that types a search query (and waits for the search)


def searched(screen: Screen[Any]) -> Callable[[], bool]:
    """Whether the search bar says how many matches there are."""
    info = screen.query_one("#search-info")
    return lambda: "match" in str(info.render())


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            if key.startswith(TYPED):
                screen = pilot.app.screen
                typed = screen.query_one("#search-input", Input)
                typed.cursor_blink = False  # a blinking cursor is drawn or not at random
                typed.value = key[len(TYPED) :]
                await until(pilot, searched(screen), "the search")
            else:
                await pilot.press(key)
            await settle(pilot)
        await settle(pilot)  # a screen pushed by a worker's message (digest, tags) mounts
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run


@pytest.fixture(autouse=True)
def no_timings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search times vary from run to run: the bar leaves them out here."""
    monkeypatch.setattr(Searching, "show_timing", False)


SCREENS = {
    "main": (),
    "article": ("enter",),
    "help": ("question_mark",),
    "health": ("e",),
    "links": ("enter", "u"),
    "search": ("slash", f"{TYPED}tidings"),
    "summary": ("j", "enter", "s"),
    "digest": ("d",),
    "tags": ("B",),
    "feeds": ("h",),
    "paged": ("enter", "space"),
    "downloads": ("P",),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare: Snap, app_factory: Factory, screen: str, size: str) -> None:
    assert snap_compare(
        app_factory(), terminal_size=SIZES[size], run_before=keys_then_settle(*SCREENS[screen])
    )


@pytest.mark.parametrize("theme", THEMES)
def test_theme(snap_compare: Snap, app_factory: Factory, theme: str) -> None:
    app = app_factory(Config(ui=UIConfig(theme=theme)))
    assert snap_compare(app, terminal_size=(140, 40), run_before=keys_then_settle("enter"))


CJK_TITLES = [
    "国务院常务会议部署进一步稳就业举措",
    "東京都、来年度予算案を発表　子育て支援を拡充",
    "한국은행 기준금리 동결 결정",
    "咸宁：严厉禁毒 温情戒毒 全民拒毒（附图）",
    "Mixed 中英文 title with 全角，标点。",
    "長江デルタの新しい高速鉄道が開業、所要時間は３０分短縮へ",
    "“一带一路”国际合作高峰论坛开幕，来自一百多个国家的代表出席",
    "emoji 🎉 and wide ＡＢＣ letters",
]


def cjk_store(path: Path) -> Store:
    store = Store.open(path)
    for n, name in enumerate(["人民日报", "朝日新聞デジタル", "연합뉴스", "Xinhua 新华社"]):
        feed, _ = store.add_feed(f"https://cjk{n}.example/feed", title=name, tags=("亚洲",))
        items = tuple(
            ParsedItem(
                f"{n}-{i}",
                title,
                f"https://cjk{n}.example/{i}",
                "记者",
                at(n + i * 7),
                None,
                "",
                f"<p>{title}。正文内容。</p>",
            )
            for i, title in enumerate(CJK_TITLES[n::2] + CJK_TITLES[: n + 1])
        )
        store.store_parsed(feed.id, ParsedFeed(name, "", items, "rss20"), now=at(0))
    return store


@pytest.mark.parametrize("size", SIZES)
def test_cjk_list(snap_compare: Snap, tmp_path: Path, size: str) -> None:
    store = cjk_store(tmp_path / "cjk.db")
    try:
        app = make_app(store, tmp_path / "state")
        assert snap_compare(app, terminal_size=SIZES[size], run_before=keys_then_settle())
    finally:
        store.close()


@pytest.mark.parametrize("size", SIZES)
def test_cjk_search(snap_compare: Snap, tmp_path: Path, size: str) -> None:
    store = cjk_store(tmp_path / "cjk.db")
    try:
        app = make_app(store, tmp_path / "state")
        keys = keys_then_settle("slash", f"{TYPED}禁毒", "enter")
        assert snap_compare(app, terminal_size=SIZES[size], run_before=keys)
    finally:
        store.close()


def test_health_at_60_columns(snap_compare: Snap, store: Store, tmp_path: Path) -> None:
    """The failing feed's whole address and error, wrapped below the table."""
    assert isinstance(store, CheckedStore)
    store.checked = False
    feed, _ = store.add_feed("https://feeds.example.org/a/very/long/address/of/a/feed.xml")
    error = "cannot connect: the server closed the connection (连接被对方重置，请稍后再试)"
    for hours in (3, 2, 1, 0.5):
        store.record_failure(feed.id, error, now=at(hours))
    store.checked = True
    app = make_app(store, tmp_path / "state")
    assert snap_compare(app, terminal_size=(60, 24), run_before=keys_then_settle("e"))
