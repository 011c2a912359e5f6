"""The last step of every parser: `RawItem`s (an entry as a parser read it) become the
`ParsedItem`s that are stored.

Summary and content are trimmed, deduplicated and made one type (an HTML summary beside a
plain-text content that says no more is the story: `_richer`), mended and normalised; an
item's enclosures are merged (see `media`); every item gets its identity key (`identity`) from
what the feed sent. Then, for what the reader shows: an item without a title is titled from the
start of its text, else from its link (as newsboat does), else its first enclosure's file name;
a thumbnail (Media RSS, iTunes image) the body does not already show is put at its head, linked
to the image. Only an item with nothing at all to show is dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from reader.feeds.fields import collapse, html_to_text, text_to_html
from reader.feeds.identity import KeySource, assign_keys
from reader.feeds.media import merge_enclosures
from reader.feeds.repair import repair
from reader.models import Enclosure, ParsedItem, content_digest, item_digest
from reader.textsafe import storable

TITLE_COLUMNS = 72  # a title made from an item's text is cut at about this many columns
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)


@dataclass(slots=True)
class RawItem:
    """An entry as a parser read it: title/author already plain, everything else raw."""

    guid: str = ""
    link: str = ""
    title: str = ""
    author: str = ""
    published: int | None = None
    updated: int | None = None
    summary: str = ""
    summary_type: str = "html"  # "html" or "text"
    content: str = ""
    content_type: str = "html"
    enclosures: list[Enclosure | None] = field(default_factory=list)
    duration: int | None = None  # the episode's itunes:duration (given to its enclosure)
    thumbnail: str = ""  # an absolute image URL (media:thumbnail, itunes:image)
    swapped: bool = False  # summary and content were swapped (`_richer`): the key is the same


def _normalized(raw: RawItem) -> RawItem:
    """`raw` with summary/content trimmed, mended, deduplicated and of one type."""
    summary, content = raw.summary.strip(), raw.content.strip()
    if not summary.isascii():
        summary = repair(summary)
    if not content.isascii():
        content = repair(content)
    stype, ctype = raw.summary_type, raw.content_type
    swapped = False
    if summary == content:
        summary = ""  # feedparser copies content into summary; the summary adds nothing
    elif ctype == "text" and stype == "html" and summary and content and _richer(summary, content):
        summary, stype, content, ctype, swapped = content, ctype, summary, stype, True
    if summary and content and stype != ctype:
        if stype == "text":
            summary, stype = text_to_html(summary), "html"
        else:
            content, ctype = text_to_html(content), "html"
    return RawItem(
        guid=storable(raw.guid.strip()),
        link=storable(raw.link),
        title=storable(raw.title),
        author=storable(raw.author),
        published=raw.published if raw.published is not None else raw.updated,
        updated=raw.updated,
        summary=storable(summary),
        summary_type=stype,
        content=storable(content),
        content_type=ctype if content else stype,
        enclosures=[*merge_enclosures(raw.enclosures, raw.duration)] if raw.enclosures else [],
        thumbnail=storable(raw.thumbnail) if raw.thumbnail else "",
        swapped=swapped,
    )


def _richer(markup: str, text: str) -> bool:
    """Whether an HTML summary should be the story rather than a plain-text content: unless
    the plain text says clearly more (a quarter more characters than the HTML's text).

    feedparser makes the second of an RSS item's description and itunes:summary its content,
    whichever it is, so a podcast episode's plain itunes:summary (Apple's deprecated, 4,000
    characters, no markup) would hide the HTML show notes in its description (links, lists).
    Apple Podcasts and Spotify show the description; AntennaPod keeps the longest of
    description, content:encoded and itunes:summary. The plain text is then the summary (and
    an item's identity is still made from it, as it was before: `finish_items`)."""
    return len(html_to_text(markup)) * 5 >= len(collapse(text)) * 4


def _has_substance(item: RawItem) -> bool:
    return bool(
        item.title or item.link or item.summary or item.content or item.enclosures or item.thumbnail
    )


def finish_items(raws: Sequence[RawItem]) -> tuple[ParsedItem, ...]:
    """The `ParsedItem`s of a document, in order, with unique stable keys (made from what the
    feed sent, before any title or thumbnail is added). Items with nothing to show are dropped.
    """
    items = [item for item in map(_normalized, raws) if _has_substance(item)]
    sources = [
        KeySource(i.guid, i.link, i.title, i.summary if i.swapped else i.content or i.summary)
        for i in items
    ]
    keys = assign_keys(sources)
    return tuple(
        _parsed_item(_presented(i) if not i.title or i.thumbnail else i, key)
        for i, key in zip(items, keys, strict=True)
    )


def _presented(item: RawItem) -> RawItem:
    """`item` with a title made up when it has none and its thumbnail at the head of its body."""
    if not item.title:
        item = replace(item, title=storable(made_up_title(item)))
    if item.thumbnail and item.thumbnail not in item.content and item.thumbnail not in item.summary:
        url = html.escape(item.thumbnail)
        image = f'<p><a href="{url}"><img src="{url}" alt="thumbnail"></a></p>'
        if item.content or not item.summary:
            body = item.content if item.content_type == "html" else text_to_html(item.content)
            item = replace(item, content=image + body, content_type="html")
        else:
            body = item.summary if item.summary_type == "html" else text_to_html(item.summary)
            item = replace(item, summary=image + body, summary_type="html", content_type="html")
    return item


def made_up_title(item: RawItem) -> str:
    """A title for an item that has none: the start of its text, else a name made from its
    link (the last part of the path, words split at - and _), else its first enclosure's file
    name, else ""."""
    body = item.content or item.summary
    kind = item.content_type if item.content else item.summary_type
    text = html_to_text(body) if kind == "html" else collapse(body)
    if text:
        return _cut(text, TITLE_COLUMNS)
    for url in (item.link, *(e.url for e in item.enclosures if e is not None)):
        if name := _name_from_url(url, strip_suffix=url == item.link):
            return name
    return ""


def _cut(text: str, columns: int) -> str:
    """The start of `text` within about `columns` terminal columns (at a space when there is
    one in the second half), with "…" when something was cut."""
    width = 0
    for index, char in enumerate(text):
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if width > columns:
            head = text[:index]
            space = head.rfind(" ")
            if space > len(head) // 2:
                head = head[:space]
            return head.rstrip(" ,;:") + "…"
    return text


def _name_from_url(url: str, *, strip_suffix: bool) -> str:
    try:
        parts = urlsplit(url)
        segment = PurePosixPath(unquote(parts.path)).name
    except ValueError:
        return ""
    if strip_suffix:
        segment = _PAGE_SUFFIX.sub("", segment)
        segment = collapse(segment.replace("-", " ").replace("_", " "))
        segment = segment[:1].upper() + segment[1:]
    return repair(segment or parts.netloc)


def _parsed_item(i: RawItem, key: str) -> ParsedItem:
    enclosures = tuple(e for e in i.enclosures if e is not None) if i.enclosures else ()
    texts = (i.summary, i.content, i.content_type)
    if enclosures:
        digest = item_digest(i.title, i.link, i.author, i.updated, texts, enclosures)
    else:  # the same digest, one call less
        digest = content_digest(i.title, i.link, i.author, str(i.updated), *texts)
    return ParsedItem(
        key=storable(key),
        title=i.title,
        link=i.link,
        author=i.author,
        published=i.published,
        updated=i.updated,
        summary=i.summary,
        content=i.content,
        content_type=i.content_type,
        enclosures=enclosures,
        digest=digest,
    )
