"""Real-world feeds read fully through add -> refresh -> list -> show, as a person runs them,
against a real loopback server: a YouTube channel feed, a podcast with iTunes tags and
enclosures, and a GB2312 feed that names no encoding at all. Bad input later keeps what was
read, with a one-line error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.loopback import Loopback

FEEDS = Path(__file__).parent.parent / "data" / "feeds"


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=os.environ
    )


def ok(*args: str) -> str:
    done = tidings(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def subscribe(server: Loopback, path: str, name: str, content_type: str) -> list[dict[str, Any]]:
    """Serve a fixture, add it, refresh, and return its items as `list --json` has them."""
    url = server.serve(path, (FEEDS / name).read_bytes(), content_type=content_type)
    ok("add", url)
    report = json.loads(ok("refresh", "--json"))
    assert report["failed"] == 0
    rows: list[dict[str, Any]] = json.loads(ok("list", "--json", "--feed", url))
    return rows


def test_a_youtube_channel_reads_fully(server: Loopback) -> None:
    rows = subscribe(server, "/videos.xml", "variants/youtube.xml", "application/atom+xml")
    assert [r["title"] for r in rows] == [
        "禁毒宣传周 | Anti-drug week, day one",
        "Short: river festival 河灯节",
    ]
    assert rows[0]["link"] == "https://www.youtube.com/watch?v=AbCdEfGhIj1"
    shown = ok("show", str(rows[0]["id"]))
    assert "禁毒宣传周 | Anti-drug week, day one" in shown  # title
    assert "https://www.youtube.com/watch?v=AbCdEfGhIj1" in shown  # watch link
    assert "第一天：社区宣讲。\nDay one: talks in every neighbourhood." in shown  # description
    assert "[image: thumbnail][1]" in shown  # thumbnail, and where it is
    assert "[1] https://i2.ytimg.com/vi/AbCdEfGhIj1/hqdefault.jpg" in shown
    short = ok("show", str(rows[1]["id"]))
    assert "https://www.youtube.com/shorts/KlMnOpQrSt2" in short and "[image: thumbnail]" in short


def test_a_podcast_reads_fully(server: Loopback) -> None:
    rows = subscribe(server, "/podcast.xml", "variants/podcast.xml", "application/rss+xml")
    assert rows[0]["title"] == "第2期：河灯 Episode 2: River lanterns"
    assert rows[0]["author"] == "林夕 Lin Xi"
    shown = ok("show", str(rows[0]["id"]))
    assert "Show notes: lanterns on the river[2]. 河灯。" in shown  # the HTML description
    assert "• river-lanterns.mp3[3] · audio/mpeg · 31.0 MB · 1:02:05" in shown
    data = json.loads(ok("show", str(rows[0]["id"]), "--json"))
    assert data["enclosures"] == [
        {
            "url": "https://cdn.pod.example/2/river-lanterns.mp3",
            "type": "audio/mpeg",
            "length": 31_000_000,
            "duration": 3725,
        }
    ]
    assert "https://pod.example/2/art.jpg" in data["links"]  # the episode's image
    assert data["author"] == "林夕 Lin Xi" and data["title"] == rows[0]["title"]


def test_an_undeclared_gb2312_feed_reads_fully(server: Loopback) -> None:
    rows = subscribe(server, "/gb.xml", "undeclared/gb2312.xml", "application/rss+xml")
    assert rows[-1]["title"] == "咸宁市召开全市禁毒工作会议"
    feeds = json.loads(ok("feeds", "--json"))
    assert feeds[0]["title"] == "咸宁新闻网"
    shown = ok("show", str(rows[-1]["id"]))
    assert "会议总结了过去一年的禁毒工作，部署了今年的重点任务。" in shown
    assert "\ufffd" not in shown


def test_bad_input_later_keeps_the_items_with_a_one_line_error(server: Loopback) -> None:
    rows = subscribe(server, "/podcast.xml", "variants/podcast.xml", "application/rss+xml")
    bad_bodies = (b"<rss><channel><item><title>cut off", b"<html><body>moved</body></html>")
    for bad in (*bad_bodies, b"\xff\xfe\x00"):
        server.serve("/podcast.xml", bad, content_type="application/rss+xml")
        done = tidings("refresh", "--json")
        assert "Traceback" not in done.stderr
        again = json.loads(ok("list", "--json"))
        assert [r["id"] for r in again] == [r["id"] for r in rows]  # the old items stay
        error = json.loads(ok("feeds", "--json"))[0]["last_error"]
        assert done.returncode == 1 or error.startswith("ill-formed"), (bad, error)
        assert error and "\n" not in error
