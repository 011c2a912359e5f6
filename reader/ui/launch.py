"""Starting the reader: on the person's own store, or on the bundled demo in a throwaway home."""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reader.config import Config
from reader.paths import Paths
from reader.store.db import Store
from reader.ui.firstview import start_first_view

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

DEMO_OFFLINE = "demo: offline feeds, refresh is off"


def build_app(config: Config, paths: Paths, store: Store, *, demo: bool = False) -> ReaderApp:
    """The reader over `store` (themes from the shipped set and `<config dir>/themes`). The
    newest headlines and the feed counts are read in a thread while Textual is imported."""
    first_view = start_first_view(store)
    from reader.ui.app import ReaderApp  # Textual: imported by run_tui with the collector off
    from reader.ui.context import LazyService
    from reader.ui.themes import load_themes

    themes, problems = load_themes(paths.config_dir / "themes")
    return ReaderApp(
        config=config,
        store=store,
        service=None if demo else LazyService(config, store, drawn_on()),
        themes=themes,
        state_dir=paths.data_dir,
        refresh_on_start=not demo,
        offline_reason=DEMO_OFFLINE if demo else "refresh is off",
        network=not demo,
        problems=problems,
        first_view=first_view,
    )


def drawn_on() -> TextIO | None:
    """The terminal the reader draws on, for a terminal notification (reader/notify.py):
    Textual's drivers write to stderr (stdout on Windows); None when that is not a terminal."""
    stream = sys.__stdout__ if sys.platform == "win32" else sys.__stderr__
    return stream if stream is not None and stream.isatty() else None


def run_app(app: ReaderApp) -> int:
    """Run `app` until it quits; returns its exit code.

    Everything imported so far lives as long as the process, so it is moved out of the garbage
    collector's sight first (gc.freeze): otherwise a full collection walking the whole of
    Textual lands in the middle of the first paint (25 ms measured, a sixth of the startup).
    `run_tui` disables the collector while it imports Textual (the same saving, earlier: ~10
    ms); it is back on here.
    """
    gc.freeze()
    gc.enable()
    app.exit_on_signals = True
    app.run()
    return app.return_code or 0


def demo_paths(root: Path) -> Paths:
    """A TIDINGS_HOME-style layout under `root`."""
    return Paths(root / "config", root / "data", root / "cache")


def run_tui(config: Config, paths: Paths, *, demo: bool) -> int:
    """Run the reader until it quits; returns the exit code.

    `demo`: a fresh store in a temporary home, filled from the bundled feeds without any
    network, removed at exit. Themes still come from the person's config dir.
    """
    gc.disable()  # no collections while Textual is imported: it all lives until exit anyway
    try:
        return _run_tui(config, paths, demo=demo)
    finally:
        gc.enable()


def _run_tui(config: Config, paths: Paths, *, demo: bool) -> int:
    if not demo:
        with Store.open(paths.db_file, write_wait=config.store.write_wait) as store:
            return run_app(build_app(config, paths, store))
    from reader.demo import load_demo

    with tempfile.TemporaryDirectory(prefix="tidings-demo-") as tmp:
        home = demo_paths(Path(tmp))
        with Store.open(home.db_file) as store:
            load_demo(store)
            demo_home = Paths(paths.config_dir, home.data_dir, home.cache_dir)
            return run_app(build_app(config, demo_home, store, demo=True))
