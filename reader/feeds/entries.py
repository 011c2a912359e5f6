"""A feed entry as both XML parsers hand it over, turned into a `RawItem`.

feedparser reads a document into dictionaries (`FeedParserDict`, read here with plain `dict.get`:
none of its key aliasing); the fast path (`emulate`) builds plain dictionaries of the very same
shape for the documents it understands. This module is the one place that decides what tidings
keeps of them, so the two paths agree by construction:

- title: `title`, as plain text (HTML reduced to text when its type says HTML);
- link: `link`, else the Media RSS player, else a Flash embed's page (YouTube's /v/ID as its
  watch page: see `media`, which lists no Flash enclosure); a guid that is not a web address
  is never a link;
- author: every name in `authors` (an email where there is no name), joined with ", ";
  an Atom entry without one inherits its source's, then its feed's;
- dates: `published` (else `created`), `updated`;
- summary: `summary` (else `subtitle`, the iTunes subtitle) unless it is feedparser's copy of
  the content, content: the first `content` (an HTML summary beside a plain-text content, as
  feedparser reads an RSS description followed by an itunes:summary, is made the content by
  `finish`);
  relative links inside them are made absolute against the base of the element that held them;
  "HTML" that holds no markup at all but has line breaks is kept as text (so its lines show);
- enclosures: `rel="enclosure"` links, then `media_content` (their URLs already resolved
  against xml:base by both parsers), with `itunes_duration`; http(s) only, no Flash (`media`);
- thumbnail: the first `media_thumbnail`, else the iTunes `image`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from reader.feeds.fields import DateFallback, absolute_link, guess_plain, parse_date, plain_text
from reader.feeds.finish import RawItem
from reader.feeds.media import FLASH, enclosure, parse_duration
from reader.feeds.urls import resolve_html
from reader.models import Enclosure

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_YOUTUBE_EMBED = re.compile(
    r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/v/([\w-]{6,20})(?:[?#]|\Z)"
)
_HTTP = ("http://", "https://")
_VOID_PAIR = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)(\s[^<>]*)?></\1>",
    re.IGNORECASE,
)

Entry = Mapping[str, Any]


def get(mapping: Any, key: str) -> Any:
    """A value of a dictionary (plain dict access: none of FeedParserDict's key aliasing)."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def s(mapping: Any, key: str) -> str:
    """A string value of a dictionary ("" for anything that is not a str)."""
    value = get(mapping, key)
    return value if isinstance(value, str) else ""


def dicts(mapping: Any, key: str) -> list[dict[str, Any]]:
    """The dictionaries in a list value of a dictionary."""
    value = get(mapping, key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def kind(detail: Any) -> str:
    """ "html" or "text" from a *_detail / content dictionary's MIME type (none: html)."""
    return kind_of_type(s(detail, "type"))


def kind_of_type(mime: str) -> str:
    """ "html" for an HTML or XHTML MIME type or none, else "text"."""
    return "html" if mime in _HTML_TYPES or not mime else "text"


def plain_field(mapping: Any, key: str) -> str:
    """A title-like field as plain text, by the type its `_detail` gives (none: text)."""
    detail = get(mapping, key + "_detail") if isinstance(mapping, dict) else None
    is_html = kind(detail) == "html" if isinstance(detail, dict) else False
    return plain_text(s(mapping, key), is_html)


def people(mapping: Any) -> str:
    """Every author's name (an email where there is no name), once each, joined with ", "."""
    names: list[str] = []
    for person in dicts(mapping, "authors"):
        name = guess_plain(s(person, "name")) or s(person, "email").strip()
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


def feed_link(feed: Any, base: str) -> str:
    """A feed's site address."""
    return absolute_link(s(feed, "link"), base)


def text_value(value: str, detail: Any, base: str) -> tuple[str, str]:
    """A summary or content value and its kind, its relative links resolved (and inline
    XHTML's `<br></br>`, as feedparser writes an empty element, made one `<br>`)."""
    mime = s(detail, "type")
    if mime and mime not in _HTML_TYPES:
        return value, "text"
    if not value:
        return value, "html"
    if mime == "application/xhtml+xml":
        value = _VOID_PAIR.sub(r"<\1\2>", value)
    return html_value(value, s(detail, "base") or base)


def html_value(value: str, base: str) -> tuple[str, str]:
    """An HTML summary or content: ("html", its relative links resolved against `base`), or,
    when it holds no markup at all but has line breaks, ("text", as it is) so its lines show."""
    if "<" not in value and "&" not in value:
        if "\n" in value.strip():
            return value, "text"  # plain text with line breaks, sent as "HTML"
        return value, "html"
    return (resolve_html(value, base) if "=" in value else value), "html"


def _link(entry: dict[str, Any], base: str) -> str:
    get = entry.get
    link = _str(get("link"))
    if (link and get("guidislink") and link == get("id") and not link.startswith(_HTTP)
            and not any(s(x, "href") == link for x in dicts(entry, "links"))):  # fmt: skip
        link = ""  # a guid that is not a web address (urn:, tag:, a number) is no link,
        # unless a <link> element says the same after it (then a relative link, resolved)
    if not link.strip() and isinstance(player := get("media_player"), dict):
        link = s(player, "url")
    if not link.strip():
        link = _watch_link(entry)
    return absolute_link(link, base)


def _watch_link(entry: dict[str, Any]) -> str:
    """A Flash embed's address as the item's link when it has no other (YouTube's old player
    https://www.youtube.com/v/ID is the video's watch page, /watch?v=ID); "" when none."""
    for media in dicts(entry, "media_content"):
        if s(media, "type").strip().lower() in FLASH and (url := s(media, "url").strip()):
            found = _YOUTUBE_EMBED.match(url)
            return f"https://www.youtube.com/watch?v={found.group(1)}" if found else url
    return ""


def _enclosures(entry: dict[str, Any], base: str) -> list[Enclosure | None]:
    """Enclosure links (RSS enclosure, Atom rel=enclosure), then Media RSS content."""
    found = [
        enclosure(absolute_link(s(x, "href"), base), s(x, "type"), s(x, "length"))
        for x in dicts(entry, "links")
        if s(x, "rel") == "enclosure"
    ]
    for x in dicts(entry, "media_content"):
        href = absolute_link(s(x, "url"), base)
        found.append(enclosure(href, s(x, "type"), s(x, "filesize"), s(x, "duration")))
    return found


def _thumbnail(entry: dict[str, Any], base: str) -> str:
    for thumb in dicts(entry, "media_thumbnail"):
        if url := absolute_link(s(thumb, "url"), base):
            return url
    image = entry.get("image")
    return absolute_link(s(image, "href"), base) if isinstance(image, dict) else ""


def entry_to_raw(
    entry: dict[str, Any], feed_author: str, base: str, read_date: DateFallback
) -> RawItem:
    """What tidings keeps of one entry (a plain dict: feedparser's are copied into one first;
    see the module docstring); `base` is the document's."""
    get = entry.get
    contents = get("content")
    first = contents[0] if isinstance(contents, list) and contents else {}
    first = first if isinstance(first, dict) else {}
    summary_key = "summary" if _str(get("summary")) else "subtitle"
    summary, detail = _str(get(summary_key)), get(summary_key + "_detail")
    if not isinstance(detail, dict) and summary == s(first, "value"):
        summary = ""  # feedparser's copy of the content (it has no type of its own)
    summary, summary_type = text_value(summary, detail, base)
    content, content_type = text_value(s(first, "value"), first, base)
    source = get("source")
    published = parse_date(_str(get("published")), read_date)
    if published is None and "created" in entry:
        published = parse_date(_str(get("created")), read_date)
    return RawItem(
        guid=_str(get("id")),
        link=_link(entry, base),
        title=plain_field(entry, "title"),
        author=people(entry) or (people(source) if isinstance(source, dict) else "") or feed_author,
        published=published,
        updated=parse_date(_str(get("updated")), read_date),
        summary=summary,
        summary_type=summary_type,
        content=content,
        content_type=content_type,
        enclosures=_enclosures(entry, base) if "links" in entry or "media_content" in entry else [],
        duration=parse_duration(_str(get("itunes_duration"))),
        thumbnail=_thumbnail(entry, base) if "media_thumbnail" in entry or "image" in entry else "",
    )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
