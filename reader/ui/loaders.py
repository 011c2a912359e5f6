"""The store work behind the reader, as plain blocking functions that return messages.

The main screen runs each in a worker thread and posts what it returns; nothing here touches a
widget, so each is testable with a store alone.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING

from reader.config import SummaryConfig
from reader.errors import ReaderError
from reader.models import Headline, Item
from reader.store.db import Store
from reader.textsafe import one_line
from reader.ui.firstview import WINDOW, FeedCounts, FirstView, feed_counts, newest
from reader.ui.messages import (
    ArticleLoaded,
    FeedsLoaded,
    HeadlinesLoaded,
    ItemsChanged,
    RowsLoaded,
    SearchCounts,
    SearchLoaded,
    SearchTotal,
    SummaryLoaded,
    TagsWanted,
    UnreadFound,
)
from reader.ui.sources import ALL, Source

if TYPE_CHECKING:
    from reader.articles.blocks import Document

SCAN = 400  # ids checked row by row for an unread one before asking the store for all of them
PAGE = 100  # search hits fetched at a time once the first page is listed
FIRST_PAGE = 25  # the first page of hits: more than a screenful (each hit takes two lines);
# the next pages follow as the list asks for them, after the hits are drawn
MAX_HITS = 1000  # search hits listed at most (the total is still told)
SUMMARY_CHARS = 300  # of a summary line (the list crops it to its width)


def load_feeds(store: Store) -> FeedsLoaded:
    """Subscriptions, unread counts per feed, and the totals for All, Unread and Bookmarks."""
    return feeds_loaded(feed_counts(store))


def feeds_loaded(counts: FeedCounts) -> FeedsLoaded:
    """The feed pane's counts as the message that shows them."""
    return FeedsLoaded(counts.feeds, counts.unread, counts.totals, counts.mark_tags)


def search_counts(store: Store, queries: Sequence[str]) -> SearchCounts:
    """The unread counts of saved searches (also indexes what a refresh queued, first)."""
    counts: dict[str, int] = {}
    for query in queries:
        try:
            counts[query] = store.search_count(f"{query} is:unread")
        except ReaderError:
            counts[query] = 0
    return SearchCounts(counts)


def first_page() -> int:
    """How many hits the first page of a search lists (fewer hits, fewer snippets to cut:
    the first hits are drawn sooner)."""
    return min(FIRST_PAGE, PAGE)


def search(
    store: Store,
    source: Source,
    *,
    offset: int = 0,
    generation: int = 0,
    keep_id: int | None = None,
) -> SearchLoaded:
    """A page of a search's hits (the first one, or the one at `offset` of list
    `generation`); a query that cannot run comes back with its one-line reason."""
    limit = max(0, min(PAGE if offset else first_page(), MAX_HITS - offset))
    try:
        found = store.search(source.search, limit=limit, offset=offset, exact=False)
    except ReaderError as exc:
        return SearchLoaded(source, error=one_line(str(exc)), offset=offset, generation=generation)
    hits = found.hits
    return SearchLoaded(
        source,
        [h.headline for h in hits],
        {h.headline.id: h.title for h in hits},
        {h.headline.id: h.snippet for h in hits},
        total=found.total,
        took_ms=found.took_ms,
        offset=offset,
        generation=generation,
        keep_id=keep_id,
        exact=found.exact,
    )


def search_total(store: Store, source: Source) -> SearchTotal | None:
    """The exact count of a search whose first page came with an estimate."""
    try:
        return SearchTotal(source, store.search_total(source.search))
    except ReaderError:
        return None


def window(ids: Sequence[int], center: int, height: int = WINDOW) -> tuple[int, int]:
    """The range of list indexes worth fetching around `center`."""
    start = max(0, center - height // 2)
    return start, min(len(ids), start + height)


def preview(store: Store, source: Source) -> HeadlinesLoaded:
    """The first rows of a source, fast (no full id list): what the list shows first."""
    rows = newest(store, source)
    return HeadlinesLoaded(source, array("q", (h.id for h in rows)), rows, 0, preview=True)


def load_headlines(
    store: Store,
    source: Source,
    *,
    keep_id: int | None = None,
    jump: bool | None = None,
    early: Callable[[HeadlinesLoaded | FeedsLoaded], object] | None = None,
    feeds: bool = False,
    first: Future[FirstView] | None = None,
) -> HeadlinesLoaded | SearchLoaded:
    """A source's ids and a first window of rows (around `keep_id` when it is still listed).

    `jump` (True: first unread, False: last unread) asks for an item to open at once. `early`
    gets a `preview` first when the list starts at the top anyway, and with `feeds` (the first
    view) the feed pane's counts next: before the whole list of ids, which at 250,000 items
    takes several times as long (and held them back when they ran beside it). With `first`
    (the first view, still being read when the screen was mounted) those two come from it.
    """
    view = first_view(first) if source == ALL and keep_id is None and jump is None else None
    if view is not None and early is not None:
        for message in first_messages(view):
            early(message)
        early, feeds = None, False
    if source.is_search:
        if feeds and early is not None:
            early(load_feeds(store))
        return search(store, source, keep_id=keep_id)
    if early is not None and keep_id is None and jump is None:
        early(preview(store, source))
    if feeds and early is not None:
        early(load_feeds(store))
    ids = store.item_ids(source.query())
    center = 0
    if keep_id is not None and keep_id in ids:
        center = ids.index(keep_id)
    open_index = None
    if jump is not None:
        open_index = find_unread(store, source, ids, -1 if jump else len(ids), jump)
        center = open_index or 0
    start, stop = window(ids, center)
    shown = ids[start:stop]
    ends = [i for i in dict.fromkeys(ids[:1] + ids[-1:]) if i not in shown]  # the date span
    rows = store.headlines_for([*shown, *ends])
    return HeadlinesLoaded(source, ids, rows, start, keep_id, open_index, jump,
                           span=span_of(rows, (ids[:1] + ids[-1:]).tolist()))  # fmt: skip


def first_view(first: Future[FirstView] | None) -> FirstView | None:
    """The first view once it is read (None: there is none, or reading it failed: then it is
    read again the usual way, which says why if it fails again)."""
    try:
        return None if first is None else first.result()
    except Exception:
        return None


def first_messages(view: FirstView) -> tuple[FeedsLoaded, HeadlinesLoaded]:
    """The first view as the messages the screen shows: the counts, the newest rows of All."""
    ids = array("q", (h.id for h in view.rows))
    return feeds_loaded(view.counts), HeadlinesLoaded(ALL, ids, view.rows, 0, preview=True)


def span_of(rows: Sequence[Headline], ids: Sequence[int] | None = None) -> tuple[int, int] | None:
    """The newest and oldest dates of `rows` (of those with `ids`: a list's first and last)."""
    dates = [h.published for h in rows if ids is None or h.id in ids]
    return (max(dates), min(dates)) if dates else None


def load_rows(store: Store, generation: int, ids: Sequence[int]) -> RowsLoaded:
    """Headline rows for some ids of the current list."""
    return RowsLoaded(generation, store.headlines_for(ids))


def find_unread(
    store: Store, source: Source, ids: array[int], start: int, forward: bool
) -> int | None:
    """The index of the first unread item after (or before) `start` in `ids`, or None.

    Looks at the next few rows first (the usual case: an unread one is close), then asks the
    store for the source's unread ids once.
    """
    indexes = range(start + 1, len(ids)) if forward else range(start - 1, -1, -1)
    near = indexes[:SCAN]
    rows = store.headlines_for([ids[i] for i in near])
    unread_near = {h.id for h in rows if not h.read}
    for i in near:
        if ids[i] in unread_near:
            return i
    if len(indexes) <= SCAN:
        return None
    if source.is_search:  # the hits listed are all there is to look at
        rest = [ids[i] for i in indexes[SCAN:]]
        unread_rest = {h.id for h in store.headlines_for(rest) if not h.read}
        return next((i for i in indexes[SCAN:] if ids[i] in unread_rest), None)
    unread = set(store.item_ids(replace(source.query(), unread=True)))
    return next((i for i in indexes[SCAN:] if ids[i] in unread), None)


def unread_in(
    store: Store, generation: int, source: Source, ids: array[int], start: int, forward: bool
) -> UnreadFound:
    """`find_unread` as a message for the list `generation`."""
    return UnreadFound(generation, find_unread(store, source, ids, start, forward), forward)


def document(item: Item) -> Document:
    """An item's story as blocks: the extracted full text when stored, else the feed's
    content (`type="text"` literally, HTML parsed with links resolved against the item's link)."""
    from reader.articles.article import story_document  # lxml: not at startup

    return story_document(item)


def load_article(
    store: Store, item_id: int, summary: SummaryConfig | None = None
) -> ArticleLoaded | None:
    """An item with its rendered document (None when it has gone); with `summary` (the
    summary view is on) its summary too."""
    item = store.item(item_id)
    if item is None:
        return None
    from reader.articles.article import with_page_author

    item = with_page_author(item)  # the header names who wrote it when the page says
    found = None
    if summary is not None:
        from reader.articles.summarize import summarize

        found = summarize(item, summary)
    return ArticleLoaded(item, document(item), found)


def load_summary(store: Store, item_id: int, config: SummaryConfig) -> SummaryLoaded | None:
    """The summary of one item for the reading pane (the configured command's, when set)."""
    from reader.articles.summarize import summarize

    item = store.item(item_id)
    return None if item is None else SummaryLoaded(item_id, summarize(item, config))


def summary_line(store: Store, item_id: int) -> str:
    """A story's built-in summary as one line (the list never runs the external command: it
    summarises every row on screen)."""
    from reader.articles.summarize import summarize

    item = store.item(item_id)
    return "" if item is None else one_line(summarize(item).text)[:SUMMARY_CHARS]


def item_tags(store: Store, item_id: int) -> TagsWanted | None:
    """An item's own tags, to edit."""
    item = store.item(item_id)
    return None if item is None else TagsWanted(item.id, item.title, item.tags)


def set_tags(store: Store, item_id: int, tags: Sequence[str], fetch: bool) -> ItemsChanged:
    """Replace an item's tags, bookmarking it (tags are a bookmark's); a new bookmark without
    its full text wants it fetched (when `fetch`)."""
    item = store.item(item_id)
    if item is None:
        return ItemsChanged([], "That story is gone")
    store.set_bookmarked(item_id, True)
    store.set_item_tags(item_id, tags)
    stored = store.item(item_id)
    shown = ", ".join(one_line(t) for t in tags) or "none"
    wanted = fetch and not item.bookmarked and bool(item.link) and not item.full_text
    return ItemsChanged(
        store.headlines_for([item_id]),
        f"Tags: {shown}" + (" · bookmarked" if not item.bookmarked else ""),
        tags=stored.tags if stored else tuple(tags),
        full_text_for=item_id if wanted else None,
    )


def set_read(store: Store, item_ids: Sequence[int], read: bool) -> ItemsChanged:
    """Mark items read or unread; their fresh headlines come back."""
    store.set_read(item_ids, read)
    return ItemsChanged(store.headlines_for(item_ids))


def set_bookmarked(store: Store, item_id: int, bookmarked: bool) -> ItemsChanged:
    """Bookmark or unbookmark one item."""
    store.set_bookmarked(item_id, bookmarked)
    note = "Bookmarked" if bookmarked else "Bookmark removed"
    return ItemsChanged(store.headlines_for([item_id]), note)


def mark_source_read(store: Store, source: Source, listed: Sequence[int] = ()) -> ItemsChanged:
    """Mark every item of a source read (of a search: the hits `listed`)."""
    if source.is_search:
        count = store.set_read(listed, True)
    else:
        count = store.mark_all_read(source.query())
    return ItemsChanged([], f"Marked {count:,} stories read", reload=True)


def headline_of(store: Store, item_id: int) -> Headline | None:
    """One item's headline row."""
    rows = store.headlines_for([item_id])
    return rows[0] if rows else None
