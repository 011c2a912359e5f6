"""OPML and newsboat urls import/export (reader.feeds.opml) on real fixture files."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from reader.errors import UsageError
from reader.feeds.opml import (
    MAX_WARNINGS,
    ImportResult,
    parse_opml,
    parse_urls,
    read_subscriptions,
    write_opml,
)
from reader.models import Subscription as Sub

DATA = Path(__file__).parent.parent / "data" / "subscriptions"


def read(name: str) -> ImportResult:
    return read_subscriptions((DATA / name).read_bytes(), source=name)


# --- OPML import ---------------------------------------------------------------------------


def test_nested_opml2_folders_become_tags_outermost_first() -> None:
    result = read("inoreader_nested.opml")
    assert result.subscriptions == (
        Sub(
            "https://news.ycombinator.com/rss",
            "Hacker News",
            ("News", "Tech", "博客"),  # listed in two folders: merged, tags united
            "https://news.ycombinator.com/",
        ),
        Sub("https://sspai.com/feed", "少数派", ("News", "Tech"), "https://sspai.com"),
        Sub(
            "https://feeds.bbci.co.uk/zhongwen/simp/rss.xml",
            "BBC News 中文",
            ("News",),
            "https://www.bbc.com/zhongwen/simp",
        ),
        Sub(
            "https://www.ruanyifeng.com/blog/atom.xml",
            "阮一峰的网络日志",
            ("博客",),
            "https://www.ruanyifeng.com/blog/",
        ),
        Sub(
            "https://example.com/tj?a=1&b=2",
            'Tom & Jerry <3 "quotes"',
            ("博客",),
            "https://example.com/",
        ),
        Sub("https://example.com/feed.xml", "Loose feed"),
    )
    assert result.warnings == ()


def test_opml1_feedly_style_with_lowercase_attributes_and_link_outline() -> None:
    result = read("feedly_v1.opml")
    assert result.subscriptions == (
        Sub(
            "https://alistapart.com/main/feed/",
            "A List Apart",
            ("Design",),
            "https://alistapart.com",
        ),
        Sub(
            "https://www.smashingmagazine.com/feed/",
            "Smashing Magazine",
            ("Design",),
            "https://www.smashingmagazine.com",
        ),
        Sub("https://www.caixin.com/rss/all.xml", "财新网", ("财经",), "https://www.caixin.com/"),
        Sub("https://lwn.net/headlines/rss", ""),  # text was only the URL: no title
    )
    assert result.warnings == (
        'feedly_v1.opml: line 16: skipped "https://example.com/": not a feed (no xmlUrl)',
    )


def test_outline_text_is_the_title_then_title_attribute() -> None:
    doc = b"""<opml version="2.0"><body>
    <outline text="My name" title="Feed's own title" xmlUrl="https://a.example/"/>
    <outline text="" title="Only title" xmlUrl="https://b.example/"/>
    <outline text="https://c.example/" title="URL as text" xmlUrl="https://c.example/"/>
    <outline text="  " xmlUrl="https://d.example/"/>
    </body></opml>"""
    assert [s.title for s in parse_opml(doc).subscriptions] == [
        "My name",
        "Only title",
        "URL as text",
        "",
    ]


def test_category_attribute_paths_and_escapes() -> None:
    result = read("category.opml")
    assert [(s.url, s.tags) for s in result.subscriptions] == [
        ("http://scripting.com/rss.xml", ("Boston", "Weather", "Harvard", "Berkman")),
        ("https://lwn.net/headlines/rss", ("linux", "kernel", "news")),
        # folder first, then the category's segments, the folder's repeat dropped
        ("https://www.example.cn/nfrb.xml", ("地方新闻", "广东", "广州", "要闻")),
        ("https://example.org/escaped.xml", ("a,b", "c/d", "100%", "50%off")),
        ("https://example.org/blank.xml", ()),
    ]


def test_only_http_and_https_feeds_are_imported() -> None:
    result = read("non_http.opml")
    assert result.subscriptions == (
        Sub("https://good.example.com/feed.xml", "Good"),  # javascript: htmlUrl dropped
        Sub("HTTP://Example.COM/Upper.xml", "Upper case"),
        Sub("https://例子.中国/新闻/rss.xml", "中文路径"),
    )
    assert result.warnings == (
        'non_http.opml: line 6: skipped "file:///etc/passwd": not an http/https URL',
        'non_http.opml: line 7: skipped "javascript:alert(document.cookie)": not an http/https URL',
        'non_http.opml: line 8: skipped "feed://example.com/rss": not an http/https URL',
        'non_http.opml: line 9: skipped "data:application/rss+xml;base64,PHJzcy8+": '
        "not an http/https URL",
        'non_http.opml: line 10: skipped "/relative/feed.xml": not an http/https URL',
        'non_http.opml: line 11: skipped "ftp://ftp.example.com/feed.xml": not an http/https URL',
        'non_http.opml: line 12: skipped "http://": no host in URL',
        'non_http.opml: line 13: skipped "https://example.com/a feed.xml": '
        "not a valid URL (contains spaces or control characters)",
        'non_http.opml: line 14: skipped "": no URL',
    )


def test_malformed_opml_recovers_what_it_can() -> None:
    result = read("malformed.opml")
    assert [s.url for s in result.subscriptions] == [
        "https://one.example.com/feed",
        "https://two.example.com/feed",
        "https://three.example.com/feed",
    ]
    assert all(s.tags == ("Folder",) for s in result.subscriptions)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("malformed.opml: the XML is ill-formed")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ((DATA / "not_opml.xml").read_bytes(), "the root element is <rss>"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "the root element is <html>"),
        (b"<?xml version='1.0'?>", "no XML element found"),
        (b"   <", "no XML element found"),
    ],
)
def test_not_opml_is_one_usage_error_line(data: bytes, reason: str) -> None:
    with pytest.raises(UsageError) as info:
        read_subscriptions(data, source="subs.opml")
    message = str(info.value)
    assert message.startswith("subs.opml: not an OPML file: ")
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize("name", ["billion_laughs.opml", "xxe.opml"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_entity_declarations_are_refused_unexpanded(name: str, encoding: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    started = time.monotonic()
    with pytest.raises(UsageError, match="declares XML entities") as info:
        parse_opml(text.encode(encoding), source=name)
    assert time.monotonic() - started < 2
    assert "root:" not in str(info.value)  # nothing of /etc/passwd
    assert len(str(info.value)) < 200


def test_opml_in_utf16_and_with_bom_and_namespaces() -> None:
    doc = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<opml xmlns="http://opml.org/spec2" '
        'version="2.0"><body><outline text="中文" xmlUrl="https://a.example/f"/></body></opml>'
    )
    expected = (Sub("https://a.example/f", "中文"),)
    assert read_subscriptions(doc.encode("utf-16")).subscriptions == expected
    utf8 = b"\xef\xbb\xbf" + doc.replace("UTF-16", "UTF-8").encode()
    assert read_subscriptions(utf8).subscriptions == expected


# --- newsboat urls -------------------------------------------------------------------------


def test_newsboat_urls_file() -> None:
    result = read("newsboat_urls")
    assert result.subscriptions == (
        Sub("https://news.ycombinator.com/rss", "", ("tech", "news letter", "dup")),
        Sub("https://sspai.com/feed", "少数派", ("科技", "中文")),
        Sub("http://www.ruanyifeng.com/blog/atom.xml", "阮一峰的网络日志", ("博客", "hidden tag")),
        Sub("https://example.org/feed.xml", "", ("unbalanced tag",)),
        Sub("https://lwn.net/headlines/rss", 'LWN "headlines"'),  # a bare "!" is no tag
        Sub("https://example.com/page#section", "", ("frag",)),
    )
    assert result.warnings == (
        "newsboat_urls: line 7: skipped a newsboat query: feed (tidings reads only URLs)",
        "newsboat_urls: line 8: skipped a newsboat exec: feed (tidings reads only URLs)",
        "newsboat_urls: line 9: skipped a newsboat filter: feed (tidings reads only URLs)",
        "newsboat_urls: line 10: unbalanced quote, read to the end of the line",
        'newsboat_urls: line 11: skipped "file:///etc/passwd": not an http/https URL',
    )


def test_newsboat_crlf_bom_and_stray_bytes() -> None:
    data = '\ufeffhttps://a.example/rss "新闻"\r\n\r\n# c\r\nhttps://b.example/rss\r\n'.encode()
    result = read_subscriptions(data + b'https://c.example/\xff\xfe "x"\n')
    assert result.subscriptions == (
        Sub("https://a.example/rss", "", ("新闻",)),
        Sub("https://b.example/rss"),
        Sub("https://c.example/\ufffd\ufffd", "", ("x",)),
    )


def test_warnings_are_one_line_escaped_and_capped() -> None:
    text = "\n".join(f"gopher://x{i}/\u202e\x1b[2J" for i in range(MAX_WARNINGS + 5))
    result = parse_urls(text + "\nhttps://ok.example/ x", source="u")
    assert len(result.warnings) == MAX_WARNINGS + 1
    assert result.warnings[0] == (
        'u: line 1: skipped "gopher://x0/\\u202e\\x1b[2J": '
        "not a valid URL (contains spaces or control characters)"
    )
    assert result.warnings[-1] == "u: 5 more warnings not shown"
    assert all("\u202e" not in w and "\x1b" not in w for w in result.warnings)
    assert result.subscriptions == (Sub("https://ok.example/", "", ("x",)),)


def test_long_values_are_clipped_in_warnings() -> None:
    result = parse_urls("ftp://" + "长" * 500 + "\n", source="u")
    assert result.warnings == (
        'u: line 1: skipped "ftp://' + "长" * 74 + '…": not an http/https URL',
    )


def test_opml_skips_url_lines_and_vice_versa() -> None:
    # an urls file never starts with "<"; a feed URL line is not XML
    assert read_subscriptions(b"\n  https://x.example/feed\n").subscriptions == (
        Sub("https://x.example/feed"),
    )
    assert read_subscriptions(b"").subscriptions == ()


# --- OPML export ---------------------------------------------------------------------------

TRICKY = (
    Sub("https://a.example/feed?x=1&y=<2>", 'Tom & "Jerry" <b>', ("a,b", "c/d", "100%25"), ""),
    Sub("https://b.example/rss", "新闻联播 📺", ("新闻", "中文/English"), "https://b.example/"),
    Sub("https://c.example/atom", "", (), ""),
    Sub("https://d.example/self", "https://d.example/self", ("新闻",), ""),
    Sub("https://e.example/tabs", "line\nbreak\tand\rreturn", ("'single'", "emoji 🎉"), ""),
)


def test_write_opml_is_well_formed_opml2() -> None:
    when = datetime(2024, 5, 18, 8, 30, tzinfo=UTC)
    text = write_opml(TRICKY, title="我的 <订阅> & more", created=when)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    root = etree.fromstring(text.encode())  # strict parser: raises on anything ill-formed
    assert root.findtext("head/title") == "我的 <订阅> & more"
    assert root.findtext("head/dateCreated") == "Sat, 18 May 2024 08:30:00 GMT"
    body = root.find("body")
    assert body is not None
    folders = [(o.get("text"), len(o)) for o in body]
    assert folders == [("a,b", 1), ("新闻", 2), ("https://c.example/atom", 0), ("'single'", 1)]
    first = body[0][0]
    assert dict(first.items()) == {
        "type": "rss",
        "text": 'Tom & "Jerry" <b>',
        "title": 'Tom & "Jerry" <b>',
        "xmlUrl": "https://a.example/feed?x=1&y=<2>",
        "category": "a%2Cb,c%2Fd,100%2525",
    }
    untitled = body[2]
    assert dict(untitled.items()) == {
        "type": "rss",
        "text": "https://c.example/atom",
        "xmlUrl": "https://c.example/atom",
    }


def test_round_trip_of_tricky_subscriptions() -> None:
    back = parse_opml(write_opml(TRICKY).encode())
    assert back.warnings == ()
    assert set(back.subscriptions) == set(TRICKY)


def test_round_trip_keeps_order_when_grouped_by_first_tag() -> None:
    subs = [
        Sub("https://1.example/", "一", ("x",)),
        Sub("https://2.example/", "二", ("x", "y")),
        Sub("https://3.example/", "三", ("y",)),
        Sub("https://4.example/", "四"),
    ]
    assert list(parse_opml(write_opml(subs).encode()).subscriptions) == subs


def test_write_opml_drops_characters_xml_cannot_hold() -> None:
    subs = [Sub("https://a.example/", "bell\x07 and nul\x00", ("tag\x1b",))]
    back = parse_opml(write_opml(subs).encode()).subscriptions
    assert back == (Sub("https://a.example/", "bell and nul", ("tag",)),)


PIECES = [
    *"abcxyz0123",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    *"&<>\"',/%;=?#~!",
    "%2C",
    "%2F",
    "%25",
    "&amp;",
    "]]>",
    "新闻",
    "中文",
    "摘要",
    "广州",
    "🎉",
    "📺",
    "👍🏽",
    "\u3000",
    "é",
    "Ω",
]


def random_text(rng: random.Random, max_pieces: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, max_pieces))).strip()


def random_subscriptions(rng: random.Random) -> list[Sub]:
    """Subscriptions in import's normal form: distinct URLs, stripped distinct tags."""
    subs = []
    for n in range(rng.randint(0, 12)):
        url = f"https://h{n}.example/{random_text(rng, 4).replace(' ', '')}?q={n}&p=中"
        url = "".join(c for c in url if not c.isspace())
        tags = [random_text(rng, 5) for _ in range(rng.randint(0, 4))]
        title = rng.choice([random_text(rng, 8), "", url])
        site = rng.choice(["", f"http://site{n}.example/页面?a=1&b=2"])
        subs.append(Sub(url, title, tuple(dict.fromkeys(t for t in tags if t)), site))
    return subs


def test_round_trip_property_on_generated_sets() -> None:
    rng = random.Random(20240518)
    for _ in range(400):
        subs = random_subscriptions(rng)
        text = write_opml(subs, title=random_text(rng, 6))
        etree.fromstring(text.encode())  # well-formed
        back = read_subscriptions(text.encode())
        assert back.warnings == ()
        assert sorted(back.subscriptions, key=lambda s: s.url) == sorted(subs, key=lambda s: s.url)
