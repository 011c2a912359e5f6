"""Subscription lists in and out: OPML 1.0/2.0 and newsboat `urls` files.

Tags, both ways:

* Import. A feed outline nested in folders (outlines without an xmlUrl) gets every enclosing
  folder's name as a tag, outermost first: `News > Tech > feed` gives ("News", "Tech"). The
  OPML 2.0 `category` attribute is read as comma-separated "/"-paths and every path segment is a
  tag, so `category="/News/Tech,linux"` gives ("News", "Tech", "linux"), the same as nesting.
  Folder tags come first, then category tags; duplicates keep their first place.
* Export. A feed outline sits in a folder named after its first tag (what other readers show)
  and its `category` lists all its tags in order (what tidings reads back). In `category` a tag is
  escaped so that commas and slashes survive: "%" -> %25, "," -> %2C, "/" -> %2F (only these three
  escapes are decoded on import; any other "%" is kept literally).

Titles: a feed's title is its outline's `text` (what the exporting reader showed; OPML 2.0 has
`title` for the feed's own title), else `title`; a `text` equal to the feed URL counts as none,
which is how write_opml writes an untitled feed. In a urls file, a `"~Title"` tag.

Normal form: URLs, titles and tags are stripped of outer whitespace; empty tags and repeated
tags are dropped; only http/https feed URLs are kept (anything else is skipped with a warning);
a site URL that is not http/https is dropped silently; a feed listed twice is merged (tags
united, first non-empty title and site URL kept). For subscriptions already in this form, with
distinct URLs and no characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR),
`parse_opml(write_opml(subs).encode())` gives back exactly `subs` (as a set; the file groups
feeds by first tag, so order follows the folders).

Safety: lxml with entity resolution, DTD loading and network access off; a document that
declares entities (billion laughs, XXE) is refused before parsing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from reader.errors import UsageError
from reader.feeds.xmlsafe import hardened_parser
from reader.models import Subscription

__all__ = ["ImportResult", "parse_opml", "parse_urls", "read_subscriptions", "write_opml"]

MAX_WARNINGS = 100  # further warnings are counted, not listed
_SCHEMES = ("http", "https")
_NEWSBOAT_SPECIAL = ("query", "exec", "filter")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG_ESCAPES = {"%": "%25", ",": "%2C", "/": "%2F"}
_TAG_UNESCAPE = re.compile("%(25|2[cC]|2[fF])")
_ENTITY_DECLS = tuple("<!ENTITY".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import found: the subscriptions, and one line per thing it skipped or fixed."""

    subscriptions: tuple[Subscription, ...] = ()
    warnings: tuple[str, ...] = ()


class _Collector:
    """Gathers subscriptions in first-seen order, merging repeats, and numbered warnings."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._subs: dict[str, Subscription] = {}
        self._warnings: list[str] = []
        self._dropped = 0

    def warn(self, line: int | None, message: str) -> None:
        if len(self._warnings) >= MAX_WARNINGS:
            self._dropped += 1
            return
        where = f"line {line}: " if line else ""
        self._warnings.append(f"{self._source}: {where}{message}")

    def add(self, url: str, title: str, tags: Iterable[str], site: str, line: int | None) -> None:
        url = url.strip()
        problem = _url_problem(url)
        if problem:
            self.warn(line, f"skipped {_clip(url)}: {problem}")
            return
        site = site.strip() if not _url_problem(site.strip()) else ""
        new = Subscription(url=url, title=title.strip(), tags=_clean_tags(tags), site_url=site)
        old = self._subs.get(url)
        if old is not None:
            new = Subscription(
                url=url,
                title=old.title or new.title,
                tags=_clean_tags((*old.tags, *new.tags)),
                site_url=old.site_url or new.site_url,
            )
        self._subs[url] = new

    def result(self) -> ImportResult:
        warnings = list(self._warnings)
        if self._dropped:
            warnings.append(f"{self._source}: {self._dropped} more warnings not shown")
        return ImportResult(tuple(self._subs.values()), tuple(warnings))


def _url_problem(url: str) -> str:
    """Why `url` cannot be a feed URL, or "" when it can."""
    if not url:
        return "no URL"
    if any(c.isspace() or not c.isprintable() for c in url):
        return "not a valid URL (contains spaces or control characters)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in _SCHEMES:
        return "not an http/https URL"
    if not host:
        return "no host in URL"
    return ""


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Stripped, non-empty, first occurrence kept."""
    return tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))


def _clip(text: str, limit: int = 80) -> str:
    """A quoted one-line rendering of input text for a warning (controls escaped, clipped)."""
    shown = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
        for c in text[: limit + 1]
    )
    return '"' + (shown[:limit] + "…" if len(shown) > limit else shown) + '"'


# --- OPML in ------------------------------------------------------------------------------


def parse_opml(data: bytes, *, source: str = "subscriptions") -> ImportResult:
    """Read an OPML 1.0/2.0 subscription list (see the module docstring for tags).

    Ill-formed XML is recovered as far as lxml can; a file that is not OPML at all raises
    UsageError with one line naming `source` (the file name to show in messages).
    """
    root, problem = _parse_xml(data, source)
    out = _Collector(source)
    if problem:
        out.warn(None, f"the XML is ill-formed, read what could be recovered ({problem})")
    for el in root.iter("{*}outline"):
        attrs = _attrs(el)
        if "xmlurl" not in attrs:
            if "url" in attrs and len(el) == 0:
                out.warn(_line(el), f"skipped {_clip(attrs['url'])}: not a feed (no xmlUrl)")
            continue
        tags = [*_folder_tags(el), *_category_tags(attrs.get("category", ""))]
        out.add(attrs["xmlurl"], _outline_title(attrs), tags, attrs.get("htmlurl", ""), _line(el))
    return out.result()


def _parse_xml(data: bytes, source: str) -> tuple[etree._Element, str]:
    """The root <opml> element and a note on the first XML error ("" when well-formed)."""
    refused = f"{source}: not an OPML file: it declares XML entities (refused)"
    if any(decl in data for decl in _ENTITY_DECLS):  # fast path for the usual encodings
        raise UsageError(refused)
    parser = hardened_parser(recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UsageError(f"{source}: not an OPML file: {_clip(str(exc))}") from None
    if root is None:
        raise UsageError(f"{source}: not an OPML file: no XML element found")
    if _has_entities(root):  # any other encoding (libxml2 caps the expansion meanwhile)
        raise UsageError(refused)
    name = etree.QName(root).localname
    if name.lower() != "opml":
        raise UsageError(f"{source}: not an OPML file: the root element is <{name[:40]}>")
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    problem = f"line {errors[0].line}: {_clip(errors[0].message.strip())}" if errors else ""
    return root, problem


def _has_entities(root: etree._Element) -> bool:
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs 0.5 lack DTD.iterentities
    return dtd is not None and any(True for _ in dtd.iterentities())


def _line(el: etree._Element) -> int | None:
    line = getattr(el, "sourceline", None)  # lxml-stubs 0.5 leave sourceline untyped
    return line if isinstance(line, int) else None


def _attrs(el: etree._Element) -> dict[str, str]:
    """The element's attributes by lower-cased local name (xmlUrl, xmlurl and XMLURL alike)."""
    return {etree.QName(k).localname.lower(): str(v) for k, v in el.attrib.items()}


def _outline_title(attrs: dict[str, str]) -> str:
    """`text` (what the exporting reader showed), else `title`.

    A `text` that is only the feed URL (write_opml's text for an untitled feed) counts as none.
    """
    text = attrs.get("text", "").strip()
    if text and text != attrs["xmlurl"].strip():
        return text
    return attrs.get("title", "").strip()


def _folder_tags(el: etree._Element) -> list[str]:
    """Names of the enclosing folder outlines, outermost first."""
    names: list[str] = []
    parent = el.getparent()
    while parent is not None:
        if etree.QName(parent).localname == "outline":
            attrs = _attrs(parent)
            if "xmlurl" not in attrs:
                names.append(attrs.get("text", "").strip() or attrs.get("title", "").strip())
        parent = parent.getparent()
    return names[::-1]


def _category_tags(value: str) -> list[str]:
    """Every segment of every comma-separated "/"-path, unescaped."""
    return [
        _TAG_UNESCAPE.sub(lambda m: chr(int(m[1], 16)), segment.strip())
        for path in value.split(",")
        for segment in path.split("/")
        if segment.strip()
    ]


# --- newsboat urls in ---------------------------------------------------------------------


def parse_urls(text: str, *, source: str = "subscriptions") -> ImportResult:
    """Read a newsboat `urls` file: a URL per line, then tags (quoted when they hold spaces).

    `"~Title"` sets the title. `"!tag"` (hidden in newsboat) is kept as the plain tag "tag";
    tidings has no hidden feeds. Blank and `#` lines are ignored; `query:`, `exec:` and
    `filter:` lines and non-http(s) URLs are skipped with a warning naming the line.
    """
    out = _Collector(source)
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens, balanced = _tokenize(line)
        if not balanced:
            out.warn(number, "unbalanced quote, read to the end of the line")
        if not tokens:
            continue
        url, *rest = tokens
        kind = url.split(":", 1)[0].strip().lower()
        if kind in _NEWSBOAT_SPECIAL:
            out.warn(number, f"skipped a newsboat {kind}: feed (tidings reads only URLs)")
            continue
        title = next((t[1:] for t in rest if t.startswith("~") and t[1:].strip()), "")
        tags = [t.removeprefix("!") for t in rest if not t.startswith("~")]
        out.add(url, title, tags, "", number)
    return out.result()


def _tokenize(line: str) -> tuple[list[str], bool]:
    """Split on whitespace outside double quotes (backslash escapes inside them).

    Returns the tokens and whether every quote was closed.
    """
    tokens: list[str] = []
    buf: list[str] = []
    started = quoted = escaped = False
    for ch in line:
        if quoted:
            if escaped:
                buf.append(ch)
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            else:
                buf.append(ch)
        elif ch == '"':
            quoted = started = True
        elif ch.isspace():
            if started:
                tokens.append("".join(buf))
                buf, started = [], False
        else:
            buf.append(ch)
            started = True
    if started:
        tokens.append("".join(buf))
    return tokens, not quoted


# --- either -------------------------------------------------------------------------------


def read_subscriptions(data: bytes, *, source: str = "subscriptions") -> ImportResult:
    """Read a subscription file of either kind.

    A file whose first non-blank character is "<" is XML and must be OPML (anything else, such
    as a feed or a web page, raises UsageError); any other file is a newsboat urls file, read
    as UTF-8 (a UTF-8 or UTF-16 BOM is honoured; undecodable bytes become U+FFFD).
    """
    if _decode_text(data[:1024]).lstrip().startswith("<"):
        return parse_opml(data, source=source)
    return parse_urls(_decode_text(data), source=source)


def _decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


# --- OPML out -----------------------------------------------------------------------------


def write_opml(
    subs: Iterable[Subscription],
    title: str = "tidings subscriptions",
    *,
    created: datetime | None = None,
) -> str:
    """The subscriptions as an OPML 2.0 document (see the module docstring for tags).

    Feeds with tags sit in a folder named after their first tag, folders in order of first
    appearance; `created` (default now) is the head's dateCreated. Characters XML cannot hold
    are dropped.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_safe(title)
    when = (created or datetime.now(UTC)).astimezone(UTC)
    etree.SubElement(head, "dateCreated").text = format_datetime(when, usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for sub in subs:
        parent = body
        folder = _xml_safe(sub.tags[0]) if sub.tags else ""
        if folder:
            if folder not in folders:
                folders[folder] = etree.SubElement(body, "outline", text=folder, title=folder)
            parent = folders[folder]
        parent.append(_feed_outline(sub))
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _feed_outline(sub: Subscription) -> etree._Element:
    attrs = {"type": "rss", "text": sub.title or sub.url}
    if sub.title:
        attrs["title"] = sub.title
    attrs["xmlUrl"] = sub.url
    if sub.site_url:
        attrs["htmlUrl"] = sub.site_url
    if sub.tags:
        attrs["category"] = ",".join(_escape_tag(t) for t in sub.tags)
    return etree.Element("outline", {k: _xml_safe(v) for k, v in attrs.items()})


def _escape_tag(tag: str) -> str:
    return "".join(_TAG_ESCAPES.get(c, c) for c in tag)


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)
