"""Feed documents for the differential test: RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 whose items mix
the variants real feeds use (xhtml:body, <body>, fullitem, content:encoded beside description,
Media RSS groups, iTunes and Dublin Core tags, xml:base, several authors, <source>, channel
elements in odd letter case...), drawn by hypothesis."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:media="http://search.yahoo.com/mrss/"'
    ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:yt="http://www.youtube.com/xml/schemas/2015"'
)
URL = "http://example.org/feeds/feed.xml"

WORDS = [
    "Hello", "咸宁新闻", "禁毒 工作", "café", "naïve", "Itâ€™s", "cafÃ©", "Don\x92t", "Привет",
    "東京", "a & b", "1 < 2", "x\u00ady", "zero\u200bwidth", "  spaced  ", "line\nbreak",
    "Tom &amp; Jerry", "e\u0301", "",
]  # fmt: skip
HTML = [
    "<p>Para</p>", "<p>One</p><p>Two 二</p>", '<a href="/rel/page.html">rel</a>',
    '<img src="img/a.png" alt="pic">', "<b>bold</b> text", '<a href="http://abs.example/x">abs</a>',
    "plain text", "text with\nline breaks", "&lt;escaped&gt; &amp;", "<p>咸宁市召开会议</p>",
]  # fmt: skip
LINKS = [
    "http://example.org/a/1.html", "https://example.org/b?x=1&y=2", "rel/2.html", "/root.html",
    "javascript:alert(1)", "", "  http://example.org/spaced  ", "urn:uuid:1234", "42",
]  # fmt: skip
DATES = [
    "Mon, 24 Nov 2025 10:00:00 GMT", "2025-11-24T10:00:00Z", "2025-11-24T18:00:00+08:00",
    "Tue, 25 Nov 2025 01:02:03 +0800", "not a date", "", "2025-11-24",
]  # fmt: skip
PEOPLE = ["Li Lei", "editor@example.org (Zhang Wei 张伟)", "王芳 <wang@example.cn>", "x@y.com", ""]
MEDIA = ["audio/mpeg", "video/mp4", "image/jpeg", "", "application/x-shockwave-flash"]

word = st.sampled_from(WORDS)
html = st.sampled_from(HTML)
link = st.sampled_from(LINKS)
date = st.sampled_from(DATES)
person = st.sampled_from(PEOPLE)
media_type = st.sampled_from(MEDIA)
length = st.sampled_from(["", "0", "12345", "x"])
duration = st.sampled_from(["", "61:05", "1:02:03", "3600", "93.5", "abc"])


def text(value: str) -> str:
    return escape(value)


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "") + "]]>"


def element(tag: str, value: str, *, raw: bool = False, attrs: str = "") -> str:
    return f"<{tag}{attrs}>{value if raw else text(value)}</{tag}>"


@st.composite
def body_text(draw: st.DrawFn) -> str:
    """An HTML fragment as escaped text or CDATA."""
    value = draw(html)
    return cdata(value) if draw(st.booleans()) else text(value)


def xhtml(value: str) -> str:
    return "<p>" + text(value) + ' <a href="x.html">x</a><br/></p>'


@st.composite
def media_group(draw: st.DrawFn) -> str:
    parts = [
        element("media:title", draw(word)),
        f'<media:content url={quoteattr(draw(link))} type="{draw(media_type)}"'
        f' fileSize="{draw(length)}" duration="{draw(duration)}"/>',
        f'<media:thumbnail url={quoteattr(draw(link))} width="480"/>',
        element("media:description", draw(word) + "\n" + draw(word)),
        '<media:community><media:starRating count="3"/></media:community>',
    ]
    chosen = draw(st.lists(st.sampled_from(parts), max_size=4))
    return "<media:group>" + "".join(chosen) + "</media:group>"


@st.composite
def rss_part(draw: st.DrawFn) -> str:
    """One element of an RSS item (RSS 2.0 or, in its namespace, RSS 1.0)."""
    pick = draw(st.integers(0, 34))
    w, u = draw(word), draw(link)
    return [
        lambda: element("title", w),
        lambda: element("title", w, attrs=' type="html"'),
        lambda: element("dc:title", w),
        lambda: element("media:title", w),
        lambda: element("link", u),
        lambda: (
            f'<atom:link href={quoteattr(u)} rel="{draw(st.sampled_from(["alternate", "self", "enclosure", "related"]))}"/>'
        ),
        lambda: element("guid", u),
        lambda: element("guid", u, attrs=' isPermaLink="false"'),
        lambda: element("description", draw(body_text()), raw=True),
        lambda: element("content:encoded", draw(body_text()), raw=True),
        lambda: element("xhtml:body", xhtml(w), raw=True),
        lambda: element("body", xhtml(w), raw=True, attrs=' xmlns="http://www.w3.org/1999/xhtml"'),
        lambda: element("fullitem", draw(body_text()), raw=True),
        lambda: element("dc:description", w),
        lambda: element("itunes:summary", w),
        lambda: element("itunes:subtitle", w),
        lambda: element("media:description", w + "\n" + w),
        lambda: element("pubDate", draw(date)),
        lambda: element("dc:date", draw(date)),
        lambda: element("dcterms:modified", draw(date)),
        lambda: element("dcterms:issued", draw(date)),
        lambda: element("dcterms:created", draw(date)),
        lambda: element("author", draw(person)),
        lambda: element("dc:creator", draw(person)),
        lambda: element("itunes:author", draw(person)),
        lambda: (
            f'<enclosure url={quoteattr(u)} type="{draw(media_type)}" length="{draw(length)}"/>'
        ),
        lambda: (
            f'<media:content url={quoteattr(u)} type="{draw(media_type)}" duration="{draw(duration)}"/>'
        ),
        lambda: draw(media_group()),
        lambda: f"<media:thumbnail url={quoteattr(u)}/>",
        lambda: f"<media:player url={quoteattr(u)}/>",
        lambda: f"<itunes:image href={quoteattr(u)}/>",
        lambda: element("itunes:duration", draw(duration)),
        lambda: element("category", w) + element("slash:comments", "3") + element("comments", u),
        lambda: f"<source url={quoteattr(u)}>{text(w)}</source>",
        lambda: element("Title", w) + element("PUBDATE", draw(date)),
    ][pick]()


@st.composite
def atom_part(draw: st.DrawFn) -> str:
    """One element of an Atom entry."""
    pick = draw(st.integers(0, 24))
    w, u = draw(word), draw(link)
    kind = draw(st.sampled_from(["", ' type="text"', ' type="html"']))
    return [
        lambda: element("title", w, attrs=kind),
        lambda: element("title", xhtml(w), raw=True, attrs=' type="xhtml"'),
        lambda: f"<link href={quoteattr(u)}/>",
        lambda: (
            f'<link rel="{draw(st.sampled_from(["alternate", "self", "enclosure", "replies"]))}" href={quoteattr(u)} type="{draw(st.sampled_from(["text/html", "audio/mpeg", "application/atom+xml"]))}" length="{draw(length)}"/>'
        ),
        lambda: element("id", u),
        lambda: element("published", draw(date)),
        lambda: element("updated", draw(date)),
        lambda: f"<author><name>{text(w)}</name><email>{text(draw(person))}</email></author>",
        lambda: f"<author><name>{text(w)}</name><uri>{text(u)}</uri></author>",
        lambda: element("author", draw(person)),
        lambda: f"<contributor><name>{text(w)}</name></contributor>",
        lambda: element("summary", w, attrs=kind),
        lambda: element("summary", draw(body_text()), raw=True, attrs=' type="html"'),
        lambda: element("content", draw(body_text()), raw=True, attrs=' type="html"'),
        lambda: element("content", w, attrs=kind),
        lambda: element(
            "content",
            f'<div xmlns="http://www.w3.org/1999/xhtml">{xhtml(w)}</div>',
            raw=True,
            attrs=' type="xhtml"',
        ),
        lambda: (
            f"<source><title>{text(w)}</title><id>{text(u)}</id><author><name>{text(draw(person))}</name></author></source>"
        ),
        lambda: draw(media_group()),
        lambda: element("dc:creator", draw(person)),
        lambda: element("category", w, attrs=' term="t"'),
        lambda: element("yt:videoId", "abc"),
        lambda: f"<media:thumbnail url={quoteattr(u)}/>",
        lambda: element("itunes:duration", draw(duration)),
        lambda: element("dcterms:created", draw(date)),
        lambda: f'<link href={quoteattr(u)} xml:base="http://base.example/dir/"/>',
    ][pick]()


def base_attr(draw: st.DrawFn) -> str:
    value = draw(st.sampled_from(["", "http://base.example/x/", "sub/", "javascript:alert(1)"]))
    return f" xml:base={quoteattr(value)}" if value else ""


@st.composite
def rss20(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.lists(rss_part(), max_size=7), min_size=1, max_size=4))
    channel = draw(st.lists(st.sampled_from([
        element("title", "Channel 频道"), element("TITLE", "Upper"), element("link", "http://example.org/"),
        element("description", "about"), element("language", "zh-cn"),
        "<image><url>http://example.org/i.png</url><title>Img</title><link>http://example.org/img</link></image>",
        '<atom:link href="http://example.org/feed" rel="self" type="application/rss+xml"/>',
        "<itunes:owner><itunes:name>Owner</itunes:name><itunes:email>o@example.org</itunes:email></itunes:owner>",
        element("itunes:author", "Pod Author"), element("managingEditor", "ed@example.org (Ed)"),
    ]), max_size=6))  # fmt: skip
    body = "".join(f"<item{base_attr(draw)}>{''.join(parts)}</item>" for parts in items)
    return f'<rss version="2.0" {NS}><channel{base_attr(draw)}>{"".join(channel)}{body}</channel></rss>'


@st.composite
def rss10(draw: st.DrawFn) -> str:
    part = rss_part().filter(lambda p: not p.startswith("<atom:"))
    items = draw(st.lists(st.lists(part, max_size=6), min_size=1, max_size=3))
    body = "".join(
        f'<item rdf:about="http://example.org/rdf/{n}">{"".join(parts)}</item>'
        for n, parts in enumerate(items)
    )
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        f' xmlns="http://purl.org/rss/1.0/" {NS}>'
        '<channel rdf:about="http://example.org/"><title>RDF 频道</title>'
        f"<link>http://example.org/</link></channel>{body}</rdf:RDF>"
    )


@st.composite
def atom10(draw: st.DrawFn) -> str:
    entries = draw(st.lists(st.lists(atom_part(), max_size=7), min_size=1, max_size=4))
    head = draw(st.lists(st.sampled_from([
        element("title", "Atom 频道"), '<link href="http://example.org/"/>', element("id", "urn:x:feed"),
        "<author><name>Feed Author</name></author>", element("subtitle", "sub"),
        '<link rel="self" href="http://example.org/feed.atom"/>',
    ]), max_size=5))  # fmt: skip
    body = "".join(f"<entry{base_attr(draw)}>{''.join(parts)}</entry>" for parts in entries)
    ns = NS.replace(' xmlns:atom="http://www.w3.org/2005/Atom"', "")
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom" {ns}{base_attr(draw)}>'
        f"{''.join(head)}{body}</feed>"
    )


documents = st.one_of(rss20(), rss10(), atom10())
