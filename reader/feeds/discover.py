"""Feed autodiscovery: pure functions over bytes the caller fetched.

`tidings add URL` fetches the URL; if `looks_like_feed` says the body is a feed it subscribes,
else (`is_html`) it asks `feed_links` for the page's advertised feeds and, when there are none,
probes `common_candidates`.

Pages are decoded here (BOM, then a `<meta charset>` in the first 4 KB with gbk/gb2312 read as
gb18030, then UTF-8, then windows-1252) and parsed with lxml.html, which tolerates broken markup.
libxml2's own limits apply to hostile pages: past ~256 levels of nesting or inside a single
attribute over 10 MB it stops reading, so links after that point are not found.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

__all__ = [
    "COMMON_PATHS",
    "Candidate",
    "Kind",
    "common_candidates",
    "feed_links",
    "is_html",
    "looks_like_feed",
]

Kind = Literal["rss", "atom", "json", "unknown"]

COMMON_PATHS = (
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.xml",
    "/rss",
    "/feeds/posts/default",
)

# <link type=...> values that announce a feed, and what kind each one is.
FEED_TYPES: dict[str, Kind] = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "text/xml": "unknown",
    "application/xml": "unknown",
}
_FEED_CONTENT_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SCHEMES = ("http", "https")
_MAX_URL = 4096  # longer hrefs are not feed URLs
_MAX_TITLE = 200
_PRESCAN = 4096  # bytes searched for <meta charset>, and sniffed by looks_like_feed/is_html
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9][\w.:+-]*)""", re.I)
_GB_FAMILY = frozenset({"gbk", "gb2312", "x-gbk", "x_gbk", "cp936", "gb_2312-80"})
_NO_HTML_CODECS = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf_7"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_FIRST_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_JSONFEED = re.compile(r'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org(?:\\?/)version')
_HTML_TAGS = frozenset({"html", "head", "body", "meta", "title", "link", "script", "style"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A feed URL a page points to, with the title and kind it announced."""

    url: str
    title: str = ""
    kind: Kind = "unknown"


def feed_links(html: bytes, base_url: str) -> list[Candidate]:
    """The feeds a page advertises, best first, without duplicates; only http/https URLs.

    First `<link rel="alternate">` (any rel token order or case) with a feed type, and
    `<link rel="feed">`, in document order; then `<a href>` whose last path segment looks like a
    feed (ends in .rss/.xml/.atom, or is feed/rss/atom/feeds/feed.json). Relative hrefs resolve
    against the first `<base href>`, itself resolved against `base_url`. Fragments are dropped.
    """
    doc = _parse_html(html)
    if doc is None:
        return []
    base = _document_base(doc, base_url)
    found: dict[str, Candidate] = {}
    for candidate in (*_link_candidates(doc, base), *_anchor_candidates(doc, base)):
        found.setdefault(candidate.url, candidate)
    return list(found.values())


def _link_candidates(doc: etree._Element, base: str) -> Iterator[Candidate]:
    for el in doc.iter("link"):
        rels = set(str(el.get("rel") or "").lower().split())
        ctype = _mime(str(el.get("type") or ""))
        if "alternate" in rels and ctype in FEED_TYPES:
            kind = FEED_TYPES[ctype]
        elif "feed" in rels and (not ctype or ctype in FEED_TYPES):
            kind = FEED_TYPES.get(ctype, "unknown")
        else:
            continue
        url = _resolve(el.get("href"), base)
        # WordPress marks its REST API JSON (not a feed) as an application/json alternate.
        if url is None or (ctype == "application/json" and "/wp-json/" in url):
            continue
        yield Candidate(url, _title(el.get("title")), kind)


def _anchor_candidates(doc: etree._Element, base: str) -> Iterator[Candidate]:
    for el in doc.iter("a"):
        url = _resolve(el.get("href"), base)
        kind = _anchor_kind(url) if url else None
        if url is None or kind is None:
            continue
        text = "".join(t for t in el.itertext() if isinstance(t, str))
        yield Candidate(url, _title(el.get("title") or text), kind)


def _anchor_kind(url: str) -> Kind | None:
    """The kind an `<a>` link's path suggests, or None when it does not look like a feed."""
    last = urlsplit(url).path.lower().rstrip("/").rsplit("/", 1)[-1]
    if not last or "sitemap" in last:
        return None
    if last.endswith(".rss"):
        return "rss"
    if last.endswith(".atom"):
        return "atom"
    if last == "feed.json":
        return "json"
    if last.endswith(".xml") or last in ("feed", "rss", "atom", "feeds"):
        return "unknown"
    return None


def _document_base(doc: etree._Element, base_url: str) -> str:
    """The first `<base href>` resolved against `base_url`, when it is http/https."""
    for el in doc.iter("base"):
        href = el.get("href")
        if href is not None:
            return _resolve(href, base_url) or base_url
    return base_url


def _resolve(href: object, base: str) -> str | None:
    """`href` made absolute against `base`, without fragment; None unless it is http/https."""
    if not isinstance(href, str):
        return None
    href = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not href or len(href) > _MAX_URL:
        return None
    try:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not host:
        return None
    return url


def _title(value: object) -> str:
    return " ".join(str(value or "").split())[:_MAX_TITLE]


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _parse_html(data: bytes) -> etree._Element | None:
    text = _XML_DECL.sub("", _decode_html(data), count=1)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return None


def _decode_html(data: bytes) -> str:
    """BOM, else `<meta charset>`, else UTF-8, else windows-1252 (never fails)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    match = _META_CHARSET.search(data[:_PRESCAN])
    declared = _codec(match[1].decode("ascii")) if match else None
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except (LookupError, UnicodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _codec(label: str) -> str | None:
    """Python's codec for a page's charset label (gbk family read as gb18030), or None."""
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _GB_FAMILY:
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page that can say so in ASCII is not UTF-16 (HTML spec)
    return None if name in _NO_HTML_CODECS else name


def common_candidates(base_url: str) -> list[str]:
    """Where feeds usually live when a page advertises none, most specific first.

    For a URL with a directory (`https://example.com/blog/post.html`), that directory's
    `feed`, `rss.xml`, ... come first (a blog in a subdirectory has its own feed there), then
    the site root's `COMMON_PATHS`. No duplicates; [] unless `base_url` is http/https.
    """
    try:
        parts = urlsplit(base_url.strip())
        host = parts.hostname
    except ValueError:
        return []
    if parts.scheme.lower() not in _SCHEMES or not host:
        return []
    root = f"{parts.scheme.lower()}://{parts.netloc}"
    path = parts.path or "/"
    directory = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    urls: list[str] = []
    if directory != "/":
        urls += [root + directory + p.lstrip("/") for p in COMMON_PATHS if p.count("/") == 1]
    urls += [root + p for p in COMMON_PATHS]
    return list(dict.fromkeys(urls))


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """Whether a fetched body is a feed (RSS, Atom, RDF or JSON Feed) rather than a page.

    Sniffs the first 4 KB after a BOM, blanks, `<?xml?>`, comments and a DOCTYPE; the
    Content-Type decides only when the start of the body is inconclusive.
    """
    if not body.strip():
        return False
    verdict = _sniff(body)
    if verdict != "unknown":
        return verdict == "feed"
    return _mime(content_type) in _FEED_CONTENT_TYPES


def is_html(body: bytes, content_type: str) -> bool:
    """Whether a fetched body is a web page to search for feed links.

    The body's start decides (a feed served as text/html is not a page); the Content-Type
    decides only when it is inconclusive.
    """
    verdict = _sniff(body)
    if verdict != "unknown":
        return verdict == "html"
    return _mime(content_type) in _HTML_CONTENT_TYPES


def _sniff(body: bytes) -> Literal["feed", "html", "unknown"]:
    head = _head_text(body)
    if re.match(r"\s*<!DOCTYPE\s+html", head, re.I):
        return "html"
    pos = 0
    while match := _PROLOG.match(head, pos):
        pos = match.end()
    if head[pos:].lstrip().startswith("{"):
        return "feed" if _JSONFEED.search(head) else "unknown"
    tag = _FIRST_TAG.match(head, pos)
    if tag is None:
        return "unknown"
    name = tag[1].lower()
    if name.rsplit(":", 1)[-1] in ("rss", "feed", "rdf"):
        return "feed"
    return "html" if name in _HTML_TAGS else "unknown"


def _head_text(body: bytes) -> str:
    chunk = body[:_PRESCAN]
    if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return chunk.decode("utf-16", errors="replace")
    return chunk.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
