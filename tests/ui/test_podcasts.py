"""Pilot tests of E (a story's enclosures: play, download), P (the download queue with a
progress bar per file, resuming what failed) and W (save a page), against a loopback server."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, ProgressBar

from reader.config import Config, EnclosuresConfig, FetchConfig
from reader.models import Enclosure, ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.podcasts import DownloadRow, DownloadsScreen, EnclosureList
from tests.loopback import Loopback
from tests.net.test_podcasts import ranged
from tests.ui.conftest import CheckedStore, poll, settle, until, wait_for_note
from tests.ui.fixtures import NOW, at, build_store, make_app
from tests.ui.test_reading import PAGE, main

AUDIO = random.Random(5).randbytes(600_000)


@pytest.fixture
def radio(tmp_path: Path, server: Loopback) -> Iterator[Store]:
    """The UI test store plus a podcast whose newest episode has two enclosures on the server
    (the second drops its first answer halfway, to be resumed)."""
    first, _ = ranged(AUDIO)
    second, _ = ranged(AUDIO, drop_first=True)
    server.route("/ep.mp3", first)  # type: ignore[arg-type]
    server.route("/ep-hq.mp3", second)  # type: ignore[arg-type]
    path = tmp_path / "radio.db"
    plain = build_store(path)
    feed, _ = plain.add_feed("https://radio.example/feed.xml", title="夜谈 Radio")
    episode = ParsedItem(
        "ep1", "第一集 Pilot", "", "", at(0.5), None, "", "<p>Show notes.</p>",
        enclosures=(Enclosure(server.url("/ep.mp3"), "audio/mpeg", len(AUDIO), 754),
                    Enclosure(server.url("/ep-hq.mp3"), "audio/mpeg", len(AUDIO), 754)),
    )  # fmt: skip
    plain.store_parsed(feed.id, ParsedFeed("夜谈 Radio", "", (episode,), "rss20"), now=NOW)
    plain.close()
    checked = CheckedStore.open(path)
    yield checked
    checked.checked = False
    checked.close()


def config(tmp_path: Path) -> Config:
    recorder = tmp_path / "played.json"
    player = (sys.executable, "-c",
              f"import json,sys; open({str(recorder)!r},'w').write(json.dumps(sys.argv[1:]))",
              "{file}")  # fmt: skip
    return Config(
        fetch=FetchConfig(timeout=5.0, connect_timeout=2.0),
        enclosures=EnclosuresConfig(dir=str(tmp_path / "episodes"), player=player),
    )


def app_for(store: Store, tmp_path: Path) -> ReaderApp:
    return make_app(store, tmp_path / "state", config(tmp_path))


async def open_enclosures(pilot: object, app: ReaderApp) -> EnclosureList:
    await pilot.press("enter", "E")  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, EnclosureList), "the enclosure list")  # type: ignore[arg-type]
    assert isinstance(app.screen, EnclosureList)
    return app.screen


async def test_e_lists_enclosures_and_d_downloads_one(
    radio: Store, tmp_path: Path, server: Loopback
) -> None:
    app = app_for(radio, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        listing = await open_enclosures(pilot, app)
        lines = [str(o.prompt) for o in listing.query_one(OptionList).options]
        assert lines == ["ep.mp3 · audio/mpeg · 585.9 KB · 12:34",
                         "ep-hq.mp3 · audio/mpeg · 585.9 KB · 12:34"]  # fmt: skip
        await pilot.press("d")
        await wait_for_note(pilot, "Downloads: 1 done")
        (path,) = (tmp_path / "episodes").rglob("*.mp3")
        assert path.read_bytes() == AUDIO and path.parent.name == "夜谈 Radio"
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, DownloadsScreen), "the queue")
        rows = list(app.screen.query(DownloadRow))
        await poll(pilot, lambda: rows and rows[0].transfer.state == "done", "a done row")
        bar = rows[0].query_one(ProgressBar)
        assert bar.progress == len(AUDIO) and bar.total == len(AUDIO)
        await pilot.press("escape")
        assert main(app) is app.screen


async def test_a_failed_download_shows_in_p_and_r_resumes_it(radio: Store, tmp_path: Path) -> None:
    app = app_for(radio, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await open_enclosures(pilot, app)
        await pilot.press("down", "d")
        await wait_for_note(pilot, "1 failed")
        assert list((tmp_path / "episodes").rglob("*.part"))
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, DownloadsScreen), "the queue")

        def state() -> str:
            rows = list(app.screen.query(DownloadRow))
            return rows[0].transfer.state if rows else ""

        await poll(pilot, lambda: state() == "failed", "a failed row")
        await pilot.press("r")
        await poll(pilot, lambda: state() == "done", "the resumed download")
    (path,) = (tmp_path / "episodes").rglob("*.mp3")
    assert path.read_bytes() == AUDIO and not list((tmp_path / "episodes").rglob("*.part"))


async def test_enter_plays_the_url_then_the_downloaded_file(
    radio: Store, tmp_path: Path, server: Loopback
) -> None:
    recorder = tmp_path / "played.json"
    app = app_for(radio, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await open_enclosures(pilot, app)
        await pilot.press("enter")
        await wait_for_note(pilot, "Playing")
        await poll(pilot, lambda: recorder.exists() and recorder.read_text(), "the player")
        assert json.loads(recorder.read_text()) == [server.url("/ep.mp3")]
        recorder.unlink()
        await open_enclosures(pilot, app)
        await pilot.press("d")
        await wait_for_note(pilot, "Downloads: 1 done")
        await open_enclosures(pilot, app)
        await pilot.press("enter")
        await poll(pilot, lambda: recorder.exists() and recorder.read_text(), "the player")
        (played,) = json.loads(recorder.read_text())
        assert Path(played).read_bytes() == AUDIO


async def test_w_saves_a_page_as_a_bookmark(radio: Store, tmp_path: Path, server: Loopback) -> None:
    url = server.serve("/breakwater", PAGE, content_type="text/html; charset=utf-8")
    app = app_for(radio, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await until(pilot, lambda: bool(app.screen.query("#prompt-input")), "the prompt")
        app.screen.query_one("#prompt-input", Input).value = url
        await pilot.press("enter")
        await wait_for_note(pilot, "Saved: Breakwater finished")
    assert isinstance(radio, CheckedStore)
    radio.checked = False
    (saved,) = [h for h in radio.headlines() if h.feed_title == "Saved pages"]
    assert saved.bookmarked and saved.link == url


async def test_downloads_left_queued_resume_when_the_reader_starts(
    radio: Store, tmp_path: Path, server: Loopback
) -> None:
    """A download still queued when the last session ended (quit or killed mid-file) goes on
    when the reader starts: from its .part, with a Range request for the rest."""
    from reader.downloads import Downloads, part_of, root_dir

    handler, ranges = ranged(AUDIO)
    server.route("/ep.mp3", handler)  # type: ignore[arg-type]
    assert isinstance(radio, CheckedStore)
    radio.checked = False  # set up from the test's own thread, before the reader runs
    cfg = config(tmp_path)
    downloads = Downloads(cfg, radio, root_dir(cfg, radio.path.parent))
    (item,) = [h for h in radio.headlines() if h.feed_title == "夜谈 Radio"]
    (queued,) = downloads.queue(item.id, [server.url("/ep.mp3")])
    final = downloads.root / queued.path
    final.parent.mkdir(parents=True)
    part_of(final).write_bytes(AUDIO[:250_000])  # what the last session got
    radio.checked = True
    app = app_for(radio, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_note(pilot, "Downloads: 1 done")
    assert final.read_bytes() == AUDIO and not part_of(final).exists()
    assert ranges == ["bytes=250000-"]
