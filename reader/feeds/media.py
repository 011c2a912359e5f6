"""Enclosures (the media files items carry) as every parser reads them, in one place.

RSS `<enclosure url type length>`, Atom `<link rel="enclosure" href type length>`, Media RSS
`<media:content url type fileSize duration>` and JSON Feed attachments all become `Enclosure`s
here: the URL absolute (resolved by the parsers against the xml:base in effect, else the
document's address or Content-Location, as links are), the length a positive byte count or
None, durations in seconds. An enclosure is something to play or download, so only http and
https URLs are kept (a `javascript:`, `data:`, `ftp:` or still relative URL is dropped), and
so is a Flash embed (`application/x-shockwave-flash`, a `.swf`: YouTube's feeds still name
the old player as media:content; no player plays it, and the video is the item's link).
One item's enclosures are merged by URL (a podcast that names its episode both as an
enclosure and as media:content has one enclosure, with what both say), and an episode's
`itunes:duration` goes to its first enclosure that is not an image.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from reader.models import Enclosure
from reader.textsafe import storable

_HTTP = ("http://", "https://")
_MAX_LENGTH = 2**62  # bigger "lengths" are nonsense; SQLite integers stop at 2**63
_MAX_DURATION = 10 * 365 * 86400
_CLOCK = re.compile(r"(?:\d{1,6}:){0,2}\d{1,9}(?:\.\d{0,9})?")
FLASH = frozenset({"application/x-shockwave-flash", "application/futuresplash"})
_MIME = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9!#$&^_.+-]{1,127}")


def parse_length(value: str | None) -> int | None:
    """A byte count from a length/fileSize attribute; None when absent, zero or not a number."""
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number < _MAX_LENGTH else None


def parse_duration(value: str | None) -> int | None:
    """Seconds from "3600", "61:05", "1:01:05" or "1:01:05.5" (itunes:duration) or "93.2"
    (media:content); None when absent, zero or unreadable."""
    text = (value or "").strip().replace(",", ".")
    if len(text) > 30 or not _CLOCK.fullmatch(text):
        return None
    *clock, last = text.split(":")
    total = math.floor(float(last))
    for unit, part in zip((60, 3600), reversed(clock), strict=False):
        total += int(part) * unit
    return total if 0 < total < _MAX_DURATION else None


def mime_type(value: str | None) -> str:
    """A MIME type as the feed names it, lower-cased; "" when it is not one."""
    text = (value or "").strip().split(";", 1)[0].strip()
    return text.lower() if _MIME.fullmatch(text) else ""


def enclosure(
    url: str, kind: str | None = "", length: str | None = "", duration: str | None = ""
) -> Enclosure | None:
    """An `Enclosure` from attribute values, or None when it is nothing to play or download
    (see the module docstring); `url` is already absolute (fields.absolute_link: "" for an
    empty or unsafe one)."""
    if not url[:8].lower().startswith(_HTTP):
        return None
    mime = mime_type(kind)
    if mime in FLASH or _is_swf(url):
        return None
    return Enclosure(storable(url), mime, parse_length(length), parse_duration(duration))


def _is_swf(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path[-4:].lower() == ".swf"


def merge_enclosures(found: Iterable[Enclosure | None], duration: int | None) -> list[Enclosure]:
    """One item's enclosures in document order, one per URL (gaps filled from the later ones),
    with the item's own `duration` given to the first non-image enclosure that has none."""
    merged: dict[str, Enclosure] = {}
    for item in found:
        if item is None:
            continue
        old = merged.get(item.url)
        if old is None:
            merged[item.url] = item
        else:
            merged[item.url] = Enclosure(
                old.url,
                old.type or item.type,
                old.length if old.length is not None else item.length,
                old.duration if old.duration is not None else item.duration,
            )
    result = list(merged.values())
    if duration is not None:
        for index, item in enumerate(result):
            if not item.type.startswith("image/"):
                if item.duration is None:
                    result[index] = Enclosure(item.url, item.type, item.length, duration)
                break
    return result
