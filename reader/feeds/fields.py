"""What every feed parser (fast XML, feedparser, JSON Feed) does to a field, in one place.

Titles and authors become plain text (tags stripped, entities decoded, whitespace collapsed,
mojibake mended); links are made absolute; dates become Unix seconds. `finish` turns the
parsers' `RawItem`s into `ParsedItem`s, so the three parsers agree by construction.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from reader.feeds.repair import repair
from reader.textsafe import storable

# The elements whose presence makes an RSS title "look like HTML" (as feedparser decides).
_HTML_ELEMENT_NAMES = """
a abbr acronym address area article aside audio b big blockquote br button canvas caption center
cite code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em
event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input
ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option
output p pre progress q s samp section select small sound source spacer span strike strong sub sup
table tbody td textarea tfoot th thead time tr tt u ul var video
"""
_HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())
_CLOSE_TAG = re.compile(r"</(\w+)>")
_ENTITY_REF = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_NAMED_ENTITY = re.compile(r"&(\w+);")
_INVISIBLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|dd|dt|pre|hr)\b[^>]*>", re.I
)
_ANY_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_MAX_PLAIN = 8192  # titles and authors are cut here: they are not articles, and regexes stay fast
_MAX_DATE = 100
_LINK_SCHEMES = frozenset({"", "http", "https", "ftp", "mailto"})

_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)}
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5}
_ZONES.update({"mst": -7, "mdt": -6, "pst": -8, "pdt": -7})
_RFC822 = re.compile(
    r"(?:[a-z]{3,9},?\s+)?(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{2}|\d{4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([a-z]{1,3})|([+-])(\d{2}):?(\d{2}))?",
    re.IGNORECASE,
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

DateFallback = Callable[[str], int | None]


def collapse(text: str) -> str:
    """`text` with every run of whitespace (including ideographic space) as one space."""
    return " ".join(text.split())


def looks_like_html(text: str) -> bool:
    """Whether an RSS text field is HTML: a close tag or entity, and only known HTML names."""
    if "<" not in text and "&" not in text:
        return False
    if not (_CLOSE_TAG.search(text) or _ENTITY_REF.search(text)):
        return False
    if any(tag.lower() not in _HTML_ELEMENTS for tag in _TAG_NAME.findall(text)):
        return False
    return all(name in html.entities.entitydefs for name in _NAMED_ENTITY.findall(text))


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment: no tags, scripts or comments; entities decoded; collapsed."""
    if "<" in markup:
        markup = _INVISIBLE.sub(" ", markup)
        markup = _BLOCK_TAG.sub(" ", markup)
        markup = _ANY_TAG.sub("", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return collapse(markup)


def plain_text(value: str, is_html: bool) -> str:
    """A title/author as plain text: HTML reduced to text when `is_html`, else only collapsed;
    mojibake mended and normalised (see `repair`)."""
    value = value[:_MAX_PLAIN]
    return storable(repair(html_to_text(value) if is_html else collapse(value)))


def guess_plain(value: str) -> str:
    """`plain_text` for fields whose type is unknown (RSS, JSON Feed): HTML if it looks so."""
    return plain_text(value, looks_like_html(value[:_MAX_PLAIN]))


def text_to_html(text: str) -> str:
    """Literal text as an HTML fragment (escaped; blank lines are paragraphs, other line breaks
    are line breaks)."""
    paragraphs = re.split(r"\n\s*\n", html.escape(text.strip(), quote=False))
    lines = ("<br>".join(line.strip() for line in p.strip().split("\n")) for p in paragraphs)
    return "".join(f"<p>{p}</p>" for p in lines if p)


_ABSOLUTE_HTTP = re.compile(r"https?://[^\s/?#]+(?:[/?#][^\s]*)?\Z", re.IGNORECASE)


def absolute_link(href: str, base: str) -> str:
    """`href` resolved against `base`; "" when empty or of a scheme we never open."""
    href = href.strip()
    if not href:
        return ""
    if _ABSOLUTE_HTTP.match(href):  # the common case: already absolute, nothing to resolve
        return storable(href)
    try:
        url = urljoin(base, href) if base else href
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return storable(url) if scheme in _LINK_SCHEMES else ""


def _rfc822(value: str) -> int | None:
    """RFC 822/1123 date (RSS pubDate) as Unix seconds; None when not that or invalid."""
    match = _RFC822.fullmatch(value)
    month = _MONTHS.get(match.group(2)[:3].lower()) if match else None
    if match is None or month is None:
        return None
    day, _, year_text, hour, minute, second, zone, sign, zh, zm = match.groups()
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 90 else 1900
    if zone is not None:
        if zone.lower() not in _ZONES:
            return None  # an unknown zone name: let the fallback decide
        offset = timedelta(hours=_ZONES[zone.lower()])
    else:
        offset = timedelta(hours=int(zh or 0), minutes=int(zm or 0))
        offset = -offset if sign == "-" else offset
    fields = (year, month, int(day), int(hour), int(minute), int(second or 0))
    return _seconds(datetime(*fields, tzinfo=timezone(offset)))


def _iso8601(value: str) -> int | None:
    """RFC 3339 / ISO 8601 date-time (Atom, JSON Feed, dc:date) as Unix seconds."""
    stamp = datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return _seconds(stamp)


def _seconds(stamp: datetime) -> int:
    """An aware datetime as whole Unix seconds (floor)."""
    return (stamp - _EPOCH) // timedelta(seconds=1)


def parse_date(value: str, fallback: DateFallback | None = None) -> int | None:
    """A feed date as Unix seconds (UTC); None when missing, invalid or unrepresentable.

    RFC 822 and RFC 3339 are read here; anything else goes to `fallback` (feedparser's many
    formats). Year 0 is unrepresentable; year 9999 is returned as is.
    """
    value = value.strip()
    if not value or len(value) > _MAX_DATE:
        return None
    reader = _iso8601 if value[:4].isdigit() else _rfc822
    try:
        seconds = reader(value)
    except (ValueError, OverflowError):
        seconds = None
    if seconds is None and fallback is not None:
        return fallback(value)
    return seconds
