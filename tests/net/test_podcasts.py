"""Podcasts: a feed with audio-sized enclosures on a loopback server with Range support, episodes
downloaded through `tidings download`, an interrupted download resumed, hostile names kept
inside the download folder, the caps, auto-download, and the player (an argv that records it)."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from tests.loopback import Loopback, send

AUDIO = random.Random(16).randbytes(1_500_000)  # an episode, sized down (real ones: 30-100 MB)
SHORT = random.Random(17).randbytes(400_000)
HOSTILE_FEED = "../../../etc/\x1b[31mpasswd"
HOSTILE_ITEM = "/abs/..\\CON\x00<b>:|?*" + "名字很长" * 80


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def ranged(body: bytes, *, drop_first: bool = False) -> tuple[object, list[str]]:
    """A handler serving `body` with Range support (206 and Content-Range); with `drop_first`,
    its first answer promises the whole file and stops halfway (a dropped connection). The
    Range headers it was sent are kept in the returned list."""
    seen: list[str] = []

    def handle(h: BaseHTTPRequestHandler) -> None:
        wanted = h.headers.get("Range", "")
        seen.append(wanted)
        start = int(m.group(1)) if (m := re.fullmatch(r"bytes=(\d+)-", wanted)) else 0
        if start >= len(body) and wanted:
            send(h, 416, b"", "audio/mpeg", {"Content-Range": f"bytes */{len(body)}"})
            return
        if drop_first and len(seen) == 1:
            h.send_response(200)
            h.send_header("Content-Type", "audio/mpeg")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        if wanted:
            extra = {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}",
                     "Accept-Ranges": "bytes"}  # fmt: skip
            h.send_response(206)
            h.send_header("Content-Type", "audio/mpeg")
            h.send_header("Content-Length", str(len(body) - start))
            for k, v in extra.items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body[start:])
            return
        send(h, 200, body, "audio/mpeg", {"Accept-Ranges": "bytes"})

    return handle, seen


def podcast(server: Loopback, title: str, *episodes: tuple[str, str, str, int]) -> str:
    """An RSS podcast feed with iTunes tags; episodes are (guid, title, path, date offset)."""
    items = "".join(
        f"<item><title>{t}</title><guid>{g}</guid><itunes:duration>12:34</itunes:duration>"
        f"<pubDate>Mon, {1 + d:02d} Dec 2025 10:00:00 GMT</pubDate>"
        f'<enclosure url="{server.url(path)}" type="audio/mpeg" length="{len(AUDIO)}"/></item>'
        for g, t, path, d in episodes
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{title}</title>{items}</channel></rss>"
    )
    return server.serve("/podcast.xml", rss.encode())


@pytest.fixture
def home(tidings_home: Path, tmp_path: Path) -> Iterator[Path]:
    """Config with small caps and deadlines; the download folder."""
    (tidings_home / "config").mkdir(parents=True)
    folder = tmp_path / "episodes"
    recorder = tmp_path / "played.json"
    player = [sys.executable, "-c",
              f"import json,sys; open({str(recorder)!r},'w').write(json.dumps(sys.argv[1:]))",
              "{file}"]  # fmt: skip
    (tidings_home / "config" / "config.toml").write_text(
        f"[fetch]\ntimeout = 5\nconnect_timeout = 2\n"
        f"[enclosures]\ndir = {json.dumps(str(folder))}\nmax_bytes = 2_000_000\ntimeout = 20\n"
        f"player = {json.dumps(player)}\n",
        encoding="utf-8",
    )
    yield folder


def ids_by_title() -> dict[str, int]:
    return {h["title"]: h["id"] for h in json.loads(tidings("list", "--json").stdout)}


def subscribe(url: str) -> None:
    assert tidings("add", url).returncode == 0


def test_an_episode_downloads_whole_under_a_safe_name(server: Loopback, home: Path) -> None:
    handler, ranges = ranged(AUDIO)
    server.route("/ep1.mp3", handler)  # type: ignore[arg-type]
    subscribe(podcast(server, "Night Talk 夜谈", ("1", "第一集: Pilot", "/ep1.mp3", 0)))
    (item_id,) = ids_by_title().values()
    shown = json.loads(tidings("show", str(item_id), "--json").stdout)
    assert shown["enclosures"][0]["duration"] == 754
    done = tidings("download", str(item_id))
    assert done.returncode == 0, done.stderr
    (path,) = [p for p in home.rglob("*") if p.is_file()]
    assert path.read_bytes() == AUDIO and ranges == [""]
    assert path.parent.name == "Night Talk 夜谈" and path.name == "2025-12-01 第一集_ Pilot.mp3"
    assert f"done: {path}" in done.stdout
    again = tidings("download", str(item_id))  # already there: not fetched again
    assert again.returncode == 0 and len(ranges) == 1


def test_an_interrupted_download_resumes_with_a_range_request(server: Loopback, home: Path) -> None:
    handler, ranges = ranged(AUDIO, drop_first=True)
    server.route("/ep2.mp3", handler)  # type: ignore[arg-type]
    subscribe(podcast(server, "Resume FM", ("2", "Episode two", "/ep2.mp3", 1)))
    (item_id,) = ids_by_title().values()
    first = tidings("download", str(item_id))
    assert first.returncode == 1 and "failed" in first.stderr
    (part,) = list(home.rglob("*.part"))
    kept = part.stat().st_size
    assert 0 < kept <= len(AUDIO) // 2
    assert not [p for p in home.rglob("*.mp3")]  # never a finished name for a partial file
    assert "failed" in tidings("downloads").stdout
    second = tidings("download", str(item_id))
    assert second.returncode == 0, second.stderr
    assert ranges == ["", f"bytes={kept}-"]  # the rest only
    (path,) = list(home.rglob("*.mp3"))
    assert path.read_bytes() == AUDIO and not list(home.rglob("*.part"))


def test_hostile_names_stay_inside_the_folder(server: Loopback, home: Path) -> None:
    handler, _ = ranged(SHORT)
    server.route("/evil.mp3", handler)  # type: ignore[arg-type]
    title = HOSTILE_ITEM.replace("<", "&lt;").replace("\x00", "")
    subscribe(podcast(server, HOSTILE_FEED.replace("\x1b", ""), ("e", title, "/evil.mp3", 2)))
    (item_id,) = ids_by_title().values()
    assert tidings("download", str(item_id)).returncode == 0
    (path,) = [p for p in home.rglob("*") if p.is_file()]
    assert path.resolve().is_relative_to(home.resolve())
    relative = path.relative_to(home)
    assert len(relative.parts) == 2 and ".." not in relative.parts
    assert all(len(part.encode()) <= 255 for part in relative.parts)
    assert not set(str(relative)) & set('\\:*?"<>|\x00\x1b')
    assert "名字很长" in path.name and path.suffix == ".mp3"
    assert path.read_bytes() == SHORT


def test_a_file_over_the_cap_is_refused_and_nothing_is_left(server: Loopback, home: Path) -> None:
    big = random.Random(3).randbytes(2_100_000)
    server.serve("/big.mp3", big, content_type="audio/mpeg")
    subscribe(podcast(server, "Big", ("b", "Too big", "/big.mp3", 3)))
    (item_id,) = ids_by_title().values()
    done = tidings("download", str(item_id))
    assert done.returncode == 1 and "larger than the cap" in done.stderr
    assert not [p for p in home.rglob("*") if p.is_file()]


def test_play_uses_the_downloaded_file_else_the_url(server: Loopback, home: Path) -> None:
    handler, _ = ranged(SHORT)
    server.route("/ep.mp3", handler)  # type: ignore[arg-type]
    subscribe(podcast(server, "Player", ("p", "Play me", "/ep.mp3", 4)))
    (item_id,) = ids_by_title().values()
    recorder = home.parent / "played.json"
    assert tidings("play", str(item_id)).returncode == 0
    _wait_for(recorder)
    assert json.loads(recorder.read_text()) == [server.url("/ep.mp3")]
    recorder.unlink()
    assert tidings("download", str(item_id)).returncode == 0
    assert tidings("play", str(item_id)).returncode == 0
    _wait_for(recorder)
    (played,) = json.loads(recorder.read_text())
    assert Path(played).read_bytes() == SHORT


def test_auto_download_keeps_the_newest_episodes(server: Loopback, home: Path,
                                                 tidings_home: Path) -> None:  # fmt: skip
    for n in range(3):
        handler, _ = ranged(SHORT)
        server.route(f"/a{n}.mp3", handler)  # type: ignore[arg-type]
    url = podcast(server, "Auto", *((f"a{n}", f"Auto {n}", f"/a{n}.mp3", n) for n in range(3)))
    config = tidings_home / "config" / "config.toml"
    config.write_text(config.read_text() + f"auto = [{json.dumps(url)}]\nkeep = 2\n")
    assert tidings("import", str(_urls(home.parent, url))).returncode == 0
    assert tidings("refresh").returncode == 0
    kept = sorted(p.name for p in home.rglob("*.mp3"))
    assert kept == ["2025-12-02 Auto 1.mp3", "2025-12-03 Auto 2.mp3"]
    assert tidings("refresh").returncode == 0  # nothing new: nothing more
    assert sorted(p.name for p in home.rglob("*.mp3")) == kept


def _urls(folder: Path, *urls: str) -> Path:
    path = folder / "urls"
    path.write_text("".join(u + "\n" for u in urls), encoding="utf-8")
    return path


def _wait_for(path: Path) -> None:
    import time

    for _ in range(200):  # the player runs in the background: wait for what it wrote
        if path.exists() and path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never written")


class Changing:
    """A file on the server that can change: served with a validator (an ETag or a
    Last-Modified date), Range honoured only while If-Range names the current one (RFC 9110
    13.1.5), the first answer cut off halfway. Every (Range, If-Range) it was sent is kept."""

    def __init__(self, body: bytes, header: str, value: str) -> None:
        self.body, self.header, self.value = body, header, value
        self.seen: list[tuple[str, str]] = []

    def __call__(self, h: BaseHTTPRequestHandler) -> None:
        wanted, condition = h.headers.get("Range", ""), h.headers.get("If-Range", "")
        self.seen.append((wanted, condition))
        m = re.fullmatch(r"bytes=(\d+)-", wanted)
        start = int(m.group(1)) if m and condition == self.value else 0
        body = self.body[start:] if len(self.seen) > 1 else self.body[: len(self.body) // 2]
        h.send_response(206 if start else 200)
        h.send_header("Content-Type", "audio/mpeg")
        h.send_header("Content-Length", str(len(self.body) - start))
        h.send_header(self.header, self.value)
        if start:
            h.send_header("Content-Range", f"bytes {start}-{len(self.body) - 1}/{len(self.body)}")
        h.end_headers()
        h.wfile.write(body)
        h.close_connection = True


@pytest.mark.parametrize(
    ("header", "old", "new"),
    [("ETag", '"v1"', '"v2"'),
     ("Last-Modified", "Mon, 01 Dec 2025 10:00:00 GMT", "Tue, 02 Dec 2025 10:00:00 GMT")],
)  # fmt: skip
def test_a_resume_asks_if_range_and_a_changed_file_starts_over(
    server: Loopback, home: Path, header: str, old: str, new: str
) -> None:
    """The validator the server gave for the .part's bytes goes with the Range request: when the
    file has changed since, the server sends all of it and the new file is written whole."""
    changing = Changing(AUDIO, header, old)
    server.route("/ch.mp3", changing)
    subscribe(podcast(server, "Changing", ("c", "Changes", "/ch.mp3", 5)))
    (item_id,) = ids_by_title().values()
    assert tidings("download", str(item_id)).returncode == 1  # cut off halfway
    (part,) = list(home.rglob("*.part"))
    kept = part.stat().st_size
    changing.body, changing.value = SHORT, new  # a new file behind the same address
    done = tidings("download", str(item_id))
    assert done.returncode == 0, done.stderr
    assert changing.seen == [("", ""), (f"bytes={kept}-", old)]
    (path,) = list(home.rglob("*.mp3"))
    assert path.read_bytes() == SHORT


def test_a_download_left_queued_resumes_when_tidings_download_starts(
    server: Loopback, home: Path
) -> None:
    """`tidings download` killed mid-file leaves its download queued with a .part; the next
    `tidings download` (with nothing else to do) takes it up with a Range request."""
    import os
    import signal
    import threading
    import time

    released = threading.Event()
    seen: list[str] = []

    def stalls(h: BaseHTTPRequestHandler) -> None:
        seen.append(h.headers.get("Range", ""))
        if len(seen) > 1:
            ranged(AUDIO)[0](h)  # type: ignore[operator]
            return
        h.send_response(200)
        h.send_header("Content-Type", "audio/mpeg")
        h.send_header("Content-Length", str(len(AUDIO)))
        h.end_headers()
        h.wfile.write(AUDIO[:300_000])
        h.wfile.flush()
        released.wait(30)  # the client is killed meanwhile

    server.route("/slow.mp3", stalls)
    subscribe(podcast(server, "Slow", ("s", "Slow one", "/slow.mp3", 6)))
    (item_id,) = ids_by_title().values()
    child = subprocess.Popen([sys.executable, "-m", "reader", "download", str(item_id)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=os.environ)  # fmt: skip
    try:
        for _ in range(400):  # until the first bytes are on disk
            parts = list(home.rglob("*.part"))
            if parts and parts[0].stat().st_size >= 100_000:  # written a chunk at a time
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the download never started")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        released.set()
    kept = parts[0].stat().st_size
    assert "queued" in tidings("downloads").stdout
    done = tidings("download")
    assert done.returncode == 0, done.stderr
    assert seen == ["", f"bytes={kept}-"]
    (path,) = list(home.rglob("*.mp3"))
    assert path.read_bytes() == AUDIO and not list(home.rglob("*.part"))
