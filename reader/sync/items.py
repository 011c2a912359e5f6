"""Server items and feeds as the store takes them: text made storable and normalised (as the
feed parser does for fetched feeds), dates bounded, the item keyed by its server id."""

from __future__ import annotations

from reader.models import ParsedItem, RemoteFeed, RemoteItem
from reader.store.syncsql import item_key
from reader.textnorm import normalize
from reader.textsafe import storable

MAX_TIME = 2**40  # a date beyond this is nonsense (year 36812), treated as missing


def text(value: str) -> str:
    """A server string as stored: no NULs or lone surrogates, NFC, no invisible splitters."""
    return normalize(storable(value))


def remote_item(
    *,
    remote: str,
    feed: str,
    title: str,
    link: str,
    author: str,
    published: int | None,
    content: str,
    summary: str = "",
    read: bool = False,
    starred: bool = False,
) -> RemoteItem:
    """One server item, ready for the store."""
    when = published if published is not None and 0 < published < MAX_TIME else None
    item = ParsedItem(
        key=item_key(remote),
        title=text(title),
        link=storable(link.strip()),
        author=text(author),
        published=when,
        updated=None,
        summary=text(summary) if summary != content else "",
        content=text(content),
    )
    return RemoteItem(remote, feed, item, read, starred)


def remote_feed(remote: str, url: str, title: str, site_url: str, tags: list[str]) -> RemoteFeed:
    """One server subscription, ready for the store."""
    return RemoteFeed(remote, storable(url.strip()), text(title), storable(site_url.strip()),
                      tuple(text(t) for t in tags))  # fmt: skip
