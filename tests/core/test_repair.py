"""Mojibake is mended, correct text is never touched, and every feed text is normalised before
it is stored (both parsers); relative links in stored HTML are resolved in linear time."""

from __future__ import annotations

import time

import pytest

from reader.feeds.parse import parse_feed
from reader.feeds.repair import repair
from reader.feeds.urls import resolve_html
from tests.core.test_fastpath import both_ways

URL = "https://repair.example/feed.xml"
CORRECT = [
    "咸宁市召开全市禁毒工作会议，部署了今年的重点任务。",
    "東京都は今日、新しい交通計画を発表しました。",
    "서울시는 오늘 새로운 교통 계획을 발표했습니다.",
    "Правительство объявило о новом плане развития транспорта.",
    "Crème brûlée à la façon de grand-mère — naïve café, œuvre, Ærø, São Paulo, Łódź.",
    "Ä–Ö “quotes” ‘single’ … € ™ Ÿ © ® ° ± µ ¶ · ½ ¿",
    "مرحبا بالعالم",
    "emoji 🎉👩‍💻 and ZWJ/ZWNJ: می‌خواهم",
    "Â alone, or Ã at the end: Ã",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_left_byte_identical(text: str) -> None:
    assert repair(text).encode() == text.encode()


@pytest.mark.parametrize(
    ("broken", "mended"),
    [
        ("It\u00e2\u20ac\u2122s fine", "It’s fine"),  # UTF-8 read as windows-1252
        ("caf\u00c3\u00a9 au lait", "café au lait"),  # UTF-8 read as Latin-1
        ("Don\x92t panic", "Don’t panic"),  # windows-1252 quote left as a C1 control
        ("\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2", "’"),  # UTF-8 decoded twice
    ],
)
def test_classic_breakages_are_mended(broken: str, mended: str) -> None:
    assert repair(broken) == mended


def feed(title: str, body: str, encoding: str = "utf-8") -> bytes:
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><description>{body}</description><guid>1</guid></item>"
        "</channel></rss>"
    )
    return doc.encode(encoding, "xmlcharrefreplace")


@pytest.mark.parametrize(
    ("document", "title", "summary"),
    [
        (feed("It\u00e2\u20ac\u2122s here", "caf\u00c3\u00a9"), "It’s here", "café"),
        (feed("Don&#x92;t", "x"), "Don’t", "x"),
        (feed("Don\x92t", "It\x92s", "windows-1252"), "Don’t", "It’s"),
        (
            b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>T'
            b"</title><item><title>Don\x92t stop</title><description>caf\xe9</description>"
            b"<guid>1</guid></item></channel></rss>",
            "Don’t stop",
            "café",
        ),
        (
            feed("e\u0301clair", "soft\u00adhyphen zero\u200bwidth"),
            "éclair",
            "softhyphen zerowidth",
        ),
        (feed("咸宁 " * 3, "東京の天気 — Погода"), "咸宁 咸宁 咸宁", "東京の天気 — Погода"),
    ],
    ids=["twice-decoded", "c1-ref", "cp1252", "latin1-with-cp1252-quotes", "nfc", "cjk"],
)
def test_both_parsers_store_mended_normalised_text(
    document: bytes, title: str, summary: str
) -> None:
    item = parse_feed(document, {}, URL).items[0]
    assert (item.title, item.summary) == (title, summary)
    fast, lenient = both_ways(document, URL)
    assert fast == lenient


def test_resolving_links_in_hostile_html_takes_linear_time() -> None:
    started = time.monotonic()
    for html in ("<a " * 64_000 + "=", "<img x" + " " * 64_000 + "=" + "<a href=x>" * 5_000):
        out = resolve_html(html, "https://repair.example/dir/")
        assert out.count("<") == html.count("<")
    assert time.monotonic() - started < 5  # quadratic, this took minutes
