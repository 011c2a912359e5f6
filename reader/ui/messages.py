"""Messages that carry results from store and refresh workers back to the main screen, and
the two that several parts post: `StoryWanted` (a story key in the headline or reading pane)
and `Failed` (anything that went wrong in the background: the App shows each one the same way).

A widget's own messages are nested in its class (`HeadlineList.Opened`); these are the
screen's: most are posted by a worker thread and handled on the event loop.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from reader.models import Download, Enclosure, Feed, Headline, Item, Snippet
from reader.ui.sources import Source, Totals

if TYPE_CHECKING:
    from reader.articles.blocks import Document
    from reader.articles.summarize import Summary
    from reader.digest import DigestGroup
    from reader.feeds.discover import Candidate
    from reader.service import Progress
    from reader.sync.engine import SyncProgress


class Result(Message):
    """A worker's result for the main screen, which routes each kind to the part that shows it
    (see MainScreen.routes)."""


class FeedsLoaded(Result):
    """The subscriptions with their unread counts, the totals of the fixed entries, and the
    bookmark tags (saved searches' counts come separately: see SearchCounts)."""

    def __init__(
        self,
        feeds: Sequence[Feed],
        unread: dict[int, int],
        totals: Totals,
        mark_tags: Sequence[tuple[str, int]] = (),
    ) -> None:
        super().__init__()
        self.feeds = feeds
        self.unread = unread
        self.totals = totals
        self.mark_tags = mark_tags


class SearchCounts(Result):
    """The unread counts of the saved searches (a query that cannot run counts 0)."""

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__()
        self.counts = counts


class HeadlinesLoaded(Result):
    """A source's item ids (headline order) and the rows of a first window of them.

    `keep_id` is the item the cursor should stay on; `open_index` an item to open at once
    (`jump`: a jump to the next unread that crossed into this source found one, or not).
    `preview`: only the first rows, sent ahead of the full id list of a big source. `span`:
    the newest and oldest dates listed (None: those of `rows`).
    """

    def __init__(
        self,
        source: Source,
        ids: array[int],
        rows: Sequence[Headline],
        start: int,
        keep_id: int | None = None,
        open_index: int | None = None,
        jump: bool | None = None,
        preview: bool = False,
        span: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.span = span
        self.jump = jump
        self.preview = preview
        self.source = source
        self.ids = ids
        self.rows = rows
        self.start = start
        self.keep_id = keep_id
        self.open_index = open_index


class RowsLoaded(Result):
    """Headline rows for a window of the list, for the ids list `generation`."""

    def __init__(self, generation: int, rows: Sequence[Headline]) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows


class ArticleLoaded(Result):
    """An item with its text rendered to blocks (and its summary, in the summary view)."""

    def __init__(self, item: Item, document: Document, summary: Summary | None = None) -> None:
        super().__init__()
        self.item = item
        self.document = document
        self.summary = summary


class SummaryLoaded(Result):
    """The summary of item `item_id`, for the reading pane."""

    def __init__(self, item_id: int, summary: Summary) -> None:
        super().__init__()
        self.item_id = item_id
        self.summary = summary


class SummaryLines(Result):
    """One-line summaries for the headline list; `dropped`: ids asked for but not done (the
    work was overtaken by a newer request)."""

    def __init__(self, lines: dict[int, str], dropped: Sequence[int] = ()) -> None:
        super().__init__()
        self.lines = lines
        self.dropped = dropped


class SearchLoaded(Result):
    """A page of a search's hits: `offset` 0 starts the list (keeping the cursor on
    `keep_id`), a later page extends list `generation`. `error`: why the query cannot run."""

    def __init__(
        self,
        source: Source,
        hits: Sequence[Headline] = (),
        titles: dict[int, Snippet] | None = None,
        snippets: dict[int, Snippet] | None = None,
        *,
        total: int = 0,
        took_ms: float = 0.0,
        offset: int = 0,
        generation: int = 0,
        keep_id: int | None = None,
        error: str = "",
        exact: bool = True,
    ) -> None:
        super().__init__()
        self.source = source
        self.exact = exact  # False: `total` is an estimate (a SearchTotal follows)
        self.hits = hits
        self.titles = titles or {}
        self.snippets = snippets or {}
        self.total = total
        self.took_ms = took_ms
        self.offset = offset
        self.generation = generation
        self.keep_id = keep_id
        self.error = error


class SearchTotal(Result):
    """The exact count of a search whose hits came with an estimate."""

    def __init__(self, source: Source, total: int) -> None:
        super().__init__()
        self.source = source
        self.total = total


class FullTextDone(Result):
    """A full-text fetch ended: stored (`ok`), or `error` says why not. `bookmark`: it was
    fetched because the item was bookmarked."""

    def __init__(self, item_id: int, ok: bool, error: str = "", bookmark: bool = False) -> None:
        super().__init__()
        self.item_id = item_id
        self.ok = ok
        self.error = error
        self.bookmark = bookmark


class TagsWanted(Result):
    """An item's tags, to edit (B)."""

    def __init__(self, item_id: int, title: str, tags: Sequence[str]) -> None:
        super().__init__()
        self.item_id = item_id
        self.title = title
        self.tags = tags


class DigestLoaded(Message):
    """The digest's groups (`scope` says which stories: "today", a feed's name...)."""

    def __init__(self, groups: Sequence[DigestGroup], scope: str) -> None:
        super().__init__()
        self.groups = groups
        self.scope = scope


class Subscribed(Result):
    """Subscribing or importing is done: `note` says what happened (`refresh`: the new feeds
    want fetching; `feed_url`: the feed added); `candidates` when a page offers several feeds
    (for `url`); `error` when it failed."""

    def __init__(
        self,
        note: str = "",
        error: str = "",
        candidates: Sequence[Candidate] = (),
        url: str = "",
        refresh: bool = False,
        feed_url: str = "",
    ) -> None:
        super().__init__()
        self.note = note
        self.error = error
        self.candidates = candidates
        self.url = url
        self.refresh = refresh
        self.feed_url = feed_url


class FeedsChanged(Result):
    """Subscriptions changed (removed, renamed, tagged, exported): `note` says how; the feed
    pane is read again."""

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note


class MarksCounted(Result):
    """The unread stories a bulk mark (A) would mark read, to ask first: `ids` of `label`."""

    def __init__(self, ids: Sequence[int], label: str) -> None:
        super().__init__()
        self.ids = ids
        self.label = label


class UnreadFound(Result):
    """Where the next (or previous) unread item is: an index in the current list, or none."""

    def __init__(self, generation: int, index: int | None, forward: bool) -> None:
        super().__init__()
        self.generation = generation
        self.index = index
        self.forward = forward


class ItemsChanged(Result):
    """Items whose read or bookmark state changed (their fresh headlines); `reload` when so
    many changed that the lists and counts should be read again. For one item: `tags`, its
    new bookmark tags (None: unchanged); `full_text_for`, its id when its full text should be
    fetched now (it was just bookmarked)."""

    def __init__(
        self,
        headlines: Sequence[Headline],
        note: str = "",
        reload: bool = False,
        *,
        tags: Sequence[str] | None = None,
        full_text_for: int | None = None,
    ) -> None:
        super().__init__()
        self.headlines = headlines
        self.note = note
        self.reload = reload
        self.tags = tags
        self.full_text_for = full_text_for


class RefreshProgress(Result):
    """Where a background refresh is (`new_items` so far); a newer one replaces an unhandled
    older one."""

    def __init__(self, progress: Progress, new_items: int) -> None:
        super().__init__()
        self.progress = progress
        self.new_items = new_items

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters."""
        return isinstance(message, RefreshProgress)


class SyncProgressed(Result):
    """Where the sync that starts a refresh is ([sync]); a newer one replaces an older one."""

    def __init__(self, progress: SyncProgress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters."""
        return isinstance(message, SyncProgressed)


class RefreshFinished(Result):
    """A refresh ended: how many feeds, new items and failures (error: it could not run;
    elsewhere: it did not, another process refreshing or syncing the store at the time);
    with [sync], the service that synced first, the items it pulled, or why it failed; why the
    notification after it failed, if it did."""

    def __init__(
        self,
        feeds: int,
        new_items: int,
        failed: int,
        error: str = "",
        *,
        synced: str = "",
        sync_error: str = "",
        elsewhere: bool = False,
        notify_error: str = "",
    ) -> None:
        super().__init__()
        self.elsewhere = elsewhere
        self.feeds = feeds
        self.new_items = new_items
        self.failed = failed
        self.error = error
        self.synced = synced
        self.sync_error = sync_error
        self.notify_error = notify_error


class EnclosuresLoaded(Result):
    """A story's enclosures, and what was downloaded of them (for the `E` list)."""

    def __init__(
        self,
        item_id: int,
        title: str,
        enclosures: tuple[Enclosure, ...],
        downloads: list[Download],
    ) -> None:
        super().__init__()
        self.item_id = item_id
        self.title = title
        self.enclosures = enclosures
        self.downloads = downloads


class DownloadsListed(Message):
    """The download queue as stored (for the `P` view)."""

    def __init__(self, downloads: list[Download]) -> None:
        super().__init__()
        self.downloads = downloads


class Notice(Result):
    """A one-line note for the person (a worker's outcome worth telling); `copy` is text to
    put on the clipboard (a link no browser could open)."""

    def __init__(self, text: str, copy: str = "") -> None:
        super().__init__()
        self.text = text
        self.copy = copy


class StoryWanted(Message):
    """A story key pressed in the headline or reading pane: do `action` (an action name of
    keys.py) to story `item_id` (None: that pane has no story)."""

    def __init__(self, action: str, item_id: int | None) -> None:
        super().__init__()
        self.action = action
        self.item_id = item_id


class Failed(Message):
    """Something in the background went wrong: `title` says what was being done, `error` why
    (one line). It bubbles up to the App, which shows every one alike."""

    def __init__(self, title: str, error: str) -> None:
        super().__init__()
        self.title = title
        self.error = error


class PipeReady(Result):
    """A story read for `|`: run `argv` with `data` on its stdin."""

    def __init__(self, argv: tuple[str, ...], data: bytes) -> None:
        super().__init__()
        self.argv = argv
        self.data = data
