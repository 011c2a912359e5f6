"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), read into `ParsedFeed`.

feedparser has no JSON Feed support, so this small reader does it with the same field rules
(`reader.feeds.fields`) as the XML parsers. Anything of the wrong type counts as missing; nesting
is bounded by the JSON decoder's recursion limit and size by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reader.errors import ParseError
from reader.feeds.charset import charset_param, decode_bytes
from reader.feeds.fields import absolute_link, guess_plain, parse_date
from reader.feeds.finish import RawItem, finish_items
from reader.feeds.media import enclosure
from reader.models import ParsedFeed

_VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
_FEED_JSON = "application/feed+json"
MAX_ITEMS = 10_000  # more is not a news feed; the rest is dropped with a warning
_LEADING = b" \t\r\n\xef\xbb\xbf"  # whitespace and a UTF-8 byte order mark


def looks_like_json(body: bytes) -> bool:
    """True when the first non-space byte of `body` is "{" (a JSON object, not XML)."""
    return body[:4096].lstrip(_LEADING)[:1] == b"{"


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _id(value: object) -> str:
    """An item id as a string: JSON Feed allows numbers (coerced), nothing else."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _number(value: object) -> str:
    """A JSON number as the text an attribute would hold ("" for anything else)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return str(int(value)) if abs(value) < 2**63 else ""
    return ""


def _author(obj: Mapping[str, Any]) -> str:
    """The first named author: 1.1 `authors` (a list), else 1.0 `author` (an object)."""
    authors = obj.get("authors")
    candidates = authors if isinstance(authors, list) else [obj.get("author")]
    for author in candidates:
        if isinstance(author, dict) and (name := guess_plain(_str(author, "name"))):
            return name
    return ""


def _item(obj: Mapping[str, Any], base: str, feed_author: str) -> RawItem:
    html, text = _str(obj, "content_html"), _str(obj, "content_text")
    attachments = obj.get("attachments")
    enclosures = [
        enclosure(
            absolute_link(_str(a, "url"), base),
            _str(a, "mime_type"),
            _number(a.get("size_in_bytes")),
            _number(a.get("duration_in_seconds")),
        )
        for a in (attachments if isinstance(attachments, list) else [])
        if isinstance(a, dict)
    ]
    return RawItem(
        guid=_id(obj.get("id")),
        link=absolute_link(_str(obj, "url") or _str(obj, "external_url"), base),
        title=guess_plain(_str(obj, "title")),
        author=_author(obj) or feed_author,
        published=parse_date(_str(obj, "date_published")),
        updated=parse_date(_str(obj, "date_modified")),
        summary=_str(obj, "summary"),
        summary_type="text",
        content=html or text,
        content_type="html" if html else "text",
        enclosures=enclosures,
    )


def _load(body: bytes, content_type: str) -> dict[str, Any]:
    """The top-level JSON object, or ParseError."""
    text = decode_bytes(body, [charset_param(content_type)]).text
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ParseError("not a feed: JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ParseError(f"not a feed: invalid JSON ({exc.msg}, line {exc.lineno})") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise ParseError(f"not a feed: invalid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise ParseError("not a feed: JSON that is not an object")
    return doc


def _format(version: str, content_type: str) -> str:
    if not version.startswith(_VERSION_PREFIXES):
        if _media_type(content_type) != _FEED_JSON:
            raise ParseError("not a feed: JSON without a JSON Feed version")
        return "json"
    number = version.rstrip("/").rsplit("/", 1)[-1]
    return {"1": "json10", "1.1": "json11"}.get(number, "json1x")


def parse_json_feed(body: bytes, content_type: str = "", url: str = "") -> ParsedFeed:
    """A JSON Feed document as a `ParsedFeed`; ParseError when it is not one.

    Relative URLs are resolved against `url` (the feed's own address).
    """
    doc = _load(body, content_type)
    fmt = _format(_str(doc, "version"), content_type)
    entries = doc.get("items")
    entries = entries if isinstance(entries, list) else []
    feed_author = _author(doc)
    raws = [_item(e, url, feed_author) for e in entries[:MAX_ITEMS] if isinstance(e, dict)]
    warning = f"only the first {MAX_ITEMS} items were read" if len(entries) > MAX_ITEMS else ""
    return ParsedFeed(
        title=guess_plain(_str(doc, "title")),
        site_url=absolute_link(_str(doc, "home_page_url"), url),
        items=finish_items(raws),
        format=fmt,
        warning=warning,
    )
