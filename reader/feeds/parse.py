"""Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) read into a `ParsedFeed`.

`parse_feed` is a pure function of its arguments (it runs in worker processes). Steps: JSON Feed
bodies go to `jsonfeed`; XML is re-encoded as UTF-8 (`charset`); the fast path (`fastxml`, a
hardened lxml parse: no DTD, no entity expansion, no network) reads RSS, RDF and Atom 1.0;
anything it does not fully understand (ill-formed XML, undeclared entities, Atom 0.3, elements
it does not replay) goes to feedparser, on bytes, never a URL. This is the only module that
imports feedparser, and FeedParserDict never leaves it. The fast path replays feedparser's own
rules (`emulate`) and both paths turn entries into items with `entries`, so they agree on every
field (tests/core/test_fastpath.py holds `_parse_fast` and `_parse_feedparser` to it, on
generated documents and on feedparser's own fixtures).

When the document has xml:base attributes feedparser is told its base (as Content-Location), so
its xml:base handling starts from an absolute, safe base (without one feedparser would let an
entry's base leak into the entries after it; with one it joins a URL at every element, so it is
not told when there is nothing to join); and it never resolves ids (a relative guid such as
"42" stays "42": an item's identity must not depend on the feed's address).
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from reader.errors import ParseError
from reader.feeds.charset import with_charset, xml_to_utf8
from reader.feeds.emulate import MAX_PERSON, split_person
from reader.feeds.entries import entry_to_raw, feed_link, people, plain_field
from reader.feeds.fastxml import NotUnderstood, parse_xml
from reader.feeds.finish import finish_items
from reader.feeds.jsonfeed import looks_like_json, parse_json_feed
from reader.feeds.urls import document_base
from reader.models import ParsedFeed

MAX_BODY = 32 * 1024 * 1024  # the fetcher stops at 16 MiB; anything larger is refused here
_COMMENT = rb"<!--(?:(?!-->).)*-->"  # never spans two comments: no exponential backtracking
_FIRST_ELEMENT = re.compile(
    rb"(?:<\?xml[^>]{0,200}>\s*)?(?:" + _COMMENT + rb"\s*)*(<!doctype\s+html\b[^>]{0,1000}>\s*)?"
    rb"(?:" + _COMMENT + rb"\s*)*<([A-Za-z][\w:.-]{0,40})",
    re.I | re.S,
)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"channel"})
_HTML_MESSAGE = "not a feed: the server sent an HTML page"
_FEEDPARSER_HEADERS = ("content-type", "content-language")
_BASE_ATTRIBUTE = re.compile(rb"base\s*=", re.IGNORECASE)
# feedparser looks for an email in an author field with a regex that takes quadratic time (2.5 s
# for one 32 KB author, however it is written: text, CDATA, entities). Its method is wrapped to
# cut the field first (to emulate.MAX_PERSON, which the fast path cuts to as well).
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
    if _is_html_page(xml.body):
        raise ParseError(_HTML_MESSAGE)
    base = document_base(url, headers.get("content-location", ""))
    try:
        feed = _parse_fast(xml.body, base)
    except NotUnderstood as why:
        feed = _parse_feedparser(xml.body, headers, base, why)
    if xml.lossy:
        note = f"some bytes were not valid {xml.encoding} and were replaced"
        feed = replace(feed, warning="; ".join(w for w in (feed.warning, note) if w))
    return feed


def _is_html_page(body: bytes) -> bool:
    """An HTML page rather than a feed: its first element is <html>, or it has an HTML DOCTYPE
    and its first element is not a feed's (RSS with an XHTML DOCTYPE is a feed)."""
    found = _FIRST_ELEMENT.match(body, 0, 4096)
    if found is None:
        return False
    first = found.group(2).lower()
    return first == b"html" or (found.group(1) is not None and first not in _FEED_ROOTS)


def _date_fallback(value: str) -> int | None:
    """feedparser's reading of a date in a format `fields.parse_date` does not know."""
    from feedparser.datetimes import _parse_date

    try:
        parsed = _parse_date(value)
        if parsed is None or parsed.tm_year < 1:
            return None
        return calendar.timegm(parsed)
    except (OverflowError, ValueError, TypeError):
        return None


def _parse_fast(body: bytes, base: str = "") -> ParsedFeed:
    """The fast path (fastxml, lxml) with feedparser's date reader for odd date formats."""
    return parse_xml(body, base, _date_fallback)


def _parse_feedparser(
    body: bytes,
    headers: Mapping[str, str] | None = None,
    base: str = "",
    why: NotUnderstood | None = None,
) -> ParsedFeed:
    """The lenient path: feedparser on the (UTF-8) bytes, mapped to our models by `entries`."""
    result = _run_feedparser(body, headers or {}, base)
    version = _s(result, "version")
    entries = [e for e in dict.get(result, "entries") or [] if isinstance(e, dict)]
    if not version and not entries:
        raise ParseError(_nothing_found(headers or {}, why))
    feed = dict.get(result, "feed") or {}
    feed_author = people(feed) if version.startswith("atom") else ""
    return ParsedFeed(
        title=plain_field(feed, "title"),
        site_url=feed_link(feed, base),
        items=finish_items(
            [entry_to_raw(dict(e), feed_author, base, _date_fallback) for e in entries]
        ),
        format=f"feedparser:{version or 'unknown'}",
        warning=_bozo_warning(result),
    )


def _sync_author_detail(self: Any, key: str = "author") -> None:
    """feedparser's _sync_author_detail, as it is, but for two things: the field it searches is
    cut to MAX_PERSON first (feedparser's email pattern takes quadratic time: 2.5 s for one
    32 KB author), and the author string is split by `emulate.split_person` (feedparser's
    pattern stops a domain at four letters: "x@news.example (Ann)" became the name "ple (Ann").
    The fast path replays this very method (`emulate.Reader.sync_author`)."""
    from feedparser.util import FeedParserDict

    context = self._get_context()
    value = context.get(key)
    if isinstance(value, str) and len(value) > MAX_PERSON:
        context[key] = value[:MAX_PERSON]
    detail = context.get(key + "s", [FeedParserDict()])[-1]
    if detail:
        name, email = detail.get("name"), detail.get("email")
        if name and email:
            context[key] = f"{name} ({email})"
        elif name or email:
            context[key] = name or email
        return
    author = context.get(key)
    parts = split_person(author) if isinstance(author, str) else {}
    if parts:
        context.setdefault(key + "_detail", detail)
    for part, found in parts.items():
        detail[part] = found


def _resolving(start: Any, key: str) -> Any:
    """feedparser's handler `start` for an RSS enclosure or a media:content, with its URL
    resolved against the xml:base in effect first, as feedparser resolves links (it resolves
    neither: a relative enclosure under an xml:base would be read against the document's
    address). The fast path does the same (handlers._resolve)."""

    def handler(self: Any, attrs_d: Any) -> None:
        if key == "href":
            attrs_d = self._enforce_href(attrs_d)
        value = attrs_d.get(key)
        if isinstance(value, str) and value.strip():
            attrs_d[key] = self.resolve_uri(value.strip())
        start(self, attrs_d)

    return handler


@cache
def _feedparser() -> Any:  # the feedparser module (untyped)
    """feedparser, loaded on first use (~15 ms in each parser process, which the fast path
    spares), with its author handling and enclosure URLs mended (see the two functions above)."""
    import feedparser

    mixin = getattr(getattr(feedparser, "mixin", None), "_FeedParserMixin", None)
    if mixin is not None and hasattr(mixin, "_sync_author_detail"):
        mixin._sync_author_detail = _sync_author_detail
    if mixin is not None and isinstance(getattr(mixin, "can_be_relative_uri", None), set):
        mixin.can_be_relative_uri = mixin.can_be_relative_uri - {"id"}  # ids stay as sent
    if mixin is not None and hasattr(mixin, "_start_enclosure"):
        mixin._start_enclosure = _resolving(mixin._start_enclosure, "href")
    if mixin is not None and hasattr(mixin, "_start_media_content"):
        mixin._start_media_content = _resolving(mixin._start_media_content, "url")
    return feedparser


def _run_feedparser(body: bytes, headers: Mapping[str, str], base: str = "") -> Any:
    """feedparser on bytes, never a URL, told the charset is UTF-8 (see charset.xml_to_utf8)
    and the document's base (as its Content-Location)."""
    given = {k: v for k, v in headers.items() if k in _FEEDPARSER_HEADERS}
    given["content-type"] = with_charset(headers.get("content-type", ""), "utf-8")
    if base and _BASE_ATTRIBUTE.search(body):
        given["content-location"] = base  # costly for feedparser: only when there is xml:base
    try:
        return _feedparser().parse(
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


def _bozo_warning(result: Any) -> str:
    """A short reason when feedparser had to recover from an ill-formed document."""
    error = dict.get(result, "bozo_exception")
    ignored = _feedparser().ThingsNobodyCaresAboutButMe
    if not dict.get(result, "bozo") or isinstance(error, ignored):
        return ""
    if error is None:
        return "ill-formed feed, partly recovered"
    message = error.getMessage() if hasattr(error, "getMessage") else str(error)
    line = error.getLineNumber() if hasattr(error, "getLineNumber") else None
    where = f" at line {line}" if line else ""
    return f"ill-formed feed, partly recovered: {' '.join(str(message).split())[:100]}{where}"
