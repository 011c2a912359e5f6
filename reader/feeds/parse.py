"""Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) read into a `ParsedFeed`.

`parse_feed` is a pure function of its arguments (it runs in worker processes). Steps: JSON Feed
bodies go to `jsonfeed`; XML is re-encoded as UTF-8 (`charset`); the fast path (`fastxml`, a
hardened lxml parse: no DTD, no entity expansion, no network) reads RSS, RDF and Atom 1.0;
anything it does not fully understand (ill-formed XML, undeclared entities, Atom 0.3, markup where
text belongs, unknown roots) goes to feedparser, on bytes, never a URL. This is the only module
that imports feedparser, and FeedParserDict never leaves it. Both paths build items with
`fields`, so they agree on every field (tests hold `_parse_fast` and `_parse_feedparser` to it).
"""

from __future__ import annotations

import calendar
import functools
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import feedparser
from feedparser.datetimes import _parse_date as _feedparser_parse_date

from reader.errors import ParseError
from reader.feeds.charset import with_charset, xml_to_utf8
from reader.feeds.fastxml import NotUnderstood, parse_xml
from reader.feeds.fields import (
    RawItem,
    absolute_link,
    base_url,
    finish_items,
    first_author,
    guess_plain,
    parse_date,
    plain_text,
)
from reader.feeds.jsonfeed import looks_like_json, parse_json_feed
from reader.feeds.media import enclosure, parse_duration
from reader.models import Enclosure, ParsedFeed

MAX_BODY = 32 * 1024 * 1024  # the fetcher stops at 16 MiB; anything larger is refused here
_COMMENT = rb"<!--(?:(?!-->).)*-->"  # never spans two comments: no exponential backtracking
_HTML_PAGE = re.compile(
    rb"(?:<\?xml[^>]{0,200}>\s*)?(?:" + _COMMENT + rb"\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_MESSAGE = "not a feed: the server sent an HTML page"
_FEEDPARSER_HEADERS = ("content-type", "content-language")  # no base: see _run_feedparser
# feedparser looks for an email in an author field with a regex that takes quadratic time (2.5 s
# for one 32 KB author, however it is written: text, CDATA, entities). Its method is wrapped to
# cut the field first: tidings reads 512 characters of an author at most anyway.
_MAX_PERSON = 1024
_HTTP = ("http://", "https://")


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, url: str = "") -> ParsedFeed:
    """Read a feed document (RSS, Atom, RDF or JSON Feed) into a `ParsedFeed`.

    `headers` are the HTTP response headers (lower-case names; content-type and
    content-location matter), `url` the address the body came from (the base of relative
    links). Raises ParseError with one line when the body is not a feed at all; a feed that was
    ill-formed but partly recovered comes back with `warning` set.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type", "")
    if len(body) > MAX_BODY:
        raise ParseError(f"feed too large: {len(body) // (1024 * 1024)} MiB")
    if looks_like_json(body):
        return parse_json_feed(body, content_type, url)
    xml = xml_to_utf8(body, content_type, headers.get("content-language"))
    if not xml.body.strip():
        raise ParseError("empty body")
    if _HTML_PAGE.match(xml.body, 0, 4096):
        raise ParseError(_HTML_MESSAGE)
    base = base_url(url, headers.get("content-location", ""))
    try:
        feed = _parse_fast(xml.body, base)
    except NotUnderstood as why:
        feed = _parse_feedparser(xml.body, headers, base, why)
    if xml.lossy:
        note = f"some bytes were not valid {xml.encoding} and were replaced"
        feed = replace(feed, warning="; ".join(w for w in (feed.warning, note) if w))
    return feed


def _date(value: str) -> int | None:
    return parse_date(value, _feedparser_date)


def _feedparser_date(value: str) -> int | None:
    """feedparser's reading of a date in a format `fields.parse_date` does not know."""
    try:
        parsed = _feedparser_parse_date(value)
        if parsed is None or parsed.tm_year < 1:
            return None
        return calendar.timegm(parsed)
    except (OverflowError, ValueError, TypeError):
        return None


def _parse_fast(body: bytes, base: str = "") -> ParsedFeed:
    """The fast path (fastxml, lxml) with feedparser's date reader for odd date formats."""
    return parse_xml(body, base, _date)


def _parse_feedparser(
    body: bytes,
    headers: Mapping[str, str] | None = None,
    base: str = "",
    why: NotUnderstood | None = None,
) -> ParsedFeed:
    """The lenient path: feedparser on the (UTF-8) bytes, mapped to our models here."""
    result = _run_feedparser(body, headers or {})
    version = _s(result, "version")
    entries = [e for e in dict.get(result, "entries") or [] if isinstance(e, dict)]
    if not version and not entries:
        raise ParseError(_nothing_found(headers or {}, why))
    feed = dict.get(result, "feed") or {}
    feed_author = _fp_author(feed) if version.startswith("atom") else ""
    return ParsedFeed(
        title=_fp_plain(feed, "title"),
        site_url=absolute_link(_s(feed, "link"), base),
        items=finish_items([_fp_entry(e, feed_author, base) for e in entries]),
        format=f"feedparser:{version or 'unknown'}",
        warning=_bozo_warning(result),
    )


def _bounded_author_detail(original: Callable[..., None]) -> Callable[..., None]:
    """feedparser's _sync_author_detail, with the field it searches cut to _MAX_PERSON."""

    @functools.wraps(original)
    def sync(self: Any, key: str = "author") -> None:
        context = self._get_context()
        value = context.get(key)
        if isinstance(value, str) and len(value) > _MAX_PERSON:
            context[key] = value[:_MAX_PERSON]
        original(self, key)

    return sync


_Mixin = getattr(getattr(feedparser, "mixin", None), "_FeedParserMixin", None)
if _Mixin is not None and hasattr(_Mixin, "_sync_author_detail"):
    _Mixin._sync_author_detail = _bounded_author_detail(_Mixin._sync_author_detail)


def _run_feedparser(body: bytes, headers: Mapping[str, str]) -> Any:
    """feedparser on bytes, never a URL, told the charset is UTF-8 (see charset.xml_to_utf8).

    It gets no base URL: it would resolve relative guids against it too ("cn-1" becoming
    "http://host/cn-1"). Links are resolved here with `absolute_link`, as on the fast path.
    """
    given = {k: v for k, v in headers.items() if k in _FEEDPARSER_HEADERS}
    given["content-type"] = with_charset(headers.get("content-type", ""), "utf-8")
    try:
        return feedparser.parse(
            io.BytesIO(body),
            response_headers=given,
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser is robust; a bug in it must still read as one line
        raise ParseError(f"not a feed: the lenient parser failed ({type(exc).__name__})") from None


def _nothing_found(headers: Mapping[str, str], why: NotUnderstood | None) -> str:
    if headers.get("content-type", "").split(";")[0].strip().lower() == "text/html":
        return _HTML_MESSAGE
    if why is None or not why.well_formed:
        return "not a feed: unreadable XML"
    return f"not a feed: {why}"


def _s(mapping: Any, key: str) -> str:
    """A string value of a FeedParserDict (plain dict access: none of its key aliasing)."""
    value = dict.get(mapping, key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else ""


def _fp_kind(mapping: Any) -> str:
    """ "html" or "text" from a feedparser *_detail/content dict's MIME type."""
    kind = _s(mapping, "type")
    return "html" if kind in ("text/html", "application/xhtml+xml") or not kind else "text"


def _fp_plain(mapping: Any, key: str) -> str:
    detail = dict.get(mapping, key + "_detail") or {}
    return plain_text(_s(mapping, key), _fp_kind(detail) == "html" if detail else False)


def _fp_author(mapping: Any) -> str:
    authors = [a for a in dict.get(mapping, "authors") or [] if isinstance(a, dict)]
    return first_author((guess_plain(_s(a, "name")), _s(a, "email").strip()) for a in authors)


def _fp_entry(entry: Any, feed_author: str, base: str) -> RawItem:
    link, guid = _s(entry, "link"), _s(entry, "id")
    if dict.get(entry, "guidislink") and link == guid and not link.startswith(_HTTP):
        link = ""  # feedparser made a non-web guid (urn:, tag:) the link
    contents = [c for c in dict.get(entry, "content") or [] if isinstance(c, dict)]
    first = contents[0] if contents else {}
    return RawItem(
        guid=guid,
        link=absolute_link(link, base),
        title=_fp_plain(entry, "title"),
        author=_fp_author(entry) or feed_author,
        published=_date(_s(entry, "published")),
        updated=_date(_s(entry, "updated")),
        summary=_s(entry, "summary"),
        summary_type=_fp_kind(dict.get(entry, "summary_detail") or {}),
        content=_s(first, "value"),
        content_type=_fp_kind(first),
        enclosures=_fp_enclosures(entry, base),
        duration=parse_duration(_s(entry, "itunes_duration")),
    )


def _fp_enclosures(entry: Any, base: str) -> list[Enclosure | None]:
    """Enclosure links (RSS enclosure, Atom rel=enclosure), then Media RSS content."""
    links = [x for x in dict.get(entry, "links") or [] if isinstance(x, dict)]
    media = [x for x in dict.get(entry, "media_content") or [] if isinstance(x, dict)]
    return [
        *(
            enclosure(absolute_link(_s(x, "href"), base), _s(x, "type"), _s(x, "length"))
            for x in links
            if _s(x, "rel") == "enclosure"
        ),
        *(
            enclosure(
                absolute_link(_s(x, "url"), base),
                _s(x, "type"),
                _s(x, "filesize"),
                _s(x, "duration"),
            )
            for x in media
        ),
    ]


def _bozo_warning(result: Any) -> str:
    """A short reason when feedparser had to recover from an ill-formed document."""
    error = dict.get(result, "bozo_exception")
    if not dict.get(result, "bozo") or isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        return ""
    if error is None:
        return "ill-formed feed, partly recovered"
    message = error.getMessage() if hasattr(error, "getMessage") else str(error)
    line = error.getLineNumber() if hasattr(error, "getLineNumber") else None
    where = f" at line {line}" if line else ""
    return f"ill-formed feed, partly recovered: {' '.join(str(message).split())[:100]}{where}"
