"""Starting the reader: the demo's throwaway home, the app's parts, the bundled demo feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config
from reader.demo import load_demo
from reader.paths import Paths
from reader.store.db import Store
from reader.ui import launch
from reader.ui.app import ReaderApp
from reader.ui.context import LazyService
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import CheckedStore, settle
from tests.ui.fixtures import NOW, make_app


def paths(root: Path) -> Paths:
    return Paths(root / "config", root / "data", root / "cache")


def test_demo_runs_in_a_throwaway_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_run(app: ReaderApp) -> int:
        store = app.ctx.store
        seen["db"] = store.path
        seen["items"] = store.count()
        seen["failing"] = [f.title for f in store.feeds() if f.error_streak]
        seen["service"] = app.ctx.service
        return 0

    monkeypatch.setattr(launch, "run_app", fake_run)
    home = paths(tmp_path / "home")
    assert launch.run_tui(Config(), home, demo=True) == 0
    db = seen["db"]
    assert isinstance(db, Path) and not db.exists() and not db.parent.parent.exists()
    assert not home.data_dir.exists()  # the real home is untouched
    assert isinstance(seen["items"], int) and seen["items"] >= 12
    assert seen["failing"] == ["Gadget Rumours (a feed that fails)"]
    assert seen["service"] is None  # no network in the demo


def test_build_app_finds_user_themes_and_refreshes_lazily(tmp_path: Path) -> None:
    home = paths(tmp_path)
    (home.config_dir / "themes").mkdir(parents=True)
    (home.config_dir / "themes" / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n')
    with Store.open(tmp_path / "db") as store:
        app = launch.build_app(Config(), home, store)
        assert "mine" in app.reader_themes and app.reader_themes[0] == "tidings-dark"
        assert isinstance(app.ctx.service, LazyService)
        assert app.state_dir == home.data_dir


async def test_the_demo_reads_well(tmp_path: Path) -> None:
    with Store.open(tmp_path / "demo.db") as plain:
        load_demo(plain, now=NOW)
    store = CheckedStore.open(tmp_path / "demo.db")
    try:
        app = make_app(store, tmp_path / "state")
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            assert screen.headlines.current is not None
            assert screen.headlines.current.title == "Welcome to tidings"
            broken = [r for r in screen.feed_list.rows if r.error]
            assert [r.label for r in broken] == ["Gadget Rumours (a feed that fails)"]
            titles = []
            for _ in range(4):
                await pilot.press("n")
                await settle(pilot)
                assert screen.article.item is not None
                titles.append(screen.article.item.title)
            assert "咸宁：严厉禁毒 温情戒毒 全民拒毒" in titles
    finally:
        store.checked = False
        store.close()


def test_process_helpers_start_with_the_real_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under Textual sys.stderr.fileno() is -1, which multiprocessing cannot hand on."""
    import sys
    from multiprocessing import resource_tracker

    from reader.ui.context import start_process_helpers

    class Captured:
        def fileno(self) -> int:
            return -1

    seen = []
    monkeypatch.setattr(resource_tracker, "ensure_running", lambda: seen.append(sys.stderr))
    captured = Captured()
    monkeypatch.setattr(sys, "stderr", captured)
    start_process_helpers()
    assert seen == [sys.__stderr__]
    assert sys.stderr is captured
