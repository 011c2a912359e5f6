"""The headline list: every id of the source in memory (a compact array), rows fetched only for
the window on screen. 250,000 items cost 2 MB of ids and a few dozen rows of text.

A row may have a second line: a search hit's snippet (its matched words styled), or, with
summary lines on, a one-line summary of the story, asked for only for the rows on screen and
kept in a bounded cache.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from reader.models import Headline, Snippet
from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.firstview import WINDOW
from reader.ui.loaders import span_of
from reader.ui.messages import StoryWanted
from reader.ui.timefmt import Dates
from reader.ui.widgets.virtual_list import VirtualList

MAX_ROWS = 4000  # cached rows before the cache is cut back to the window on screen
MAX_SUMMARIES = 2000  # summary lines kept
MORE_AHEAD = 20  # rows from the end of a search's hits at which the next page is asked for
UNREAD_MARK = "●"
BOOKMARK_MARK = "★"


def snippet_text(snippet: Snippet, style: Style | str, match: Style | str) -> Text:
    """A snippet as Text: `style`, its matched spans in `match` too. Sanitised once more; the
    spans are dropped if that changed the text (they would point at the wrong characters)."""
    text = one_line(snippet.text)
    out = Text(text, style, no_wrap=True, end="")
    if text == snippet.text:
        for start, end in snippet.spans:
            if 0 <= start < end <= len(text):
                out.stylize(match, start, end)
    return out


class HeadlineList(VirtualList):
    """Date, feed and title of each item; unread in bold, bookmarks starred. The story keys
    act on the story under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("story"))

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "headline-list--date",
        "headline-list--feed",
        "headline-list--unread",
        "headline-list--read",
        "headline-list--unread-mark",
        "headline-list--bookmark-mark",
        "headline-list--loading",
        "headline-list--snippet",
        "headline-list--match",
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

    class NeedMore(Message):
        """The search hits on screen reach the end of those loaded: the next page, please."""

        def __init__(self, generation: int, offset: int) -> None:
            super().__init__()
            self.generation = generation
            self.offset = offset

    class NeedSummaries(Message):
        """Summary lines on screen are missing: summarise these items."""

        def __init__(self, ids: list[int]) -> None:
            super().__init__()
            self.ids = ids

    def __init__(self, dates: Dates, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dates = dates
        self.ids: array[int] = array("q")
        self.generation = 0
        self.show_feed = True
        self.more = 0  # search hits not loaded yet
        self.summary_lines = False
        self.date_width = 0  # columns of the date column (the listed dates decide)
        self._rows: dict[int, Headline] = {}
        self._titles: dict[int, Snippet] = {}
        self._snippets: dict[int, Snippet] | None = None  # None: not a search
        self._summaries: OrderedDict[int, str] = OrderedDict()
        self._asked: set[int] = set()
        self._pending = False

    # ---- state set by the screen --------------------------------------------------------
    def show(
        self,
        ids: array[int],
        rows: Iterable[Headline],
        *,
        keep_id: int | None = None,
        show_feed: bool = True,
        screen_row: int | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """List `ids`; the cursor stays on `keep_id` (at the same screen row, or `screen_row`)
        when listed. Any search snippets go (see `show_hits`). The date column is as wide as
        the dates from `span` (newest, oldest; None: those of `rows`) need."""
        here = self.cursor - self.top_row if screen_row is None else screen_row
        self.generation += 1
        self.ids = ids
        self.show_feed = show_feed
        self._rows = {h.id: h for h in rows}
        span = span or span_of(list(self._rows.values()))
        self.date_width = self.dates.width_for(*span) if span else 0
        self._titles, self._snippets, self.more = {}, None, 0
        self._pending = False
        index = ids.index(keep_id) if keep_id is not None and keep_id in ids else None
        self._set_height()
        self.set_row_count(len(ids))
        self.set_reactive(HeadlineList.cursor, self.validate_cursor(index or 0))
        self.scroll_to_cursor(top=here if index is not None else 0)
        self.refresh()

    def show_hits(
        self,
        headlines: Sequence[Headline],
        titles: Mapping[int, Snippet],
        snippets: Mapping[int, Snippet],
        more: int,
        keep_id: int | None = None,
    ) -> None:
        """List search hits: titles with their matches styled, a snippet under each; `more`
        hits exist beyond these."""
        self.show(array("q", (h.id for h in headlines)), headlines, keep_id=keep_id)
        self._titles, self._snippets, self.more = dict(titles), dict(snippets), more
        self._set_height()

    def add_hits(
        self,
        generation: int,
        headlines: Sequence[Headline],
        titles: Mapping[int, Snippet],
        snippets: Mapping[int, Snippet],
        more: int,
    ) -> None:
        """The next page of the search listed (dropped if the list changed meanwhile)."""
        if generation != self.generation or self._snippets is None:
            return
        known = set(self.ids)
        fresh = [h for h in headlines if h.id not in known]
        self.ids.extend(h.id for h in fresh)
        self._rows.update((h.id, h) for h in fresh)
        self._titles.update(titles)
        self._snippets.update(snippets)
        self.more, self._pending = more, False
        span = span_of(fresh)
        width = self.date_width
        if span:  # a later page's older dates widen the column (it never narrows)
            self.date_width = max(self.date_width, self.dates.width_for(*span))
        below = self.visible_rows.stop < len(self.ids) - len(fresh)  # the new rows: off screen
        self.set_row_count(len(self.ids), repaint=self.date_width != width or not below)

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

    def set_summary_lines(self, on: bool) -> None:
        """Show (or stop showing) a summary line under each title."""
        self.summary_lines = on
        self._set_height()
        self.refresh()

    def add_summaries(self, lines: Mapping[int, str], dropped: Iterable[int] = ()) -> None:
        """Summary lines that were asked for (`dropped`: asked for, not done: ask again)."""
        self._asked.difference_update(lines)
        self._asked.difference_update(dropped)
        self._summaries.update(lines)
        while len(self._summaries) > MAX_SUMMARIES:
            self._summaries.popitem(last=False)
        self.refresh()

    def forget_summary(self, item_id: int) -> None:
        """The story changed (its full text arrived): summarise it again when shown."""
        self._summaries.pop(item_id, None)
        self.refresh()

    def _set_height(self) -> None:
        self.set_row_height(2 if self._snippets is not None or self.summary_lines else 1)

    # ---- what the screen reads ----------------------------------------------------------
    @property
    def is_search(self) -> bool:
        """Whether the list holds search hits."""
        return self._snippets is not None

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

    def _request_more(self, index: int) -> None:
        if self.more and not self._pending and index >= len(self.ids) - MORE_AHEAD:
            self._pending = True
            self.post_message(self.NeedMore(self.generation, len(self.ids)))

    def render_row(self, index: int, width: int) -> Text:
        """Marks, date, feed (unless the list is one feed's) and title."""
        h = self._rows.get(self.ids[index])
        self._request_more(index)
        if h is None:
            self._request_rows()
            return Text("  …", style=self.get_component_rich_style("headline-list--loading"))
        style = self.get_component_rich_style
        text = Text(no_wrap=True, end="")
        text.append(UNREAD_MARK if not h.read else " ", style("headline-list--unread-mark"))
        text.append(BOOKMARK_MARK if h.bookmarked else " ", style("headline-list--bookmark-mark"))
        if self.date_width:
            date = self.dates.short(h.published).rjust(self.date_width)
            text.append(date, style("headline-list--date"))
            text.append(" ")
        if self.show_feed:
            feed_width = max(6, min(18, width // 5))
            feed = Text(one_line(h.feed_title or h.feed_url), style("headline-list--feed"))
            feed.truncate(feed_width, overflow="ellipsis", pad=True)
            text.append_text(feed)
            text.append(" ")
        title_style = style("headline-list--read" if h.read else "headline-list--unread")
        marked = self._titles.get(h.id)
        if marked is not None and marked.text:
            text.append_text(snippet_text(marked, title_style, style("headline-list--match")))
        else:
            text.append(one_line(h.title) or "(untitled)", title_style)
        return text

    def render_more(self, index: int, width: int, part: int) -> Text:
        """The second line: the search snippet, or the summary line."""
        style = self.get_component_rich_style
        item_id = self.ids[index]
        indent = 2 + (self.date_width + 1 if self.date_width else 0)  # under the title
        line = Text(" " * indent, no_wrap=True, end="")
        if self._snippets is not None:
            snippet = self._snippets.get(item_id)
            if snippet is not None:
                from reader.store.highlight import fit  # loaded with the first search

                plain, match = style("headline-list--snippet"), style("headline-list--match")
                shown = fit(snippet, width - line.cell_len)  # centred on its first match
                line.append_text(snippet_text(shown, plain, match))
            return line
        summary = self._summaries.get(item_id)
        if summary is None:
            self._request_summaries()
            summary = "…"
        line.append(summary, style("headline-list--snippet"))
        return line

    def _request_summaries(self) -> None:
        wanted = [self.ids[i] for i in self.visible_rows]
        missing = [i for i in wanted if i not in self._summaries and i not in self._asked]
        if missing:
            self._asked.update(missing)
            self.post_message(self.NeedSummaries(missing))

    def action_story(self, action: str) -> None:
        """A story key: the screen does `action` to the story under the cursor."""
        self.post_message(StoryWanted(action, self.current_id))

    def action_select(self) -> None:
        """Open the item under the cursor."""
        item_id = self.current_id
        if item_id is not None:
            self.post_message(self.Opened(item_id, self.cursor))
