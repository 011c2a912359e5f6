"""The headline list: every id of the source in memory (a compact array), rows fetched only for
the window on screen. 250,000 items cost 2 MB of ids and a few dozen rows of text."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.message import Message

from reader.models import Headline
from reader.textsafe import one_line
from reader.ui.loaders import WINDOW
from reader.ui.timefmt import Dates
from reader.ui.widgets.virtual_list import VirtualList

MAX_ROWS = 4000  # cached rows before the cache is cut back to the window on screen
UNREAD_MARK = "●"
BOOKMARK_MARK = "★"


class HeadlineList(VirtualList):
    """Date, feed and title of each item; unread in bold, bookmarks starred."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "headline-list--date",
        "headline-list--feed",
        "headline-list--unread",
        "headline-list--read",
        "headline-list--unread-mark",
        "headline-list--bookmark-mark",
        "headline-list--loading",
    }

    class Opened(Message):
        """Enter or a click on an item: open it in the reading pane."""

        def __init__(self, item_id: int, index: int) -> None:
            super().__init__()
            self.item_id = item_id
            self.index = index

    class NeedRows(Message):
        """Rows on screen are not loaded yet: fetch these ids for list `generation`."""

        def __init__(self, generation: int, ids: list[int]) -> None:
            super().__init__()
            self.generation = generation
            self.ids = ids

    def __init__(self, dates: Dates, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dates = dates
        self.ids: array[int] = array("q")
        self.generation = 0
        self.show_feed = True
        self._rows: dict[int, Headline] = {}
        self._pending = False

    # ---- state set by the screen --------------------------------------------------------
    def show(
        self,
        ids: array[int],
        rows: Iterable[Headline],
        *,
        keep_id: int | None = None,
        show_feed: bool = True,
    ) -> None:
        """List `ids`; the cursor stays on `keep_id` (at the same screen row) when listed."""
        screen_row = self.cursor - int(self.scroll_y)
        self.generation += 1
        self.ids = ids
        self.show_feed = show_feed
        self._rows = {h.id: h for h in rows}
        self._pending = False
        index = ids.index(keep_id) if keep_id is not None and keep_id in ids else None
        self.set_row_count(len(ids))
        self.set_reactive(HeadlineList.cursor, self.validate_cursor(index or 0))
        self.scroll_to_cursor(top=screen_row if index is not None else 0)
        self.refresh()

    def add_rows(self, generation: int, rows: Sequence[Headline]) -> None:
        """Rows fetched for list `generation` (rows for an older list are dropped)."""
        if generation != self.generation:
            return
        self._pending = False
        if len(self._rows) + len(rows) > MAX_ROWS:
            self._rows = {}
        self._rows.update((h.id, h) for h in rows)
        self.refresh()

    def update(self, headlines: Iterable[Headline]) -> None:
        """Fresh copies of some rows (read or bookmark state changed)."""
        for h in headlines:
            if h.id in self._rows:
                self._rows[h.id] = h
        self.refresh()

    # ---- what the screen reads ----------------------------------------------------------
    @property
    def current(self) -> Headline | None:
        """The headline under the cursor (None when empty or not loaded yet)."""
        return self.headline_at(self.cursor)

    @property
    def current_id(self) -> int | None:
        """The id under the cursor."""
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def headline_at(self, index: int) -> Headline | None:
        """The loaded headline at `index`, if any."""
        if 0 <= index < len(self.ids):
            return self._rows.get(self.ids[index])
        return None

    def get(self, item_id: int) -> Headline | None:
        """The loaded headline of `item_id`, if any."""
        return self._rows.get(item_id)

    def index_of(self, item_id: int) -> int | None:
        """Where `item_id` is in the list."""
        return self.ids.index(item_id) if item_id in self.ids else None

    # ---- rendering ----------------------------------------------------------------------
    def _request_rows(self) -> None:
        if self._pending:
            return
        visible = self.visible_rows
        start = max(0, visible.start - WINDOW // 4)
        stop = min(len(self.ids), visible.stop + WINDOW // 4)
        self._pending = True
        self.post_message(self.NeedRows(self.generation, list(self.ids[start:stop])))

    def render_row(self, index: int, width: int) -> Text:
        """Marks, date, feed (unless the list is one feed's) and title."""
        h = self._rows.get(self.ids[index])
        if h is None:
            self._request_rows()
            return Text("  …", style=self.get_component_rich_style("headline-list--loading"))
        style = self.get_component_rich_style
        text = Text(no_wrap=True, end="")
        text.append(UNREAD_MARK if not h.read else " ", style("headline-list--unread-mark"))
        text.append(BOOKMARK_MARK if h.bookmarked else " ", style("headline-list--bookmark-mark"))
        text.append(self.dates.short(h.published).rjust(6), style("headline-list--date"))
        text.append(" ")
        if self.show_feed:
            feed_width = max(6, min(18, width // 5))
            feed = Text(one_line(h.feed_title or h.feed_url), style("headline-list--feed"))
            feed.truncate(feed_width, overflow="ellipsis", pad=True)
            text.append_text(feed)
            text.append(" ")
        title = one_line(h.title) or "(untitled)"
        text.append(title, style("headline-list--read" if h.read else "headline-list--unread"))
        return text

    def action_select(self) -> None:
        """Open the item under the cursor."""
        item_id = self.current_id
        if item_id is not None:
            self.post_message(self.Opened(item_id, self.cursor))
