"""What the feed pane lists: the fixed sources (All, Unread, Bookmarks with the bookmarks' tags
under it), the saved searches, tag groups and feeds.

Pure data, no Textual: the rows the feed list shows are computed here from the feeds and their
unread counts, so the layout of the pane is testable without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from reader.models import Feed, ItemQuery
from reader.textsafe import one_line

UNTAGGED = ""  # the group of feeds without tags: listed last, without a header


class Kind(StrEnum):
    """Which items a source lists."""

    ALL = "all"
    UNREAD = "unread"
    BOOKMARKS = "bookmarks"
    TAG = "tag"
    FEED = "feed"
    MARK_TAG = "mark_tag"  # bookmarks (items) carrying a tag of their own
    SEARCH = "search"  # a search's hits (typed in the search bar, or a saved search)


@dataclass(frozen=True, slots=True)
class Source:
    """A set of items the headline pane can show."""

    kind: Kind
    feed_id: int | None = None
    tag: str | None = None
    search: str = ""  # the query of a SEARCH source

    def query(self) -> ItemQuery:
        """The store query for this source (a SEARCH source has none: see `search`)."""
        if self.kind is Kind.UNREAD:
            return ItemQuery(unread=True)
        if self.kind is Kind.BOOKMARKS:
            return ItemQuery(bookmarked=True)
        if self.kind is Kind.FEED:
            return ItemQuery(feed_id=self.feed_id)
        if self.kind is Kind.TAG:
            return ItemQuery(tag=self.tag)
        if self.kind is Kind.MARK_TAG:
            return ItemQuery(item_tag=self.tag)
        return ItemQuery()

    @property
    def is_search(self) -> bool:
        """True for a search's hits."""
        return self.kind is Kind.SEARCH

    @property
    def single_feed(self) -> bool:
        """True when every item comes from one feed (the feed column is then left out)."""
        return self.kind is Kind.FEED


ALL = Source(Kind.ALL)
UNREAD = Source(Kind.UNREAD)
BOOKMARKS = Source(Kind.BOOKMARKS)


def search_source(query: str) -> Source:
    """The hits of `query`."""
    return Source(Kind.SEARCH, search=query)


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts for the fixed entries."""

    items: int = 0
    unread: int = 0
    bookmarked: int = 0


@dataclass(frozen=True, slots=True)
class Extras:
    """The feed pane's rows that are not feeds: bookmark tags (with how many items carry each),
    saved searches and their unread counts (missing until counted)."""

    mark_tags: Sequence[tuple[str, int]] = ()
    searches: Sequence[str] = ()
    search_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the feed pane. `group` rows fold; `error` marks a failing feed."""

    source: Source
    label: str
    count: int
    depth: int = 0
    group: bool = False
    collapsed: bool = False
    error: bool = False


def _tags(feed: Feed) -> tuple[str, ...]:
    return tuple(one_line(t) for t in feed.tags) or (UNTAGGED,)


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders numbers by value: "Channel 2" before "Channel 10"."""
    parts = re.split(r"(\d+)", one_line(text).casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def group_feeds(
    feeds: Sequence[Feed], unread: Mapping[int, int] | None = None
) -> dict[str, list[Feed]]:
    """Feeds by tag (a feed with several tags is under each), tags and feeds in natural order
    by name (with `unread`: feeds with the most unread first); feeds without tags last, under
    UNTAGGED."""
    groups: dict[str, list[Feed]] = {}
    for feed in feeds:
        for tag in _tags(feed):
            groups.setdefault(tag, []).append(feed)
    order = sorted(groups, key=lambda t: (t == UNTAGGED, natural(t), t))

    def key(f: Feed) -> tuple[int, tuple[tuple[int, int | str], ...]]:
        return (-unread.get(f.id, 0) if unread is not None else 0, natural(f.name))

    return {t: sorted(groups[t], key=key) for t in order}


def feed_rows(
    feeds: Sequence[Feed],
    unread: Mapping[int, int],
    totals: Totals,
    collapsed: Collection[str] = (),
    extras: Extras | None = None,
    sort_counts: Mapping[int, int] | None = None,
) -> list[Row]:
    """The rows of the feed pane, top to bottom (with `sort_counts`, unread counts: the feeds
    with the most first in each group; else by name)."""
    extras = extras or Extras()
    rows = [
        Row(ALL, "All", totals.items),
        Row(UNREAD, "Unread", totals.unread),
        Row(BOOKMARKS, "Bookmarks", totals.bookmarked),
    ]
    for tag, count in extras.mark_tags:
        rows.append(Row(Source(Kind.MARK_TAG, tag=tag), one_line(tag), count, 1))
    for query in extras.searches:
        count = extras.search_counts.get(query, 0)
        rows.append(Row(search_source(query), one_line(query), count))
    for tag, members in group_feeds(feeds, sort_counts).items():
        folded = tag in collapsed
        depth = 0 if tag == UNTAGGED else 1
        if depth:
            count = sum(unread.get(f.id, 0) for f in members)
            rows.append(Row(Source(Kind.TAG, tag=tag), tag, count, 0, True, folded))
            if folded:
                continue
        for feed in members:
            source = Source(Kind.FEED, feed_id=feed.id)
            failing = (bool(feed.last_error) and feed.error_streak > 0) or feed.gone
            count = unread.get(feed.id, 0)
            rows.append(Row(source, one_line(feed.name), count, depth, error=failing))
    return rows


def next_sources(
    groups: Mapping[str, Sequence[Feed]],
    unread: Mapping[int, int],
    current: Source,
    forward: bool = True,
) -> list[Source]:
    """Sources after (or before) `current` in the feed pane's order (`groups`, as
    `group_feeds` makes them) that have unread items, then, wrapping round, those before (or
    after) it: the next feeds for a feed, the next tags for a tag, none for the fixed entries
    (they span every feed)."""
    order: list[Source] = []
    if current.kind is Kind.FEED:
        for members in groups.values():
            for feed in members:
                source = Source(Kind.FEED, feed_id=feed.id)
                if source not in order and (unread.get(feed.id, 0) or source == current):
                    order.append(source)
    elif current.kind is Kind.TAG:
        for tag, members in groups.items():
            if tag == UNTAGGED:
                continue
            if sum(unread.get(f.id, 0) for f in members) or tag == current.tag:
                order.append(Source(Kind.TAG, tag=tag))
    if not forward:
        order.reverse()
    if current not in order:
        return order
    at = order.index(current)
    return order[at + 1 :] + order[:at]
