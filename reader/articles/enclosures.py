"""An item's enclosures as the reader shows them: one line each (name, type, size, duration),
listed under the story as an "Enclosures" section whose names link to the files, and as JSON.

Every feed-derived string passes `textsafe` here; links get numbers only for http and https
(the reader opens nothing else); an enclosure stored with another scheme (the parsers
keep only http and https now) is listed with its URL as text.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from reader import textsafe
from reader.articles.blocks import Block, Document, Heading, ListBlock, Paragraph, Span
from reader.models import Enclosure

HEADING = "Enclosures"
_OPENABLE = ("http://", "https://")
_UNITS = ("B", "KB", "MB", "GB", "TB")


def file_name(url: str) -> str:
    """The last path segment of `url` (decoded), else the URL itself."""
    try:
        name = PurePosixPath(unquote(urlsplit(url).path)).name
    except ValueError:
        name = ""
    return textsafe.one_line(name or url)


def size_text(length: int) -> str:
    """A byte count for people: "980 B", "1.2 MB", "29.6 MB"."""
    size, unit = float(length), 0
    while size >= 1000 and unit < len(_UNITS) - 1:
        size, unit = size / 1000, unit + 1
    return f"{int(size)} B" if unit == 0 else f"{size:.1f} {_UNITS[unit]}"


def duration_text(seconds: int) -> str:
    """ "1:02:05" or "4:09"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def details(enclosure: Enclosure) -> str:
    """What the feed says about an enclosure besides its URL: "audio/mpeg · 29.6 MB · 1:02:05"."""
    parts = [textsafe.one_line(enclosure.type)]
    if enclosure.length is not None:
        parts.append(size_text(enclosure.length))
    if enclosure.duration is not None:
        parts.append(duration_text(enclosure.duration))
    return " · ".join(p for p in parts if p)


def label(enclosure: Enclosure) -> str:
    """One line for an enclosure: its file name and `details`."""
    return " · ".join(p for p in (file_name(enclosure.url), details(enclosure)) if p)


def with_enclosures(doc: Document, enclosures: tuple[Enclosure, ...]) -> Document:
    """`doc` followed by an "Enclosures" heading and a list of them (names link to the files)."""
    if not enclosures:
        return doc
    links = list(doc.links)
    items: list[tuple[Block, ...]] = []
    for enclosure in enclosures:
        url = textsafe.one_line(enclosure.url)
        more = details(enclosure)
        if url.startswith(_OPENABLE):
            if url not in links:
                links.append(url)
            spans = [Span(file_name(url), link=links.index(url) + 1)]
        else:
            spans = [Span(url)]
        if more:
            spans.append(Span(f" · {more}"))
        items.append((Paragraph(tuple(spans)),))
    section = (Heading(2, (Span(HEADING),)), ListBlock(False, tuple(items)))
    return Document(doc.blocks + section, tuple(links), doc.truncated)


def enclosure_json(enclosure: Enclosure) -> dict[str, object]:
    """An enclosure as a JSON object (`tidings show --json`)."""
    return {
        "url": enclosure.url,
        "type": enclosure.type,
        "length": enclosure.length,
        "duration": enclosure.duration,
    }
