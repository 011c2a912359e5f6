"""Feeds that name no encoding at all (no BOM, no HTTP charset, no XML declaration) in the
legacy encodings of Chinese, Japanese, Korean and Russian: detected from the bytes, helped by the
language the feed declares; short texts too, where detectors alone guess wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.feeds.charset import declared_language, decode_bytes, detect_encoding, xml_to_utf8
from reader.feeds.parse import parse_feed

UNDECLARED = Path(__file__).parent.parent / "data" / "feeds" / "undeclared"
FIXTURES = [
    ("gb2312.xml", "gb2312", "咸宁市召开全市禁毒工作会议"),
    ("gbk.xml", "gbk", "朱镕基旧居修缮完成"),
    ("big5.xml", "big5", "臺北市政府宣布捷運延長營運"),
    ("shift_jis.xml", "shift_jis", "東京都が新しい交通計画を発表"),
    ("euc_kr.xml", "euc_kr", "서울시 새 교통 계획 발표"),
    ("windows1251.xml", "cp1251", "Правительство объявило новый план развития транспорта"),
]


@pytest.mark.parametrize(("name", "codec", "first"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_undeclared_feeds_read_right(name: str, codec: str, first: str) -> None:
    body = (UNDECLARED / name).read_bytes()
    assert b"encoding=" not in body and b"<language>" not in body
    feed = parse_feed(body, {"content-type": "application/rss+xml"}, "http://news.example/f")
    assert feed.items[0].title == first
    assert not feed.warning  # nothing replaced
    expected = body.decode(codec)  # the text as its author wrote it, every item
    for item in feed.items:
        assert item.title in expected and item.summary in expected and item.summary


SHORT = [
    ("zh-cn", "gb2312", "禁毒会议"),
    ("zh-tw", "big5", "臺北捷運"),
    ("ja", "shift_jis", "東京の天気"),
    ("ko", "euc_kr", "서울 날씨"),
    ("ru", "cp1251", "Мир"),
    ("uk", "cp1251", "Київ"),
]


def short_feed(title: str, codec: str, language: str = "") -> bytes:
    lang = f"<language>{language}</language>" if language else ""
    doc = f'<rss version="2.0"><channel><title>x</title>{lang}<item><title>{title}</title></item></channel></rss>'
    return doc.encode(codec)


@pytest.mark.parametrize(("language", "codec", "title"), SHORT, ids=[s[0] for s in SHORT])
def test_short_texts_read_right_with_the_language_the_feed_declares(
    language: str, codec: str, title: str
) -> None:
    body = short_feed(title, codec, language)
    assert parse_feed(body, {}, "http://x.example/").items[0].title == title
    bare = short_feed(title, codec)  # the language from HTTP instead
    by_header = parse_feed(bare, {"content-language": language}, "http://x.example/")
    assert by_header.items[0].title == title


@pytest.mark.parametrize(
    ("codec", "title"),
    [
        ("gb2312", "咸宁市严厉禁毒，温情戒毒。"),
        ("shift_jis", "東京都は今日、新しい交通"),
        ("big5", "臺北市政府今天宣布"),
        ("euc_kr", "서울시는 오늘 새로운"),
        ("cp1251", "Правительство объявило о новом"),
    ],
)
def test_one_short_line_without_a_language_is_still_read_right(codec: str, title: str) -> None:
    """On a dozen CJK characters the detector alone ranks a Latin or Cyrillic code page first
    (koi8-u, windows-1250); a CJK encoding close behind it is preferred. (On three or four
    characters without a declared language no detector can tell; those feeds need the hint.)"""
    assert parse_feed(short_feed(title, codec), {}, "http://x.example/").items[0].title == title


def test_the_declared_language_is_found_in_feeds_and_pages() -> None:
    assert declared_language(b"<rss><channel><language>zh-TW</language>") == "zh-tw"
    assert declared_language(b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">') == "ja"
    assert declared_language(b"<rss><channel><dc:language>ru</dc:language>") == "ru"
    assert declared_language(b'<html lang="ko-KR"><head>') == "ko-kr"
    assert declared_language(b"<rss/>", "zh-CN, en;q=0.5") == "zh-cn"
    assert declared_language(b"<rss/>") == ""


def test_detection_never_overrides_a_label_or_valid_utf8() -> None:
    text = "咸宁新闻 Xianning"
    assert decode_bytes(text.encode()).encoding == "utf-8"
    gbk = text.encode("gbk")
    assert decode_bytes(gbk, ["big5"]).encoding == "big5hkscs"  # labelled: the label rules
    assert xml_to_utf8(b'<?xml version="1.0" encoding="gbk"?><a>' + gbk + b"</a>").encoding == (
        "gb18030"
    )
    assert detect_encoding((UNDECLARED / "gbk.xml").read_bytes()) == "gb18030"


def test_an_unlabelled_latin_text_stays_windows_1252() -> None:
    decoded = decode_bytes("Crème brûlée à la façon de grand-mère — naïve café".encode("cp1252"))
    assert decoded.encoding == "cp1252" and decoded.text.startswith("Crème brûlée")
