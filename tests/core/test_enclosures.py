"""Enclosures are data: read from every format, stored in order, rewritten when a feed changes
them, gone with their item, and brought to items stored before the table existed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.feeds.media import merge_enclosures, mime_type, parse_duration, parse_length
from reader.feeds.parse import parse_feed
from reader.models import Enclosure, ParsedFeed, ParsedItem
from reader.store import schema
from reader.store.db import Store

NOW = 1_800_000_000
MP3 = Enclosure("https://pod.example/ep1.mp3", "audio/mpeg", 31_000_000, 3725)
ART = Enclosure("https://pod.example/ep1.jpg", "image/jpeg")


def episode(key: str, *enclosures: Enclosure, title: str = "Episode") -> ParsedItem:
    return ParsedItem(
        key=key,
        title=title,
        link=f"https://pod.example/{key}",
        author="",
        published=NOW - 100,
        updated=None,
        summary="",
        content="",
        enclosures=enclosures,
    )


def feed_of(*items: ParsedItem) -> ParsedFeed:
    return ParsedFeed(title="Pod", site_url="https://pod.example/", items=items, format="rss20")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def test_durations_lengths_and_types() -> None:
    assert [parse_duration(v) for v in ("3600", "61:05", "1:01:05", "1:01:05.9", "93.2")] == [
        3600,
        3665,
        3665,
        3665,
        93,
    ]
    assert [parse_duration(v) for v in ("", "0", "abc", "1:2:3:4", "-5", "9" * 40)] == [None] * 6
    assert [parse_length(v) for v in ("31000000", "0", "", "12.5", "-3", "9" * 30)] == [
        31_000_000,
        None,
        None,
        None,
        None,
        None,
    ]
    assert mime_type(" Audio/MPEG; charset=x ") == "audio/mpeg"
    assert mime_type("not a type") == mime_type("") == ""


def test_merged_by_url_with_the_episode_duration_on_the_first_media_file() -> None:
    same = Enclosure(MP3.url, "", 31_000_000, None)
    merged = merge_enclosures([ART, same, None, Enclosure(MP3.url, "audio/mpeg")], 3725)
    assert merged == [ART, MP3]


def test_an_rss_podcast_enclosure_has_type_length_and_duration() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"
      xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title>
      <item><title>Ep 1 \xe7\xac\xac\xe4\xb8\x80\xe9\x9b\x86</title><guid>ep1</guid>
      <enclosure url="ep1.mp3" length="31000000" type="audio/mpeg"/>
      <itunes:duration>1:02:05</itunes:duration></item></channel></rss>"""
    (item,) = parse_feed(body, {}, "https://pod.example/feed.xml").items
    assert item.enclosures == (MP3,)


def test_stored_in_order_and_read_back(store: Store) -> None:
    feed, _ = store.add_feed("https://pod.example/feed.xml")
    store.store_parsed(feed.id, feed_of(episode("e1", MP3, ART), episode("e2")), now=NOW)
    one, two = sorted(store.headlines(), key=lambda h: h.title + h.link)
    assert store.enclosures(one.id) == (MP3, ART)
    assert store.enclosures(two.id) == ()
    got = store.item(one.id)
    assert got is not None and got.enclosures == (MP3, ART)
    assert store.enclosures(99_999) == ()


def test_a_feed_that_changes_an_enclosure_rewrites_them(store: Store) -> None:
    feed, _ = store.add_feed("https://pod.example/feed.xml")
    store.store_parsed(feed.id, feed_of(episode("e1", MP3, ART)), now=NOW)
    (head,) = store.headlines()
    fixed = Enclosure(MP3.url, MP3.type, 32_000_000, MP3.duration)
    store.store_parsed(feed.id, feed_of(episode("e1", fixed)), now=NOW + 60)
    assert store.enclosures(head.id) == (fixed,)


def test_enclosures_go_with_their_item(store: Store) -> None:
    feed, _ = store.add_feed("https://pod.example/feed.xml")
    store.store_parsed(feed.id, feed_of(episode("e1", MP3)), now=NOW)
    (head,) = store.headlines()
    store.remove_feed(feed.url)
    assert store.enclosures(head.id) == ()
    left = store.conn.execute("SELECT count(*) FROM enclosures").fetchone()[0]
    assert left == 0


def test_items_stored_before_the_table_get_theirs_on_the_next_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = next(
        n for n, m in enumerate(schema.MIGRATIONS) if any(" enclosures (" in sql for sql in m)
    )
    older = schema.MIGRATIONS[:step]
    with monkeypatch.context() as patch:  # a store written by the tidings before enclosures
        patch.setattr(schema, "MIGRATIONS", older)
        patch.setattr(schema, "LATEST", len(older))
        with Store.open(tmp_path / "t.db") as old:  # written with that tidings's own SQL
            feed_id = old.conn.execute(
                "INSERT INTO feeds (url, added) VALUES ('https://pod.example/feed.xml', ?)", (NOW,)
            ).lastrowid
            old.conn.execute(
                "INSERT INTO items (feed_id, key, hash, published, first_seen, title, link)"
                " VALUES (?, 'e1', ?, ?, ?, 'Episode', 'https://pod.example/e1')",
                (feed_id, "digest-without-enclosures", NOW, NOW),
            )
            old.conn.commit()
    with Store.open(tmp_path / "t.db") as store:
        (head,) = store.headlines()
        assert store.enclosures(head.id) == ()
        assert feed_id is not None
        store.store_parsed(feed_id, feed_of(episode("e1", MP3)), now=NOW + 60)
        assert [h.id for h in store.headlines()] == [head.id]
        assert store.enclosures(head.id) == (MP3,)


MEDIA_RSS = b"""<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
  xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"><channel><title>V</title>
  <item><title>Clip</title><guid>c1</guid>
  <media:group><media:content url="https://cdn.example/c1.mp4" type="video/mp4" fileSize="900"
    duration="93.5"/><media:content url="https://cdn.example/c1.webm" type="video/webm"/>
  </media:group><media:content url="/c1.jpg" medium="image"/>
  <enclosure url="https://cdn.example/c1.webm" length="700" type="video/webm"/>
  <itunes:duration>94</itunes:duration></item></channel></rss>"""


def test_media_rss_content_is_an_enclosure_on_both_parsers() -> None:
    from reader.feeds.parse import _parse_fast, _parse_feedparser

    url = "https://cdn.example/feed.xml"
    fast, lenient = _parse_fast(MEDIA_RSS, url), _parse_feedparser(MEDIA_RSS, {}, url)
    assert (
        fast.items[0].enclosures
        == lenient.items[0].enclosures
        == (
            Enclosure("https://cdn.example/c1.webm", "video/webm", 700, 94),
            Enclosure("https://cdn.example/c1.mp4", "video/mp4", 900, 93),
            Enclosure("https://cdn.example/c1.jpg"),
        )
    )


def test_show_lists_them_and_show_json_has_fields_text_links_and_enclosures(
    tidings_home: Path,
) -> None:
    import json
    import os
    import subprocess
    import sys

    ep = ParsedItem(
        "g:ep1", "第一集 Episode 1", "https://pod.example/ep1", "主持人 Host", NOW, None, "",
        '<p>Show notes 节目说明 <a href="https://pod.example/notes">notes</a></p>',
        enclosures=(MP3, ART, Enclosure("ftp://pod.example/raw.wav")),
    )  # fmt: skip
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        feed, _ = store.add_feed("https://pod.example/feed.xml", title="Pod 播客")
        store.store_parsed(feed.id, feed_of(ep), now=NOW)
        (head,) = store.headlines()

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "reader", "show", str(head.id), *args],
            capture_output=True, text=True, env=os.environ, check=True,
        )  # fmt: skip
        return done.stdout

    shown = run()
    assert "Enclosures\n----------" in shown
    assert "• ep1.mp3[2] · audio/mpeg · 31.0 MB · 1:02:05" in shown
    assert "• ep1.jpg[3] · image/jpeg" in shown
    assert "• ftp://pod.example/raw.wav\n" in shown
    assert "[2] https://pod.example/ep1.mp3" in shown
    data = json.loads(run("--json"))
    assert data["id"] == head.id and data["title"] == "第一集 Episode 1"
    assert data["feed"] == "https://pod.example/feed.xml" and data["author"] == "主持人 Host"
    assert data["text"] == "Show notes 节目说明 notes"
    assert data["links"] == ["https://pod.example/notes"]
    assert data["content_type"] == "html" and data["has_full_text"] is False
    assert data["enclosures"] == [
        {"url": MP3.url, "type": "audio/mpeg", "length": 31_000_000, "duration": 3725},
        {"url": ART.url, "type": "image/jpeg", "length": None, "duration": None},
        {"url": "ftp://pod.example/raw.wav", "type": "", "length": None, "duration": None},
    ]
