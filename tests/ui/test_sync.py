"""r and R sync with the [sync] server first, the status line naming it, against the loopback
Google Reader API server of tests/sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.config import parse_config
from reader.store.db import Store
from reader.sync.engine import SyncProgress
from reader.ui.context import LazyService
from reader.ui.messages import SyncProgressed
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
