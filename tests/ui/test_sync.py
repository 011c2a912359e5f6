"""r and R sync with the [sync] server first, the status line naming it, against the loopback
Google Reader API server of tests/sync."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from reader.config import parse_config
from reader.models import Feed, RefreshReport, SyncReport
from reader.service import ProgressCallback
from reader.store.db import Store
from reader.store.lock import lock_path
from reader.sync.engine import SyncProgress, SyncProgressCallback
from reader.ui.context import LazyService
from reader.ui.messages import SyncProgressed
from reader.ui.refresh import BackgroundRefresh
from tests.sync.greader_server import GReaderServer
from tests.ui.conftest import settle, until
from tests.ui.fixtures import make_app
from tests.ui.test_flow import main


@pytest.fixture
def server() -> Iterator[GReaderServer]:
    srv = GReaderServer()
    for n, title in enumerate(("Harbor News", "咸宁新闻")):
        srv.publish(srv.subscribe(f"https://feeds.example/{n}.xml", title, ("news",)), 5,
                    chinese=n == 1)  # fmt: skip
    yield srv
    srv.close()


def _config(server: GReaderServer, tmp_path: Path, password: str) -> str:
    secret = tmp_path / "password"
    secret.write_text(password + "\n")
    return (f'[sync]\nservice = "greader"\nurl = "{server.url}"\nusername = "{server.username}"\n'
            f'password_file = "{secret}"\n[fetch]\ntimeout = 5\n')  # fmt: skip


async def test_refresh_syncs_first_and_names_the_service(
    server: GReaderServer, tmp_path: Path
) -> None:
    config = parse_config(_config(server, tmp_path, server.password))
    with Store.open(tmp_path / "t.db") as store:
        service = LazyService(config, store)
        app = make_app(store, tmp_path / "state", config=config, service=service)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = main(app)
            await pilot.press("R")
            await until(pilot, lambda: "greader ·" in screen.status.activity, "the sync's end")
            assert screen.status.activity.startswith("greader · 10 new")
            await until(pilot, lambda: len(screen.headlines.ids) == 10, "the pulled stories")
            assert {r.label for r in screen.feed_list.rows} >= {"Harbor News", "咸宁新闻"}
            first = next(iter(server.items.values()))
            first.read = True  # read on the phone
            screen.post_message(SyncProgressed(SyncProgress("greader", "pulling", 3, 9)))
            await pilot.pause()
            assert screen.status.activity == "greader: pulling 3/9"


async def test_a_failed_sync_is_said_and_the_refresh_goes_on(
    server: GReaderServer, tmp_path: Path
) -> None:
    config = parse_config(_config(server, tmp_path, "wrong password"))
    with Store.open(tmp_path / "t.db") as store:
        app = make_app(store, tmp_path / "state", config=config, service=LazyService(config, store))
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = main(app)
            await pilot.press("R")
            await until(pilot, lambda: "sync failed" in screen.status.activity, "the failure")
            assert screen.status.activity.startswith("greader: sync failed · 0 new")
            assert "wrong password" not in screen.status.activity


class _Between:
    """The reader's LazyService, unchanged, except that before its refresh it asks, from
    another thread (as another process would), whether the refresh lock is free."""

    def __init__(self, real: LazyService) -> None:
        self.real = real
        self.free_between: bool | None = None

    @property
    def sync_service(self) -> str:
        return self.real.sync_service

    async def sync(self, progress: SyncProgressCallback | None = None) -> SyncReport:
        return await self.real.sync(progress)

    def one_job(self) -> AbstractContextManager[object]:
        return self.real.one_job()

    async def refresh(
        self, feeds: Sequence[Feed] | None = None, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        self.free_between = await asyncio.to_thread(_lock_is_free, self.real.store.path)
        return await self.real.refresh(feeds, progress)


def _lock_is_free(db: Path) -> bool:
    """Whether another process could take the refresh lock now: a flock on a descriptor of
    its own (JobLock would see this thread's own lock as nested)."""
    fd = os.open(lock_path(db, "refresh"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.fixture
def probe(server: GReaderServer, tmp_path: Path) -> Iterator[_Between]:
    """The reader's service on a fresh store, syncing with `server`."""
    config = parse_config(_config(server, tmp_path, server.password))
    with Store.open(tmp_path / "t.db") as store:
        yield _Between(LazyService(config, store))


async def test_the_lock_is_held_from_the_sync_through_the_refresh(probe: _Between) -> None:
    finished = await asyncio.to_thread(BackgroundRefresh(probe, None, print).run)
    assert (finished.synced, finished.new_items, finished.error) == ("greader", 10, "")
    assert probe.free_between is False  # cron's refresh could not slip in between
    assert _lock_is_free(probe.real.store.path)  # and it is given up at the end


async def test_a_refresh_elsewhere_stops_the_sync_too(probe: _Between) -> None:
    store = probe.real.store
    cron = os.open(lock_path(store.path, "refresh"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(cron, fcntl.LOCK_EX)  # as cron's `tidings refresh` holds it
    try:
        finished = await asyncio.to_thread(BackgroundRefresh(probe, None, print).run)
    finally:
        os.close(cron)
    assert finished.elsewhere and not finished.synced and finished.new_items == 0
    assert probe.free_between is None  # the refresh never began
    assert store.count() == 0
