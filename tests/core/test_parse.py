"""parse_feed on fixture files: every format, both parsers agreeing, encodings, odd input."""

from __future__ import annotations

import pickle
from pathlib import Path

import lxml.html
import pytest

from reader.errors import ParseError
from reader.feeds.charset import xml_to_utf8
from reader.feeds.fastxml import NotUnderstood
from reader.feeds.parse import _parse_fast, _parse_feedparser, parse_feed
from reader.models import Enclosure, ParsedFeed, ParsedItem

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
URL = "http://feeds.example.com/dir/feed.xml"


def load(name: str, headers: dict[str, str] | None = None, url: str = URL) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), headers or {}, url)


def by_title(feed: ParsedFeed) -> dict[str, ParsedItem]:
    return {item.title: item for item in feed.items}


def text_of(value: str, kind: str) -> str:
    """Content as words only: markup removed (by lxml.html, not our code), whitespace folded."""
    if kind == "html" and value.strip():
        value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
    return " ".join(value.split())


# --- formats ----------------------------------------------------------------------------------


def test_rss20_fields() -> None:
    feed = load("rss20.xml")
    assert (feed.format, feed.title, feed.site_url) == (
        "rss20",
        "咸宁新闻 Xianning News",
        "https://news.example.cn/",
    )
    first, second, third = feed.items
    assert first.key == "g:xn-2025-001"
    assert first.title == "咸宁市严厉禁毒 Xianning cracks down"
    assert first.link == "https://news.example.cn/2025/11/26/a1.html"
    assert first.author == "王芳"
    assert first.published == 1764176400  # Wed, 26 Nov 2025 17:00:00 GMT
    assert first.summary == "<p>摘要：专案组成功斩断一条跨境贩运通道。</p>"
    assert first.content.startswith("<p>专案组经过缜密侦查")
    assert '<a href="http://feeds.example.com/more">' in first.content  # resolved when stored
    assert first.content_type == "html"
    # guid without isPermaLink="false" is the link; an entity-escaped HTML title becomes text
    assert second.link == second.key[2:] == "https://news.example.cn/2025/11/25/a2.html"
    assert second.title == "Tom & Jerry return"
    assert second.author == "Zhang Wei 张伟"  # "editor@... (Zhang Wei 张伟)"
    assert second.published == 1764033300  # +0800
    assert (second.summary, second.content) == ("Only a summary, 只有摘要。", "")
    assert second.enclosures == (
        Enclosure("https://news.example.cn/audio/a2.mp3", "audio/mpeg", 1024),
    )
    # a literal "<" is text, not markup; a relative link is resolved against the feed URL
    assert third.title == "a < b, and 1 > 0"
    assert third.link == "http://feeds.example.com/dir/2025/11/24/a3.html"
    assert third.author == "Li Lei"
    assert third.published == 1763982000  # 06:00 EST = 11:00 UTC


def test_rss091_and_092() -> None:
    old = load("rss091.xml")  # ISO-8859-1, with the Netscape DOCTYPE (never loaded)
    assert (old.format, old.title) == ("rss091", "Café Weekly & Friends")
    assert [i.title for i in old.items] == ["Crème brûlée returns", "Second item on two lines"]
    assert old.items[0].summary == "The <b>dessert</b> is back \u2014 naïvely priced."
    assert old.items[1].link == "http://feeds.example.com/cafe/second.html"
    podcast = load("rss092.xml")
    assert podcast.format == "rss092"
    episode, untitled = podcast.items
    assert episode.enclosures == (
        Enclosure("http://example.org/media/ep1.mp3", "audio/mpeg", 12345),
    )
    # no title: one is made from the start of its text; its key is still from what was sent
    assert untitled.title == "只有描述的条目 An item with only a description."
    assert untitled.key.startswith("h:")
    assert untitled.enclosures == (
        Enclosure("http://feeds.example.com/dir/media/ep2.mp3", "audio/mpeg", 1),
    )
    assert untitled.summary == "只有描述的条目 An item with only a description."


def test_rss10_rdf() -> None:
    feed = load("rss10.rdf")
    assert (feed.format, feed.title) == ("rss10", "RDF 新闻 News")
    snow, markets = feed.items
    assert snow.key == "g:http://example.org/rdf/1"  # rdf:about
    assert snow.author == "李明 (Li Ming)"
    assert snow.published == snow.updated == 1763598600  # dc:date 2025-11-20T08:30:00+08:00
    assert snow.summary.startswith("摘要") and snow.content.startswith("<p>北京")
    assert markets.title == "Markets & 股市"
    assert markets.author == "News Desk"
    assert markets.published == 1763683200  # dc:date with a day only


def test_atom10_types_and_bases() -> None:
    feed = load("atom10.xml")
    assert feed.format == "atom10"
    assert feed.title == "Dev Notes 开发笔记"  # type="html"
    assert feed.site_url == "https://blog.example.org/zh/"  # "./" against the feed's xml:base
    one, two, three, four = feed.items
    assert one.title == "Text title with <tags> kept 文本"  # type="text": literal
    assert one.link == "https://blog.example.org/zh/posts/one.html"  # entry xml:base "posts/"
    assert one.enclosures == (Enclosure("https://blog.example.org/zh/img/one.png", "image/png"),)
    assert one.author == "Guest 客座"
    assert (one.published, one.updated) == (1764036000, 1764122400)
    # a text summary beside HTML content becomes escaped HTML (one content_type per item)
    assert one.summary == "<p>Summary as text &amp;amp; literal 摘要</p>"
    assert one.content_type == "html"
    assert two.title == "XHTML title <3 标题"
    assert two.link == "https://blog.example.org/absolute/two.html"
    assert two.content == "<p>第一段 First <em>paragraph</em>.</p><p>Second &amp; last.</p>"
    assert two.author == "陈静 Chen Jing"  # inherited from the feed
    assert two.published == two.updated == 1763971200  # only <updated>
    assert three.summary == "<p>Only a <b>summary</b>.</p>" and three.content == ""
    # type="text" content stays literal: "&lt;" is what the feed means, not to be unescaped again
    assert four.content == "Line one &lt;not a tag&gt;\nLine two 第二行"
    assert four.content_type == "text"
    assert four.link == ""  # a tag: id is not a link


def test_atom03_goes_to_feedparser() -> None:
    feed = load("atom03.xml")
    assert feed.format == "feedparser:atom03"
    assert feed.title == "Atom 0.3 旧格式" and feed.warning == ""
    (entry,) = feed.items
    assert entry.title == "Legacy entry 旧条目"
    assert entry.link == "http://example.org/old/1"
    assert entry.author == "老王 Old Wang"  # the feed's author, inherited
    assert entry.published == 1763517600  # <issued> 2025-11-19T10:00:00+08:00
    assert entry.content == "<p>旧的内容 Old content</p>"


def test_jsonfeed_is_detected_by_body_and_by_content_type() -> None:
    assert load("jsonfeed11.json").format == "json11"
    assert load("jsonfeed10.json", {"content-type": "application/feed+json"}).format == "json10"


# --- both parsers agree -----------------------------------------------------------------------

FAST_FIXTURES = [
    "rss091.xml",
    "rss092.xml",
    "rss10.rdf",
    "rss20.xml",
    "atom10.xml",
    "gb2312_with_gbk_chars.xml",
    "gbk_with_gb18030_char.xml",
    "big5.xml",
    "shift_jis.xml",
    "bom_utf8_declared_latin1.xml",
    "bom_utf16le_declared_utf8.xml",
    "repeated_guids.xml",
    "dates.xml",
    "injection.xml",
    "farm_rss.xml",
    "farm_atom_zh.xml",
]


@pytest.mark.parametrize("name", FAST_FIXTURES)
def test_fast_path_and_feedparser_agree(name: str) -> None:
    body = xml_to_utf8((FEEDS / name).read_bytes()).body
    fast = _parse_fast(body, URL)
    slow = _parse_feedparser(body, {}, URL)
    assert not slow.format.startswith("feedparser:unknown")
    assert (fast.title, fast.site_url) == (slow.title, slow.site_url)
    assert len(fast.items) == len(slow.items) > 0
    for a, b in zip(fast.items, slow.items, strict=True):
        assert (a.key, a.title, a.link, a.author) == (b.key, b.title, b.link, b.author)
        assert (a.published, a.updated, a.enclosures) == (b.published, b.updated, b.enclosures)
        assert text_of(a.content, a.content_type) == text_of(b.content, b.content_type)
        assert text_of(a.summary, a.content_type) == text_of(b.summary, b.content_type)


def test_parse_feed_uses_the_fast_path_for_well_formed_feeds() -> None:
    assert load("farm_rss.xml").format == "rss20"
    assert load("farm_atom_zh.xml").format == "atom10"
    farm = load("farm_atom_zh.xml")
    assert len(farm.items) == 50 and farm.title == "农场频道 3"
    assert all(item.content.startswith("<p>") for item in farm.items)


@pytest.mark.parametrize(
    "name", ["illformed_unclosed.xml", "illformed_entity.xml", "atom03.xml", "ansi_escapes.xml"]
)
def test_fast_path_declines_what_it_does_not_fully_understand(name: str) -> None:
    with pytest.raises(NotUnderstood):
        _parse_fast(xml_to_utf8((FEEDS / name).read_bytes()).body, URL)


# --- encodings --------------------------------------------------------------------------------


def test_gbk_characters_in_a_feed_declared_gb2312() -> None:
    feed = load("gb2312_with_gbk_chars.xml")
    assert feed.items[0].title == "朱镕基与王堃 会见 Zhu Rongji meets Wang Kun"
    assert feed.title == "国务院 State Council" and feed.warning == ""


def test_four_byte_gb18030_character_in_a_feed_declared_gbk() -> None:
    feed = load("gbk_with_gb18030_char.xml")
    assert feed.items[0].title == "𠮷野家开业 Yoshinoya opens 䶮"


def test_big5_and_shift_jis_read_with_their_superset_codecs() -> None:
    assert load("big5.xml").items[0].title == "佢哋講嘅廣東話 Cantonese spoken 繁體"
    assert load("shift_jis.xml").items[0].title == "髙橋さん ①番目の記事 Takahashi's first"


def test_bom_wins_over_the_declaration() -> None:
    assert load("bom_utf8_declared_latin1.xml").items[0].title == "Café 咖啡馆 naïve"
    assert load("bom_utf16le_declared_utf8.xml").items[0].title == "Wide 宽字符 text"


def test_http_charset_and_text_xml_without_charset() -> None:
    gbk = (FEEDS / "gb2312_with_gbk_chars.xml").read_bytes()
    title = "朱镕基与王堃 会见 Zhu Rongji meets Wang Kun"
    # text/xml without a charset follows the XML declaration, not us-ascii
    assert parse_feed(gbk, {"content-type": "text/xml"}).items[0].title == title
    # no declaration at all: the HTTP charset decides
    bare = gbk.split(b"?>", 1)[1]
    assert (
        parse_feed(bare, {"content-type": "application/rss+xml; charset=GBK"}).items[0].title
        == title
    )


def test_invalid_bytes_are_replaced_with_a_warning() -> None:
    feed = load("illformed_badchars.xml")
    assert "some bytes were not valid utf-8" in feed.warning
    assert feed.items[1].title == "Broken byte \ufffd\ufffd 字节"


# --- ill-formed documents and non-feeds -------------------------------------------------------


def test_unclosed_tags_are_recovered_with_a_warning() -> None:
    feed = load("illformed_unclosed.xml")
    assert feed.format == "feedparser:rss20"
    assert feed.warning.startswith("ill-formed feed, partly recovered: mismatched tag")
    assert [i.title for i in feed.items] == ["First 第一条", "Second 第二条"]
    assert "line two 第二行" in feed.items[0].summary


def test_undefined_html_entities_are_recovered() -> None:
    feed = load("illformed_entity.xml")
    assert feed.warning and feed.title == "Entities 实体"
    assert feed.items[0].title == "Copyright © 2025 版权"
    assert feed.items[0].summary == "A\xa0B \u2014 C"


def test_control_characters_are_kept_for_textsafe_to_handle() -> None:
    feed = load("illformed_badchars.xml")
    assert feed.title == "Bad chars \x01 坏字符"
    assert feed.items[0].title == "Control \x02 char 控制"


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        ((FEEDS / "page.html").read_bytes(), {}, "not a feed: the server sent an HTML page"),
        (
            b"<p>hello</p>",
            {"content-type": "text/html; charset=utf-8"},
            "not a feed: the server sent an HTML page",
        ),
        (b"", {}, "empty body"),
        (b" \r\n\t ", {}, "empty body"),
        (b"\xef\xbb\xbf  ", {}, "empty body"),
        (b'<?xml version="1.0"?>\n<notes><note>unclosed', {}, "not a feed: unreadable XML"),
        (b"\x00\x01\x02binary\xff", {}, "not a feed: unreadable XML"),
    ],
)
def test_not_a_feed(body: bytes, headers: dict[str, str], message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(body, headers)
    assert str(caught.value) == message


def test_a_truncated_feed_keeps_the_items_before_the_cut() -> None:
    body = (FEEDS / "rss20.xml").read_bytes()
    cut = body[: body.index(b"<title>a &lt; b")]
    feed = parse_feed(cut, {}, URL)
    assert feed.warning.startswith("ill-formed feed, partly recovered")
    assert [i.key for i in feed.items] == [
        "g:xn-2025-001",
        "g:https://news.example.cn/2025/11/25/a2.html",
    ]


def test_well_formed_xml_of_another_kind_names_its_root() -> None:
    sitemap = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    with pytest.raises(ParseError, match=r"^not a feed: an XML document of type <urlset>"):
        parse_feed(sitemap)


# --- identity, dates, injection ---------------------------------------------------------------


def test_repeated_guids_stay_distinct_and_stable() -> None:
    body = (FEEDS / "repeated_guids.xml").read_bytes()
    keys = [item.key for item in parse_feed(body).items]
    assert keys == [item.key for item in parse_feed(body).items]  # stable across fetches
    assert len(set(keys)) == len(keys) == 8
    morning, evening, copy1, copy2, unique, shared_a, shared_b, bare = keys
    assert morning.startswith("g:daily#") and evening.startswith("g:daily#")
    assert copy2 == copy1 + "~2" and copy1.startswith("g:copy#")
    assert unique == "g:unique"
    assert shared_a.startswith("l:http://rep.example.com/shared#") and shared_a != shared_b
    assert bare.startswith("h:")


def test_dates() -> None:
    items = {item.key[2:]: item for item in load("dates.xml").items}
    assert items["d-missing"].published is None
    assert items["d-invalid"].published is None
    assert items["d-9999"].published == 253402300799  # representable: the store clamps it
    assert items["d-0000"].published is None  # year 0 does not exist
    assert items["d-feb30"].published is None
    assert items["d-yy"].published == 784111777  # Sun, 06 Nov 94 08:49:37 GMT
    assert items["d-pst"].published == 1764176400
    assert items["d-dc"].published == items["d-dc"].updated == 1764147600
    assert (items["d-both"].published, items["d-both"].updated) == (1764151200, 1764237600)
    assert items["d-month"].published == 1761955200  # "2025-11", read by feedparser's parser
    assert items["d-1969"].published == -14182980


def test_markup_injection_survives_intact() -> None:
    feed = load("injection.xml")
    assert feed.title == "[bold red]Markup[/] 注入"
    one, two, three = feed.items
    assert one.title == "[@click=app.quit]x[/] 点我"
    assert one.summary == "[link=http://evil.example]click[/link]"
    assert two.title == "Bidi \u202egnp.exe\u202c 文件"
    assert two.author == "[reverse]Mallory[/] 马洛里"
    assert three.title == "Script <script>alert(1)</script>safe"  # text, shown literally later
    assert three.link == ""  # javascript: is never a link


def test_ansi_escapes_survive_the_lenient_parser() -> None:
    feed = load("ansi_escapes.xml")
    assert feed.title == "ANSI \x1b[2J clear"
    item = feed.items[0]
    assert item.title == "\x1b[31mRed 红色\x1b[0m and \x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\"
    assert item.summary == "\x1b[5mblink\x1b[0m"


# --- the contract with the worker pool --------------------------------------------------------


def test_result_pickles_and_strings_are_storable() -> None:
    feed = load("rss20.xml")
    assert pickle.loads(pickle.dumps(feed)) == feed
    for item in load("ansi_escapes.json").items:
        for value in (item.title, item.content, item.key):
            assert "\x00" not in value
            value.encode("utf-8")  # no lone surrogates


def test_content_location_is_the_base_of_relative_links() -> None:
    feed = load("rss20.xml", {"content-location": "/other/feed.xml"})
    assert feed.items[2].link == "http://feeds.example.com/other/2025/11/24/a3.html"


def test_feedparser_is_given_bytes_not_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    seen: list[object] = []
    real = feedparser.parse

    def spy(source: object, **kwargs: object) -> object:
        seen.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    with pytest.raises(ParseError):
        parse_feed(b"http://127.0.0.1:9/feed.xml", {}, "http://127.0.0.1:9/feed.xml")
    assert len(seen) == 1 and hasattr(seen[0], "read")
