"""UI fixtures: a store with fixed dates that refuses any call from the event-loop thread (the
UI must do store I/O in worker threads), and apps over it with a fixed clock."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from reader.config import Config
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from tests.ui.fixtures import build_store, make_app


class LoopThreadCalled(AssertionError):
    """A store method ran on the event loop's thread."""


API = ("feeds", "feed", "feed_by_id", "headlines", "item_ids", "headlines_for", "count", "item",
       "unread_counts", "set_read", "mark_all_read", "set_bookmarked", "set_full_text",
       "add_feed", "remove_feed", "store_parsed", "record_failure", "mark_not_modified",
       "search", "search_count", "index_pending", "set_item_tags", "item_tag_counts",
       "changed_since")  # fmt: skip


def _checked(name: str) -> Callable[..., Any]:
    method = getattr(Store, name)

    def wrapper(self: CheckedStore, *args: Any, **kwargs: Any) -> Any:
        if self.checked and threading.current_thread() is threading.main_thread():
            raise LoopThreadCalled(f"Store.{name} called on the event loop thread")
        return method(self, *args, **kwargs)

    return wrapper


class CheckedStore(Store):
    """A Store whose data methods fail when called from the main (event loop) thread."""

    checked = True


for _name in API:
    setattr(CheckedStore, _name, _checked(_name))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A filled store file."""
    path = tmp_path / "store" / "tidings.db"
    build_store(path).close()
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """The filled store, opened so that event-loop-thread calls fail."""
    opened = CheckedStore.open(store_path)
    yield opened
    opened.checked = False
    opened.close()


@pytest.fixture
def app_factory(store: Store, tmp_path: Path) -> Callable[..., ReaderApp]:
    """Build a reader app over `store` (config optional)."""

    def factory(config: Config | None = None, **kwargs: Any) -> ReaderApp:
        return make_app(store, tmp_path / "state", config, **kwargs)

    return factory


async def settle(pilot: Pilot[Any], rounds: int = 8) -> None:
    """Let workers finish and their messages (and the work those start) land."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


async def until(pilot: Pilot[Any], ready: Callable[[], object], what: str = "") -> None:
    """Settle until `ready()` is true (work that ends in a pushed screen or a message can take
    a few rounds on a busy machine)."""
    for _ in range(100):
        await settle(pilot)
        if ready():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or ready}")


def notes(app: App[Any]) -> list[str]:
    """What the reader told, oldest first, each as `title: message` (or the message)."""
    assert isinstance(app, ReaderApp)
    return [str(n) for n in app.notes]


async def wait_for_note(pilot: Pilot[Any], text: str) -> list[str]:
    """Settle until a notification containing `text` shows (a fetch takes a moment)."""
    for _ in range(100):
        await settle(pilot)
        found = notes(pilot.app)
        if any(text in m for m in found):
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no notification with {text!r}: {notes(pilot.app)}")


async def poll(pilot: Pilot[Any], ready: Callable[[], object], what: str = "") -> None:
    """Wait until `ready()` is true without waiting for workers (one may run on purpose)."""
    for _ in range(250):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or ready}")


def main_screen(app: App[Any]) -> MainScreen:
    """The reader's main screen (the one on top)."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen
