"""Every variant real feeds use, in RSS 2.0, RSS 1.0 and Atom where it applies: what is stored
(read by the fast path, which agrees with feedparser: see test_fastpath.py) and what `show` and
the reader's story pane show of it (the same story document)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.articles.article import story_document
from reader.articles.blocks import to_text
from reader.errors import ParseError
from reader.feeds.parse import parse_feed
from reader.models import Enclosure, Headline, ParsedFeed, ParsedItem
from reader.store.db import Store

VARIANTS = Path(__file__).parent.parent / "data" / "feeds" / "variants"
URL = "https://feeds.example/dir/feed.xml"


def read(name: str, headers: dict[str, str] | None = None, url: str = URL) -> ParsedFeed:
    feed = parse_feed((VARIANTS / name).read_bytes(), headers or {}, url)
    assert not feed.format.startswith("feedparser"), feed.format  # read by the fast path
    return feed


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def shown(store: Store, feed: ParsedFeed) -> list[str]:
    """What `show` prints of each item's story (stored, read back, rendered), in order."""
    stored, _ = store.add_feed(URL + str(len(store.feeds())))
    store.store_parsed(stored.id, feed, now=1_800_000_000)
    heads = sorted(store.headlines(), key=lambda h: h.id, reverse=True)
    texts = []
    for head in heads:
        if head.feed_id == stored.id and (item := store.item(head.id)) is not None:
            texts.append(to_text(story_document(item), width=200))
    return texts


def by_key(feed: ParsedFeed) -> dict[str, ParsedItem]:
    return {item.key: item for item in feed.items}


# --- bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bodies_rss20.xml", "bodies_rss10.rdf", "bodies_atom.xml"])
def test_item_bodies_in_every_form(name: str, store: Store) -> None:
    feed = read(name)
    first, second, *rest = feed.items
    assert first.content.startswith("<p>XHTML body 正文 with <a href=")
    assert 'href="https://feeds.example/one.html"' in first.content  # resolved when stored
    assert "<br></br>" not in first.content and first.content_type == "html"
    texts = shown(store, feed)
    assert "XHTML body 正文 with a link[1]." in texts[0]
    assert "[1] https://feeds.example/one.html" in texts[0]
    if name != "bodies_atom.xml":  # <body> in the XHTML namespace, <fullitem>
        assert second.content == "<p>Default-namespace body 默认命名空间.</p>"
        assert rest[0].content == "<p>Full item <b>HTML</b> 全文.</p>"
        assert "Full item HTML 全文." in texts[2]
    beside = next(i for i in feed.items if "beside" in i.title)
    assert "Short description 摘要." in beside.summary  # content:encoded beside description
    assert beside.content.startswith("<p>The whole story 全文, <a href=")
    assert "https://feeds.example/dir/story/4.html" in beside.content
    assert any("The whole story 全文, continued[1]." in t for t in texts)


def test_atom_text_content_keeps_its_lines(store: Store) -> None:
    text = read("bodies_atom.xml").items[2]
    assert (text.content, text.content_type) == (
        "Plain text 纯文本 <not a tag>\nsecond line",
        "text",
    )
    assert "Plain text 纯文本 <not a tag>\nsecond line" in shown(store, read("bodies_atom.xml"))[2]


# --- Media RSS, YouTube, podcasts ----------------------------------------------------------


def test_youtube_videos_show_title_description_thumbnail_and_watch_link(store: Store) -> None:
    feed = read("youtube.xml")
    assert feed.title == "咸宁频道 Xianning Channel"
    video, short = feed.items
    assert video.title == "禁毒宣传周 | Anti-drug week, day one"
    assert video.link == "https://www.youtube.com/watch?v=AbCdEfGhIj1"
    assert video.author == "咸宁频道 Xianning Channel"
    assert video.enclosures == short.enclosures == ()  # the Flash embed is nothing to play
    assert 'src="https://i2.ytimg.com/vi/AbCdEfGhIj1/hqdefault.jpg"' in video.summary
    assert short.link == "https://www.youtube.com/shorts/KlMnOpQrSt2"
    assert "https://i3.ytimg.com/vi/KlMnOpQrSt2/hqdefault.jpg" in short.content  # no description
    text = shown(store, feed)[0]
    assert "[image: thumbnail][1]" in text
    assert "第一天：社区宣讲。\nDay one: talks in every neighbourhood." in text  # its lines kept
    assert "[1] https://i2.ytimg.com/vi/AbCdEfGhIj1/hqdefault.jpg" in text
    assert "Enclosures" not in text and "youtube.com/v/" not in text


def test_media_rss_groups_renditions_thumbnails_and_players(store: Store) -> None:
    group, image = read("media_rss20.xml").items
    assert group.title == "Group of renditions"  # the item's own title wins over media:title
    assert group.enclosures == (
        Enclosure("https://cdn.media.example/1-720.mp4", "video/mp4", 52_000_000, 184),
        Enclosure("https://cdn.media.example/1-360.webm", "video/webm", 12_000_000, 184),
    )
    assert "Festival footage 河灯节.<br>Two renditions." in group.summary
    assert 'src="https://cdn.media.example/1.jpg"' in group.summary
    assert image.link == "https://media.example/player/2"  # the player, when there is no link
    assert image.enclosures == (Enclosure("https://cdn.media.example/2.jpg", "image/jpeg"),)
    text = shown(store, read("media_rss20.xml"))[0]
    assert "• 1-720.mp4[2] · video/mp4 · 52.0 MB · 3:04" in text


def test_podcast_itunes_tags(store: Store) -> None:
    feed = read("podcast.xml")
    two, one = feed.items
    assert two.title == "第2期：河灯 Episode 2: River lanterns"
    assert two.author == "林夕 Lin Xi"  # itunes:author
    assert two.enclosures == (
        Enclosure("https://cdn.pod.example/2/river-lanterns.mp3", "audio/mpeg", 31_000_000, 3725),
    )
    assert 'src="https://pod.example/2/art.jpg"' in two.content  # itunes:image
    assert 'href="https://pod.example/2/notes"' in two.content  # the HTML description shows
    assert two.summary == "<p>Show notes: lanterns on the river. 河灯。</p>"  # itunes:summary
    assert one.enclosures == (
        Enclosure("https://cdn.pod.example/1/opening.m4a", "audio/x-m4a", None, 2589),
    )
    assert 'href="https://feeds.example/1/links"' in one.content  # content:encoded, resolved
    texts = shown(store, feed)
    assert "Show notes: lanterns on the river[2]. 河灯。" in texts[0]  # with its link
    assert "• river-lanterns.mp3[3] · audio/mpeg · 31.0 MB · 1:02:05" in texts[0]
    assert "• opening.m4a[2] · audio/x-m4a · 43:09" in texts[1]


def test_an_itunes_subtitle_is_the_summary_when_there_is_none() -> None:
    body = (
        (VARIANTS / "podcast.xml")
        .read_bytes()
        .replace(
            b"<itunes:summary>Show notes: lanterns on the river. \xe6\xb2\xb3\xe7\x81\xaf\xe3\x80\x82"
            b"</itunes:summary>",
            b"",
        )
    )
    body = body.replace(b"<description><![CDATA[<p>Show notes:", b"<nodesc><![CDATA[<p>Show notes:")
    body = body.replace(b"</p>]]></description>", b"</p>]]></nodesc>", 1)
    item = parse_feed(body, {}, URL).items[0]
    assert "Lanterns on the river" in item.summary + item.content


# --- Dublin Core ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dc_rss10.rdf", "dc_rss20.xml", "dc_atom.xml"])
def test_dublin_core_and_dc_terms(name: str, store: Store) -> None:
    feed = read(name)
    dc = feed.items[0]
    assert dc.title == "DC title 标题"
    assert dc.summary == "DC description 描述."
    assert dc.author.startswith("王芳")
    assert dc.published == dc.updated == 1763949600  # dc:date 10:00+08:00
    terms = feed.items[1]
    assert (terms.published, terms.updated) == (1763629200, 1763802000)  # issued, modified
    if len(feed.items) > 2:
        assert feed.items[2].published == 1763456400  # dcterms:created when nothing else says
    assert "DC description 描述." in shown(store, feed)[0]


def test_several_dc_creators_are_all_kept() -> None:
    assert read("dc_rss10.rdf").items[0].author == "王芳, Li Lei"


# --- bases ---------------------------------------------------------------------------------


def test_xml_base_on_feed_entry_and_content(store: Store) -> None:
    feed = read("xmlbase_atom.xml")
    assert feed.site_url == "https://base.example/blog/"
    entry, plain, javascript = feed.items
    assert entry.link == "https://base.example/blog/posts/one.html"
    assert 'src="https://base.example/media/pic.png"' in entry.content  # the content's own
    assert 'href="https://base.example/other.html"' in entry.content
    assert 'href="#top"' in entry.content  # a fragment stays a fragment
    assert plain.link == "https://base.example/blog/two.html"
    assert 'href="https://base.example/blog/three.html"' in plain.summary
    assert javascript.link == "https://base.example/blog/four.html"  # javascript: ignored
    assert "[1] https://base.example/other.html" in shown(store, feed)[0]


def test_xml_base_in_rss() -> None:
    item, channel = read("xmlbase_rss20.xml").items
    assert item.link == "https://base.example/news/2025/one.html"
    assert 'src="https://base.example/media/pic.png"' in item.summary
    assert channel.link == "https://base.example/news/two.html"


def test_content_location_is_the_base_of_relative_links() -> None:
    feed = read("relative_rss20.xml", {"content-location": "/mirror/feed.xml"})
    (item,) = feed.items
    assert item.link == "https://feeds.example/mirror/story/1.html"
    assert 'src="https://feeds.example/mirror/img/1.png"' in item.summary
    assert 'href="https://feeds.example/about.html"' in item.summary
    unsafe = read("relative_rss20.xml", {"content-location": "javascript:alert(1)"})
    assert unsafe.items[0].link == "https://feeds.example/dir/story/1.html"  # ignored


# --- letter case, people, sources, doctypes, titles ------------------------------------------


def test_channel_elements_in_any_letter_case() -> None:
    feed = read("case_rss20.xml")
    assert (feed.title, feed.site_url) == ("Shouting 大写", "https://case.example/")
    first, second = feed.items
    assert (first.title, first.link, first.summary) == (
        "Mixed case item 混合",
        "https://case.example/1",
        "Body 正文.",
    )
    assert first.author == "Case Writer"  # "x@case.example (Case Writer)": a long domain too
    assert first.published == 1763978400 and second.published == 1763892000


def test_several_authors_are_kept_and_joined(store: Store) -> None:
    two, feeds, source = read("authors_atom.xml").items
    assert two.author == "王芳, Li Lei"  # the contributor is not an author
    assert feeds.author == "Desk 编辑部"  # the feed's author
    assert source.author == "Zhang Wei 张伟"  # its source's author (RFC 4287 4.2.1)
    creators, mixed, rss_source = read("authors_rss20.xml").items
    assert creators.author == "王芳, Li Lei"
    assert mixed.author == "王芳, Li Lei"
    assert rss_source.title == "With a source" and rss_source.author == ""
    store.store_parsed(store.add_feed(URL)[0].id, read("authors_atom.xml"), now=1_800_000_000)
    assert "王芳, Li Lei" in {h.author for h in store.headlines()}


def test_an_rss_document_with_an_xhtml_doctype_is_a_feed() -> None:
    (item,) = read("xhtml_doctype_rss20.xml").items
    assert item.title == "Still a feed"
    page = b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html><body/></html>'
    with pytest.raises(ParseError, match="HTML page"):
        parse_feed(page, {}, URL)


def test_items_without_a_title_get_one_and_only_empty_items_are_dropped(store: Store) -> None:
    feed = read("untitled_rss20.xml")
    chinese, short, linked, audio = feed.items  # the fifth has nothing to show: dropped
    assert chinese.title.startswith("咸宁市召开全市禁毒工作会议，") and chinese.title.endswith("…")
    assert short.title == "A short note without a title."
    assert linked.title == "River lantern festival"  # from its link, as newsboat does
    assert audio.title == "ep-7.mp3"
    assert chinese.key == "g:u1" and linked.key.startswith("l:")  # identity from what was sent
    atom = read("untitled_atom.xml")
    assert [i.title for i in atom.items] == [
        "Only a summary, long enough that the title made from it has to be cut…",
        "First post",
    ]
    heads = {h.title for h in shown_heads(store, feed)}
    assert "River lantern festival" in heads


def shown_heads(store: Store, feed: ParsedFeed) -> list[Headline]:
    stored, _ = store.add_feed(URL + "#heads")
    store.store_parsed(stored.id, feed, now=1_800_000_000)
    return list(store.headlines())
