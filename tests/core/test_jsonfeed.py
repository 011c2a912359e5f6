"""JSON Feed 1.0 / 1.1 (reader.feeds.jsonfeed, reached through parse_feed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.feeds.parse import parse_feed
from reader.models import Enclosure

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
URL = "https://json.example.org/feeds/main.json"


def feed_of(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def test_json_feed_10() -> None:
    feed = parse_feed((FEEDS / "jsonfeed10.json").read_bytes(), {}, URL)
    assert (feed.format, feed.title, feed.site_url) == (
        "json10",
        "JSON 订阅 Feed 1.0",
        "https://json.example.org/",
    )
    numeric, external = feed.items
    assert numeric.key == "g:1001"  # a numeric id is coerced to a string
    assert numeric.author == "站长 Webmaster"  # the feed's 1.0 `author`, inherited
    assert numeric.content == "<p>第一条 <b>HTML</b> content</p>" and numeric.content_type == "html"
    assert numeric.published == 1763604000
    assert external.link == "https://elsewhere.example.com/story"  # external_url when no url
    assert external.author == "Guest 访客"
    assert external.content == "Plain text 纯文本 <not html>" and external.content_type == "text"
    assert external.published == external.updated == 1763683200  # only date_modified


def test_json_feed_11() -> None:
    feed = parse_feed((FEEDS / "jsonfeed11.json").read_bytes(), {}, URL)
    assert feed.format == "json11"
    attachments, summary_only, bad_date = feed.items  # the non-object and empty items are dropped
    assert attachments.link == "https://json.example.org/feeds/posts/a.html"
    assert attachments.enclosures == (
        Enclosure("https://json.example.org/feeds/media/a.mp3", "audio/mpeg"),
    )
    assert attachments.author == "刘洋 Liu Yang"  # the first author with a name
    assert attachments.summary == "<p>短摘要 short summary</p>"  # text summary beside HTML content
    assert (attachments.published, attachments.updated) == (1763805600, 1763892000)
    assert summary_only.author == "编辑部 Editors"  # the feed's 1.1 `authors`
    assert (summary_only.summary, summary_only.content) == ("Just a summary.", "")
    assert summary_only.content_type == "text"
    assert bad_date.published is None


def test_control_characters_survive_but_nul_and_lone_surrogates_do_not() -> None:
    feed = parse_feed((FEEDS / "ansi_escapes.json").read_bytes())
    assert feed.title == "ANSI \x1b[2J JSON"
    (item,) = feed.items
    assert item.title == "\x1b[31mRed 红色\x1b[0m [@click=app.quit]x[/]"
    assert "\x00" not in item.content and item.content.startswith("nulbyte and lone ")
    item.content.encode("utf-8")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "",
            "not a feed: invalid JSON",
        ),
        (
            b'{"title": "no version"}',
            "application/json",
            "not a feed: JSON without a JSON Feed version",
        ),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "", "not a feed: JSON nested too deeply"),
        (
            b'{"version": "https://jsonfeed.org/version/1", "n": ' + b"9" * 5000 + b"}",
            "",
            "not a feed: invalid JSON",
        ),
    ],
    ids=["truncated", "no-version", "deep-nesting", "huge-integer"],
)
def test_invalid_json_is_a_parse_error(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(body, {"content-type": content_type})
    assert str(caught.value).startswith(message)


def test_feed_json_content_type_without_version_is_accepted() -> None:
    body = feed_of({"title": "无版本 No version", "items": [{"id": "1", "content_text": "x"}]})
    feed = parse_feed(body, {"content-type": "application/feed+json"})
    assert feed.format == "json" and feed.items[0].key == "g:1"


def test_wrong_types_count_as_missing() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ["not", "a", "string"],
        "authors": "nobody",
        "items": [
            {"id": True, "url": 5, "title": "只有标题 Title only", "date_published": 20251126}
        ],
    }
    feed = parse_feed(feed_of(doc), {}, URL)
    (item,) = feed.items
    assert feed.title == "" and item.link == "" and item.author == "" and item.published is None
    assert item.key.startswith("h:")  # a boolean id is no id
