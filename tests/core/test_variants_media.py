"""Podcast show notes, YouTube's Flash embed and enclosure URLs: what is stored, read the same
by both parse paths (the fast path's one-pass reader, its general replay, and feedparser), and
what `tidings show` prints of it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.feeds import simple
from reader.feeds.charset import xml_to_utf8
from reader.feeds.parse import _parse_fast, _parse_feedparser, parse_feed
from reader.feeds.urls import document_base
from reader.models import Enclosure, ParsedFeed
from reader.store.db import Store

VARIANTS = Path(__file__).parent.parent / "data" / "feeds" / "variants"
URL = "https://feeds.example/dir/feed.xml"
NOW = 1_800_000_000


def _never(*_: object) -> None:
    raise simple._NotSimple


def read_all_ways(name: str | bytes, headers: dict[str, str] | None = None) -> ParsedFeed:
    """The fixture (or document) as `parse_feed` reads it (by the fast path), after checking
    that the general replay and feedparser read every stored field the same."""
    headers = headers or {}
    document = (VARIANTS / name).read_bytes() if isinstance(name, str) else name
    body = xml_to_utf8(document).body
    base = document_base(URL, headers.get("content-location", ""))
    fast = parse_feed(document, headers, URL)
    assert not fast.format.startswith("feedparser"), fast.format
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(simple, "_read", _never)
        general = _parse_fast(body, base)
    lenient = _parse_feedparser(body, headers, base)
    assert _stored(fast) == _stored(general) == _stored(lenient)
    return fast


def _stored(feed: ParsedFeed) -> dict[str, Any]:
    fields = dataclasses.asdict(feed)
    return {k: v for k, v in fields.items() if k not in ("format", "warning")}


def show(home: Path, feed: ParsedFeed, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str]]:
    """(id, what `tidings show ID` prints) for each item of `feed` in document order, stored
    as a refresh stores it (the last item first: it gets the lowest id)."""
    with Store.open(home / "data" / "tidings.db") as store:
        stored, _ = store.add_feed(URL)
        store.store_parsed(stored.id, feed, now=NOW)
        ids = sorted((h.id for h in store.headlines()), reverse=True)
    printed = []
    for item_id in ids:
        capsys.readouterr()
        assert main(["show", str(item_id)]) == 0
        printed.append((item_id, capsys.readouterr().out))
    return printed


def show_json(item_id: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["show", str(item_id), "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


# --- 1. the HTML description shows, not the plain itunes:summary ---------------------------


def test_the_html_description_shows_rather_than_the_plain_itunes_summary(
    tidings_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = read_all_ways("podcast_notes.xml")
    first, second, only_summary, only_subtitle, longer = feed.items
    # description then itunes:summary (feedparser makes the second its content): the HTML
    assert first.content_type == "html"
    assert first.content.startswith('<p>In this episode: <a href="https://feeds.example/guests/li"')
    assert first.summary == "<p>In this episode: Li Lei on river lanterns.</p>"
    # the other order reads the same way, in Chinese too
    assert second.content == '<p>本期：<a href="https://notes.example/wang">王芳</a>谈河灯。</p>'
    assert second.summary == "<p>本期：王芳谈河灯。</p>"
    # nothing else: the itunes:summary (its lines kept), else the subtitle
    assert (only_summary.summary, only_summary.content_type) == (
        "First line of the summary.\nSecond line 第二行.",
        "text",
    )
    assert only_subtitle.summary == "Just the subtitle 副标题."
    # a plain itunes:summary that says clearly more than a one-line description wins
    assert longer.content.startswith("<p>Episode 5 is about the lantern makers of Xianning")
    assert longer.summary == "Episode 5."
    ids, printed = zip(*show(tidings_home, feed, capsys), strict=True)
    assert "In this episode: Li Lei[1] on river lanterns." in printed[0]
    assert "• 00:00 Intro\n• 12:30 The map[2]" in printed[0]
    assert "[1] https://feeds.example/guests/li" in printed[0]
    assert "本期：王芳[1]谈河灯。" in printed[1]
    assert "First line of the summary.\nSecond line 第二行." in printed[2]
    assert "Just the subtitle 副标题." in printed[3]
    assert "why the festival moved to the river." in printed[4]
    assert show_json(ids[0], capsys)["text"].startswith(
        "In this episode: Li Lei on river lanterns."
    )


def test_an_atom_html_summary_shows_rather_than_a_shorter_text_content() -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:a:1</id>'
        '<title>Both</title><summary type="html">&lt;p&gt;The &lt;b&gt;whole&lt;/b&gt; '
        "story 全文, with markup.&lt;/p&gt;</summary><content>The whole story.</content>"
        "</entry></feed>"
    ).encode()
    (item,) = parse_feed(atom, {}, URL).items
    assert item.content == "<p>The <b>whole</b> story 全文, with markup.</p>"
    assert item.summary == "<p>The whole story.</p>"


# --- 2. YouTube: the Flash embed is no enclosure; title, description, thumbnail, link stay --


def test_youtube_flash_embeds_are_not_enclosures(
    tidings_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = read_all_ways("youtube.xml")
    assert [item.enclosures for item in feed.items] == [(), ()]
    (video_id, video), (_, short) = show(tidings_home, feed, capsys)
    assert video.startswith("禁毒宣传周 | Anti-drug week, day one\n咸宁频道 Xianning Channel")
    assert "\nhttps://www.youtube.com/watch?v=AbCdEfGhIj1\n" in video  # the watch link
    assert "[image: thumbnail][1]" in video
    assert "[1] https://i2.ytimg.com/vi/AbCdEfGhIj1/hqdefault.jpg" in video
    assert "Day one: talks in every neighbourhood." in video
    assert "Enclosures" not in video and "shockwave" not in video and "/v/" not in video
    assert "\nhttps://www.youtube.com/shorts/KlMnOpQrSt2\n" in short
    assert "[1] https://i3.ytimg.com/vi/KlMnOpQrSt2/hqdefault.jpg" in short
    assert show_json(video_id, capsys)["enclosures"] == []


def test_a_video_without_a_link_gets_its_watch_page_from_the_flash_embed() -> None:
    body = (VARIANTS / "youtube.xml").read_bytes()
    body = body.replace(
        b'<link rel="alternate" href="https://www.youtube.com/watch?v=AbCdEfGhIj1"/>', b""
    )
    body = body.replace(
        b'<link rel="alternate" href="https://www.youtube.com/shorts/KlMnOpQrSt2"/>', b""
    )
    body = body.replace(b"https://www.youtube.com/v/KlMnOpQrSt2", b"https://video.example/p.swf")
    video, other = read_all_ways(body).items
    assert video.link == "https://www.youtube.com/watch?v=AbCdEfGhIj1"
    assert other.link == "https://video.example/p.swf?version=3"  # another player: itself
    assert video.enclosures == other.enclosures == ()


# --- 3. enclosure URLs resolve like links; anything but http(s) is dropped -----------------


def test_relative_enclosures_resolve_against_xml_base(
    tidings_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = read_all_ways("enclosures_base_rss20.xml")
    item_base, channel_base, own_base, javascript_base, unsafe = feed.items
    assert item_base.enclosures == (
        Enclosure("https://cdn.base.example/shows/2025/ep1.mp3", "audio/mpeg", 1000),
        Enclosure("https://cdn.base.example/video/ep1.mp4", "video/mp4", None, 61),
    )
    assert channel_base.enclosures == (
        Enclosure("https://cdn.base.example/shows/ep2.mp3", "audio/mpeg"),
    )
    assert own_base.enclosures == (Enclosure("https://other.example/a/ep3.ogg", "audio/ogg"),)
    assert javascript_base.enclosures == (  # the item's javascript: base is ignored
        Enclosure("https://cdn.base.example/shows/ep4.mp3", "audio/mpeg"),
    )
    assert unsafe.enclosures == (Enclosure("https://cdn.base.example/ep5.mp3", "audio/mpeg"),)
    ids, printed = zip(*show(tidings_home, feed, capsys), strict=True)
    assert "• ep1.mp3[1] · audio/mpeg · 1.0 KB" in printed[0]
    assert "[1] https://cdn.base.example/shows/2025/ep1.mp3" in printed[0]
    assert "[2] https://cdn.base.example/video/ep1.mp4" in printed[0]
    assert "javascript" not in printed[4] and "data:" not in printed[4]
    assert "ftp:" not in printed[4] and "file:" not in printed[4]
    assert [e["url"] for e in show_json(ids[4], capsys)["enclosures"]] == [
        "https://cdn.base.example/ep5.mp3"
    ]


def test_atom_enclosures_resolve_against_xml_base_and_unsafe_ones_go() -> None:
    entry, unsafe = read_all_ways("enclosures_base_atom.xml").items
    assert entry.link == "https://atom.example/podcast/ep/one.html"
    assert entry.enclosures == (
        Enclosure("https://atom.example/podcast/ep/one.ogg", "audio/ogg", 2000),
        Enclosure("https://atom.example/podcast/ep/one.webm", "video/webm"),
    )
    assert unsafe.enclosures == (Enclosure("https://atom.example/podcast/two.mp3", "audio/mpeg"),)


def test_relative_enclosures_resolve_against_content_location() -> None:
    (item,) = read_all_ways("enclosures_relative_rss20.xml").items
    assert item.enclosures == (
        Enclosure("https://feeds.example/dir/media/ep.mp3", "audio/mpeg", 5000),
        Enclosure("https://feeds.example/video/ep.mp4", "video/mp4"),
    )
    located = read_all_ways("enclosures_relative_rss20.xml", {"content-location": "/m/feed.xml"})
    assert [e.url for e in located.items[0].enclosures] == [
        "https://feeds.example/m/media/ep.mp3",
        "https://feeds.example/video/ep.mp4",
    ]
    unsafe = read_all_ways(
        "enclosures_relative_rss20.xml", {"content-location": "javascript:alert(1)"}
    )
    assert unsafe.items[0].enclosures == item.enclosures  # a javascript: location is ignored


def test_an_item_without_guid_or_link_keeps_its_identity_when_its_html_shows() -> None:
    """Its key is made of its title and text; the text it was keyed by before the HTML
    description was preferred (the plain itunes:summary, as HTML) still makes it, so a refresh
    after the upgrade finds the stored item rather than adding it again."""
    body = (
        (VARIANTS / "podcast_notes.xml")
        .read_bytes()
        .replace(b'<guid isPermaLink="false">notes-1</guid>', b"")
    )
    item = parse_feed(body, {}, URL).items[0]
    assert item.content.startswith("<p>In this episode: <a href=")  # the HTML shows
    kept_by = f"{item.title}\x1f<p>In this episode: Li Lei on river lanterns.</p>".encode()
    assert item.key == "h:" + hashlib.sha1(kept_by).hexdigest()[:16]
