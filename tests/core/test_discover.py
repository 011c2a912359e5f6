"""Feed autodiscovery (reader.feeds.discover) on real fixture pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.feeds.discover import (
    COMMON_PATHS,
    Candidate,
    common_candidates,
    feed_links,
    is_html,
    looks_like_feed,
)

PAGES = Path(__file__).parent.parent / "data" / "pages"
FEEDS = Path(__file__).parent.parent / "data" / "subscriptions"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


# --- feed_links ----------------------------------------------------------------------------


def test_chinese_news_page_utf8() -> None:
    base = "https://news.example.cn/guangdong/2024/0518/article-123.html"
    assert feed_links(page("zh_news_utf8.html"), base) == [
        Candidate("https://news.example.cn/rss/yaowen.xml", "南方新闻网 · 要闻", "rss"),
        Candidate("https://news.example.cn/guangdong/atom.xml", "广东新闻 Atom", "atom"),
        Candidate("https://news.example.cn/guangdong/2024/0518/feed.json", "JSON Feed", "json"),
        Candidate("https://news.example.cn/feeds/comments", "", "unknown"),  # rel="feed"
        Candidate("https://news.example.cn/rss091.xml", "RSS 0.91", "unknown"),  # text/xml
        # then <a> links (the /rss/yaowen.xml repeat, sitemap.xml, /cross, javascript: left out)
        Candidate("https://news.example.cn/rss/sports.rss", "体育 RSS", "rss"),
        Candidate("https://weibo.example.com/nfnews/feed/", "微博 feed", "unknown"),
    ]


def test_chinese_news_page_gbk_with_meta_charset() -> None:
    data = page("zh_news_gbk.html")
    assert b'charset="gbk"' in data
    assert "时政".encode() not in data  # really GBK bytes, not UTF-8
    assert feed_links(data, "http://www.news.example.cn/") == [
        Candidate("http://www.news.example.cn/rss/politics.xml", "新华网 - 时政新闻", "rss"),
        Candidate("http://www.news.example.cn/rss/world.xml", "新华网 - 国际新闻", "rss"),
        Candidate("http://www.news.example.cn/atom/fortune.xml", "新华网 - 财经（Atom）", "atom"),
        Candidate("http://www.news.example.cn/rss/", "RSS订阅", "unknown"),
    ]


def test_http_equiv_gb2312_is_read_as_gb18030() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        '<link rel="alternate" type="application/rss+xml" title="䶮 镕 新闻" href="/r.xml">'
    ).encode("gb18030")  # 䶮 and 镕 are outside GB2312/GBK
    assert feed_links(html, "https://x.example/") == [
        Candidate("https://x.example/r.xml", "䶮 镕 新闻", "rss")
    ]


def test_relative_hrefs_resolve_against_the_first_base() -> None:
    assert feed_links(page("relative_base.html"), "https://www.example.org/posts/hello.html") == [
        Candidate("https://cdn.example.org/blog/feed.xml", "Posts", "rss"),
        Candidate("https://cdn.example.org/atom.xml", "Posts (Atom)", "atom"),
        Candidate("https://mirror.example.net/rss", "Mirror", "rss"),
        Candidate("https://cdn.example.org/comments/feed/", "Comments feed", "rss"),
        Candidate("https://cdn.example.org/blog/?format=rss&tag=python", "Tagged", "rss"),
        Candidate("https://cdn.example.org/blog/tags/caf%C3%A9/feed.xml", "Spaced", "rss"),
        Candidate("https://cdn.example.org/blog/feeds/", "all feeds", "unknown"),
    ]


def test_relative_base_href_and_no_base() -> None:
    html = b'<base href="/sub/"><link rel="alternate" type="application/rss+xml" href="f.xml">'
    assert [c.url for c in feed_links(html, "https://a.example/x/y")] == [
        "https://a.example/sub/f.xml"
    ]
    html = b'<link rel="alternate" type="application/rss+xml" href="f.xml">'
    assert [c.url for c in feed_links(html, "https://a.example/x/y")] == [
        "https://a.example/x/f.xml"
    ]
    assert feed_links(html, "") == []  # relative with nothing to resolve against
    javascript_base = b'<base href="javascript:x"><a href="/r.rss">r</a>'
    assert [c.url for c in feed_links(javascript_base, "https://a.example/")] == [
        "https://a.example/r.rss"
    ]


@pytest.mark.parametrize("name", ["no_links.html", "no_links_zh.html"])
def test_pages_without_feed_links(name: str) -> None:
    assert feed_links(page(name), "https://acme.example/") == []


def test_hostile_page_keeps_only_http_links() -> None:
    found = feed_links(page("hostile.html"), "https://hostile.example.com/x/")
    assert [(c.url, c.kind) for c in found] == [
        ("https://hostile.example.com/unquoted.rss", "rss"),
        ("https://hostile.example.com/long-title.xml", "rss"),
        ("https://ok.example.com/escaped.xml", "rss"),
        ("https://hostile.example.com/real/feed/", "unknown"),
        ("https://hostile.example.com/news.atom", "atom"),
    ]
    assert found[1].title == "长" * 200  # a 50,000-character title is clipped
    # titles are raw text; escape sequences are textsafe's job at display time
    assert found[2].title == "\x1b[1;31mred\x1b[0m title"
    assert found[4].title == "Atom 订阅"


def test_huge_attribute_does_not_hide_later_links() -> None:
    huge = b"x" * 2_000_000
    html = (
        b'<html><head><link rel="alternate" type="application/rss+xml" title="'
        + huge
        + b'" href="/a.xml"><link rel="alternate" type="application/atom+xml" href="/b.atom">'
    )
    started = time.monotonic()
    found = feed_links(html, "https://h.example/")
    assert time.monotonic() - started < 5
    assert found == [
        Candidate("https://h.example/a.xml", "x" * 200, "rss"),
        Candidate("https://h.example/b.atom", "", "atom"),
    ]


def test_absurd_inputs_do_not_crash() -> None:
    deep = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/top.xml"></head>'
        + b"<div>" * 100_000
        + b'<a href="/deep.rss">deep</a>'
        + b"</div>" * 100_000
    )
    started = time.monotonic()
    found = feed_links(deep, "https://d.example/")
    assert time.monotonic() - started < 5
    assert found[0] == Candidate("https://d.example/top.xml", "", "rss")
    too_long = b'<link rel="alternate" type="application/rss+xml" href="/' + b"a" * 20_000 + b'">'
    for junk in (b"", b"   ", b"\x00\xff\xfe", b"<", b"<<<>>>", too_long):
        assert feed_links(junk, "https://d.example/") == []
    # over libxml2's 10 MB attribute cap the parser gives up on the rest of the page
    link = b'<link rel="alternate" type="application/rss+xml" '
    huge_attr = link + b'title="' + b"t" * 30_000_000 + b'" href="/x.rss">' + link + b'href="/y">'
    started = time.monotonic()
    found = feed_links(huge_attr, "https://d.example/")
    assert time.monotonic() - started < 5
    assert all(c.url in ("https://d.example/x.rss", "https://d.example/y") for c in found)


def test_charset_edge_cases() -> None:
    link = '<link rel="alternate" type="application/rss+xml" title="订阅" href="/r.xml">'
    expected = [Candidate("https://e.example/r.xml", "订阅", "rss")]
    for data in (
        link.encode("utf-8"),  # no declaration: UTF-8
        b"\xef\xbb\xbf" + link.encode("utf-8"),
        "\ufeff".encode("utf-16-le") + link.encode("utf-16-le"),
        b'<meta charset="utf-16">' + link.encode("utf-8"),  # an ASCII page is not UTF-16
        b'<meta charset="base64">' + link.encode("utf-8"),  # not a text codec
        b'<meta charset="no-such-thing">' + link.encode("utf-8"),
        b'<?xml version="1.0" encoding="gbk"?>' + link.encode("gbk") + b'<meta charset="gbk">',
    ):
        assert feed_links(data, "https://e.example/") == expected, data[:40]
    latin1 = '<a href="/caf\xe9.rss" title="Café">x</a>'.encode("latin-1")
    assert feed_links(latin1, "https://e.example/") == [  # undeclared, not UTF-8: cp1252
        Candidate("https://e.example/café.rss", "Café", "rss")
    ]


# --- common_candidates ---------------------------------------------------------------------


def test_common_candidates_for_a_site_root() -> None:
    assert common_candidates("https://example.com") == [
        f"https://example.com{p}" for p in COMMON_PATHS
    ]
    assert common_candidates("HTTPS://例子.中国:8443/") == [
        f"https://例子.中国:8443{p}" for p in COMMON_PATHS
    ]


def test_common_candidates_for_a_page_in_a_directory() -> None:
    assert common_candidates("https://example.com/blog/2024/post.html?x=1#top") == [
        "https://example.com/blog/2024/feed",
        "https://example.com/blog/2024/rss.xml",
        "https://example.com/blog/2024/atom.xml",
        "https://example.com/blog/2024/index.xml",
        "https://example.com/blog/2024/feed.xml",
        "https://example.com/blog/2024/rss",
        *(f"https://example.com{p}" for p in COMMON_PATHS),
    ]
    assert common_candidates("http://example.com/blog/")[0] == "http://example.com/blog/feed"
    assert len(common_candidates("http://example.com/blog/")) == 13
    assert common_candidates("http://example.com/about") == [
        f"http://example.com{p}" for p in COMMON_PATHS
    ]


@pytest.mark.parametrize(
    "url", ["", "example.com", "ftp://example.com/", "http://[::1", "file:///x"]
)
def test_common_candidates_needs_an_http_url(url: str) -> None:
    assert common_candidates(url) == []


# --- looks_like_feed / is_html -------------------------------------------------------------

RSS = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel/></rss>'
PRELUDE = (
    b'\xef\xbb\xbf \n<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl" type="text/xsl"?>\n'
    b"<!-- generator: WordPress 6.5 -- comment with <rss> inside -->\n"
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (RSS, "application/rss+xml"),
        (RSS, "text/html; charset=utf-8"),  # mislabelled feeds are still feeds
        (PRELUDE + b"<rss version='2.0'>", ""),
        (PRELUDE + b'<feed xmlns="http://www.w3.org/2005/Atom">', "text/xml"),
        (b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd">\n<rss>', ""),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "application/xml"),
        (b"<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'>", ""),
        ("<rss><channel><title>新闻</title>".encode("utf-16"), ""),
        (b' {"version": "https://jsonfeed.org/version/1.1", "title": "x"}', "application/json"),
        (b'{"title": "\\u65b0", "version":"https:\\/\\/jsonfeed.org\\/version\\/1"}', ""),
        (b'{"items": []}', "application/feed+json"),  # inconclusive body: trust the type
        (b"<?xml version='1.0'?><channel/>", "application/rss+xml"),
    ],
)
def test_looks_like_feed(body: bytes, content_type: str) -> None:
    assert looks_like_feed(body, content_type)
    assert not is_html(body, content_type)


HTML = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body>rss feed</body></html>"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (HTML, "text/html"),
        (HTML, "application/rss+xml"),  # a page served with a feed type is still a page
        (b"\n<html lang=zh><head>", ""),
        (b"<!-- x -->\n<HEAD><meta charset=gbk>", ""),
        (page("zh_news_gbk.html"), "text/html; charset=gbk"),
        (b"<div>fragment</div>", "text/html"),  # inconclusive body: trust the type
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', ""),
    ],
)
def test_is_html(body: bytes, content_type: str) -> None:
    assert is_html(body, content_type)
    assert not looks_like_feed(body, content_type)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/rss+xml"),
        (b"   \n", "application/rss+xml"),
        (b'<?xml version="1.0"?><urlset>', "application/xml"),  # a sitemap
        (b'{"version": "1.0", "items": []}', "application/json"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"<!-- never closed <rss>", ""),
        ((FEEDS / "inoreader_nested.opml").read_bytes(), "text/xml"),
    ],
)
def test_neither_feed_nor_page(body: bytes, content_type: str) -> None:
    assert not looks_like_feed(body, content_type)
    assert not is_html(body, content_type)


def test_sniff_is_cheap_on_big_bodies() -> None:
    body = b"<!--" + b"-" * 50_000_000
    started = time.monotonic()
    assert not looks_like_feed(body, "")
    assert time.monotonic() - started < 1
