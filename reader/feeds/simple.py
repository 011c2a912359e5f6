"""The common item, read in one pass: what `emulate` and `entries` together would make of it,
at the speed of a plain loop.

Most items are a title, a link, a guid, a date, a description and perhaps content:encoded, an
author, categories and enclosures (RSS), or a title, links, an id, dates, an author, a summary
and content (Atom), each once, in any order, as leaves. For those feedparser's rules come down
to a few assignments (which of guid and link comes first still matters); this module makes
them. Anything else (a repeated title, a second description, media, iTunes, xml:base, XHTML
content, an author with more than a name, email and URI...) returns None, and the item is read
by the general replay. tests/core/test_fastpath.py reads every generated document both ways.
"""

from __future__ import annotations

from lxml import etree

from reader.feeds.emulate import (
    _CLASHING,
    _COPY_TO_SUMMARY,
    _HTML_TYPES,
    _QUERY,
    Reader,
    attributes,
    map_type,
    split_person,
    unmangle,
)
from reader.feeds.entries import html_value
from reader.feeds.fields import absolute_link, guess_plain, looks_like_html, parse_date, plain_text
from reader.feeds.finish import RawItem
from reader.feeds.fpnames import _NAMES, HANDLED, name_of
from reader.feeds.media import enclosure
from reader.feeds.urls import join
from reader.models import Enclosure

_HTTP = ("http://", "https://")
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_UNSIMPLE = _CLASHING | {"itunes_duration"}  # unknown to feedparser, but read by tidings
_DATES = {"pubdate": "published", "published": "published", "updated": "updated"}
_DATES["dc_date"] = "updated"
_TEXTS = {"description": "text/html", "content_encoded": "text/html"}
_TEXTS.update({"summary": "text/plain", "content": "text/plain"})


class _NotSimple(Exception):
    pass


def simple_item(r: Reader, el: etree._Element, about: str) -> RawItem | None:
    """The item `el` as a RawItem (author "" when it names none: the caller gives the feed's),
    or None when it is not of the common shape."""
    if r.has_content or r.bases is not None:
        return None
    try:
        return _read(r, el, about)
    except _NotSimple:
        return None


class _Item:
    """What feedparser's replay would keep of the item, in the order it would."""

    __slots__ = (
        "content", "dates", "enclosures", "guid", "guidislink", "link", "person", "summary",
        "text_link", "title",
    )  # fmt: skip

    def __init__(self, about: str) -> None:
        self.title: tuple[str, str] | None = None  # (value, MIME type)
        self.link: str | None = None
        self.guid = about
        self.guidislink: bool | None = None  # None until a guid (or Atom id) is read
        self.summary: tuple[str, str] | None = None  # MIME type "" when copied from content
        self.content: tuple[str, str] | None = None
        self.dates: dict[str, str] = {}
        self.person: dict[str, str] | None = None
        self.enclosures: list[tuple[str, str, str]] = []  # (href, type, length)
        self.text_link = False  # an RSS <link> (its text) was read


def _read(r: Reader, el: etree._Element, about: str) -> RawItem:
    item, atom = _Item(about), r.atom
    for child in el:  # elements only: the parser drops comments and processing instructions
        name = (_NAMES.get(child.tag) or name_of(child))[0]
        if name in _TEXTS:
            _text(item, name, _text_construct(child, _TEXTS[name], atom))
        elif name == "title":
            if item.title is not None:
                raise _NotSimple
            item.title = _text_construct(child, "text/plain", atom)
        elif name in _DATES:
            _date(item, child, _DATES[name])
        else:
            _OTHERS.get(name, _other)(r, item, child, name)
    if item.title is not None and item.title[0]:
        r.title_depth = r.depth + 1
    return _raw(r, item)


def _text(item: _Item, name: str, found: tuple[str, str]) -> None:
    if name in ("description", "summary"):
        if item.summary is not None and item.summary[1]:
            raise _NotSimple  # a second one: feedparser makes it content
        item.summary = found
        return
    if item.content is not None:
        raise _NotSimple
    item.content = found
    if item.summary is None and found[1] in _COPY_TO_SUMMARY:
        item.summary = (found[0], "")


def _date(item: _Item, el: etree._Element, key: str) -> None:
    if key in item.dates or len(el):
        raise _NotSimple
    value = (el.text or "").strip()
    item.dates[key] = value if value.isascii() else unmangle(value)


def _link(r: Reader, item: _Item, el: etree._Element, _: str) -> None:
    if not el.attrib:
        if item.text_link or len(el):
            raise _NotSimple  # a second text link: feedparser keeps it differently
        item.text_link = True
        link = (el.text or "").strip()
        if link:
            link = join(r.base or "", link)
            if not link.isascii():
                link = unmangle(link)
            if "&" in link:
                link = _QUERY.sub(r"&\1", link.replace("&amp;", "&"))
        item.link = link
        return
    attrs = _attrs(el)
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if not href or len(el):
        raise _NotSimple
    rel = attrs.get("rel", "alternate")
    kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
    href = join(r.base or "", href)
    if rel == "alternate" and map_type(kind) in _HTML_TYPES:
        item.link = href
    elif rel == "enclosure":
        item.enclosures.append((href, kind, attrs.get("length", "")))


def _guid(r: Reader, item: _Item, el: etree._Element, _: str) -> None:
    if item.guidislink is not None or len(el):
        raise _NotSimple  # a second guid or id
    permalink = True
    if el.attrib:
        attrs = _attrs(el)
        if len(attrs) > 1 or (attrs and "ispermalink" not in attrs):
            raise _NotSimple
        permalink = attrs.get("ispermalink", "true") == "true"
    guid = (el.text or "").strip()
    item.guid = guid if guid.isascii() else unmangle(guid)
    if item.guidislink is None:
        item.guidislink = permalink and item.link is None
    if permalink and item.link is None:
        item.link = item.guid


def _author(r: Reader, item: _Item, el: etree._Element, _: str) -> None:
    if item.person is not None or el.attrib:
        raise _NotSimple
    item.person = _person(el) if len(el) else split_person(_leaf(el))


def _enclosure(r: Reader, item: _Item, el: etree._Element, _: str) -> None:
    if len(el):
        raise _NotSimple
    attrs = _attrs(el)
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    item.enclosures.append((href or "", attrs.get("type", ""), attrs.get("length", "")))


def _other(r: Reader, item: _Item, el: etree._Element, name: str) -> None:
    """Categories, and elements feedparser keeps under names tidings does not read."""
    if name in HANDLED:
        if name != "category" or len(el):
            raise _NotSimple
    elif name in _UNSIMPLE or len(el):
        raise _NotSimple


_OTHERS = {"link": _link, "guid": _guid, "id": _guid, "author": _author, "dc_creator": _author}
_OTHERS["enclosure"] = _enclosure


def _raw(r: Reader, item: _Item) -> RawItem:
    base, link = r.base, item.link
    if link and item.guidislink and link == item.guid and not link.startswith(_HTTP):
        link = ""  # a guid that is not a web address is no link
    summary, summary_type = _body(item.summary, base)
    content, content_type = _body(item.content, base)
    person, title = item.person, item.title
    published, updated = item.dates.get("published"), item.dates.get("updated")
    return RawItem(
        guid=item.guid,
        link=absolute_link(link, base) if link else "",
        title=plain_text(title[0], title[1] == "text/html") if title else "",
        author=_author_of(person) if person else "",
        published=parse_date(published, r.read_date) if published else None,
        updated=parse_date(updated, r.read_date) if updated else None,
        summary=summary,
        summary_type=summary_type,
        content=content,
        content_type=content_type,
        enclosures=_enclosures(r, item) if item.enclosures else [],
    )


def _attrs(el: etree._Element) -> dict[str, str]:
    if not el.attrib:
        return {}
    attrs = attributes(el)
    attrs.pop("xml:lang", None)
    if "xml:base" in attrs or "base" in attrs:
        raise _NotSimple  # its own base: the replay keeps track of those
    return attrs


def _leaf(el: etree._Element) -> str:
    return unmangle((el.text or "").strip())


def _text_construct(el: etree._Element, default: str, atom: bool) -> tuple[str, str]:
    """(value, MIME type) of a title, description, summary or content that is plain text or
    escaped HTML, as feedparser keeps it."""
    if len(el):
        raise _NotSimple  # markup where text belongs
    kind = default
    if el.attrib:
        attrs = _attrs(el)
        if set(attrs) - {"type"}:
            raise _NotSimple
        kind = map_type(attrs["type"]) if attrs else default
        if kind not in _TEXT_TYPES:
            raise _NotSimple
    value = (el.text or "").strip()
    if not atom and kind == "text/plain" and looks_like_html(value):
        kind = "text/html"
    return (value if value.isascii() else unmangle(value)), kind


def _person(el: etree._Element) -> dict[str, str]:
    """An Atom author: a name, an email and a URI, each once, as leaves (feedparser keeps the
    name and email as written, only stripped)."""
    person: dict[str, str] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = name_of(child)[0]
        if name not in ("name", "email", "uri") or len(child) or child.attrib:
            raise _NotSimple
        key = "href" if name == "uri" else name
        if key in person:
            raise _NotSimple
        person[key] = (child.text or "").strip()
    return person


def _author_of(person: dict[str, str]) -> str:
    return guess_plain(person.get("name", "")) or person.get("email", "").strip()


def _enclosures(r: Reader, item: _Item) -> list[Enclosure | None]:
    """Enclosures resolved against the item's base (its channel's xml:base or the document's),
    as the replay and feedparser resolve them (handlers._resolve)."""
    base = r.base or ""
    return [
        enclosure(absolute_link(join(base, h.strip()) if h.strip() else "", base), kind, length)
        for h, kind, length in item.enclosures
    ]


def _body(found: tuple[str, str] | None, base: str) -> tuple[str, str]:
    """`entries.text_value` for a summary or content of this item (no base of its own)."""
    if found is None or not found[1]:
        return "", "html"  # none, or feedparser's copy of the content: no summary of its own
    value, kind = found
    if kind not in _HTML_TYPES:
        return value, "text"
    return html_value(value, base) if value else (value, "html")
