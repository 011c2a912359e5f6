"""Messages that carry results from store and refresh workers back to the main screen.

Widgets' own messages are nested in their classes (`HeadlineList.Opened`); these are the
screen's: each is posted by a worker thread and handled on the event loop.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from reader.models import Feed, Headline, Item
from reader.ui.sources import Source, Totals

if TYPE_CHECKING:
    from reader.articles.blocks import Document
    from reader.service import Progress


class FeedsLoaded(Message):
    """The subscriptions with their unread counts and the totals of the fixed entries."""

    def __init__(self, feeds: Sequence[Feed], unread: dict[int, int], totals: Totals) -> None:
        super().__init__()
        self.feeds = feeds
        self.unread = unread
        self.totals = totals


class HeadlinesLoaded(Message):
    """A source's item ids (headline order) and the rows of a first window of them.

    `keep_id` is the item the cursor should stay on; `open_index` an item to open at once
    (`jump`: a jump to the next unread that crossed into this source found one, or not).
    `preview`: only the first rows, sent ahead of the full id list of a big source.
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
    ) -> None:
        super().__init__()
        self.jump = jump
        self.preview = preview
        self.source = source
        self.ids = ids
        self.rows = rows
        self.start = start
        self.keep_id = keep_id
        self.open_index = open_index


class RowsLoaded(Message):
    """Headline rows for a window of the list, for the ids list `generation`."""

    def __init__(self, generation: int, rows: Sequence[Headline]) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows


class ArticleLoaded(Message):
    """An item with its text rendered to blocks."""

    def __init__(self, item: Item, document: Document) -> None:
        super().__init__()
        self.item = item
        self.document = document


class UnreadFound(Message):
    """Where the next (or previous) unread item is: an index in the current list, or none."""

    def __init__(self, generation: int, index: int | None, forward: bool) -> None:
        super().__init__()
        self.generation = generation
        self.index = index
        self.forward = forward


class ItemsChanged(Message):
    """Items whose read or bookmark state changed (their fresh headlines); `reload` when so
    many changed that the lists and counts should be read again."""

    def __init__(self, headlines: Sequence[Headline], note: str = "", reload: bool = False) -> None:
        super().__init__()
        self.headlines = headlines
        self.note = note
        self.reload = reload


class RefreshProgress(Message):
    """Where a background refresh is (`new_items` so far); a newer one replaces an unhandled
    older one."""

    def __init__(self, progress: Progress, new_items: int) -> None:
        super().__init__()
        self.progress = progress
        self.new_items = new_items

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters."""
        return isinstance(message, RefreshProgress)


class RefreshFinished(Message):
    """A refresh ended: how many feeds, new items and failures (error: it could not run)."""

    def __init__(self, feeds: int, new_items: int, failed: int, error: str = "") -> None:
        super().__init__()
        self.feeds = feeds
        self.new_items = new_items
        self.failed = failed
        self.error = error


class Notice(Message):
    """A one-line note for the person (a worker's outcome worth telling); `copy` is text to
    put on the clipboard (a link no browser could open)."""

    def __init__(self, text: str, error: bool = False, copy: str = "") -> None:
        super().__init__()
        self.text = text
        self.error = error
        self.copy = copy
