"""The feed pane: All, Unread and Bookmarks (the bookmarks' tags under it), the saved searches,
then tags as folding groups of feeds, each with its unread count; a failing feed is flagged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from reader.models import Feed
from reader.ui import keys
from reader.ui.sources import ALL, Extras, Kind, Row, Source, Totals, feed_rows, group_feeds
from reader.ui.widgets.virtual_list import VirtualList


class FeedList(VirtualList):
    """Sources to read; the cursor row's items fill the headline pane. Its own keys act on the
    feed (or tag) under the cursor: the screen is told with `Wanted`."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("feeds"))

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "feed-list--fixed",
        "feed-list--group",
        "feed-list--feed",
        "feed-list--count",
        "feed-list--error",
        "feed-list--search",
        "feed-list--mark-tag",
    }

    class Highlighted(Message):
        """The cursor is on a new source: show its headlines."""

        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Chosen(Message):
        """Enter or a click on a feed or fixed entry: go read it."""

        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Wanted(Message):
        """A feed-pane key: do `action` to the row under the cursor (`feed`: its feed, when
        the row is one)."""

        def __init__(self, action: str, row: Row, feed: Feed | None) -> None:
            super().__init__()
            self.action = action
            self.row = row
            self.feed = feed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.collapsed: set[str] = set()
        self._feeds: Sequence[Feed] = ()
        self._unread: Mapping[int, int] = {}
        self._totals = Totals()
        self._extras = Extras()
        self._source = ALL
        self.by_unread = False  # most unread first (O), else natural order by name
        self._sort_counts: Mapping[int, int] = {}  # the unread counts the order was made by

    @property
    def source(self) -> Source:
        """The source under the cursor."""
        return self._source

    def set_data(
        self,
        feeds: Sequence[Feed],
        unread: Mapping[int, int],
        totals: Totals,
        extras: Extras | None = None,
        resort: bool = False,
    ) -> None:
        """New feeds or counts (`extras`: bookmark tags and saved searches, None: as they
        were); the cursor stays on its source. Sorted by unread count, the order is made
        again only with `resort`: reading a feed's stories does not move it under the cursor
        (the feeds are sorted again when read again: a refresh, another process's change)."""
        self._feeds, self._unread, self._totals = feeds, unread, totals
        if resort:
            self._sort_counts = dict(unread)
        self._extras = self._extras if extras is None else extras
        self._rebuild()

    @property
    def extras(self) -> Extras:
        """The bookmark tags and saved searches shown."""
        return self._extras

    def _rebuild(self) -> None:
        order = self._sort_counts if self.by_unread else None
        self.rows = feed_rows(self._feeds, self._unread, self._totals, self.collapsed,
                              self._extras, order)  # fmt: skip
        self.set_row_count(len(self.rows))
        index = next((i for i, r in enumerate(self.rows) if r.source == self._source), None)
        if index is None:  # its feed went away: fall back to All
            index = 0
            self._source = ALL
            self.post_message(self.Highlighted(ALL))
        self.set_reactive(FeedList.cursor, index)
        self.scroll_to_cursor()
        self.refresh()

    def select_source(self, source: Source) -> None:
        """Put the cursor on `source` (unfolding its group if needed)."""
        if source.kind is Kind.FEED and all(r.source != source for r in self.rows):
            feed = self.feed_of(source)
            self.collapsed.difference_update(feed.tags if feed else ())
            self._rebuild()
        index = next((i for i, r in enumerate(self.rows) if r.source == source), None)
        if index is not None:
            self.cursor = index

    def cursor_moved(self, index: int) -> None:
        """Tell the screen about a new source."""
        if 0 <= index < len(self.rows) and self.rows[index].source != self._source:
            self._source = self.rows[index].source
            self.post_message(self.Highlighted(self._source))

    def action_select(self) -> None:
        """Fold or unfold a group; choose a feed or fixed entry."""
        if not 0 <= self.cursor < len(self.rows):
            return
        row = self.rows[self.cursor]
        if row.group:
            self.collapsed.symmetric_difference_update({row.label})
            self._rebuild()
        else:
            self.post_message(self.Chosen(row.source))

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def feed_of(self, source: Source) -> Feed | None:
        """The feed of a FEED source."""
        return next((f for f in self._feeds if f.id == source.feed_id), None)

    def sort_by_unread(self, on: bool) -> None:
        """Order the feeds by unread count (most first), or by name."""
        self.by_unread = on
        self._sort_counts = dict(self._unread)
        self._rebuild()

    def groups(self) -> dict[str, list[Feed]]:
        """The feeds by tag in the order shown (folded groups too): n and p follow it."""
        return group_feeds(self._feeds, self._sort_counts if self.by_unread else None)

    def action_feed(self, action: str) -> None:
        """A feed-pane key: tell the screen what to do to the row under the cursor."""
        row = self.current_row
        if row is not None:
            feed = self.feed_of(row.source) if row.source.kind is Kind.FEED else None
            self.post_message(self.Wanted(action, row, feed))

    def render_row(self, index: int, width: int) -> Text:
        """Fold marker and name on the left, the unread count on the right."""
        row = self.rows[index]
        style = self.get_component_rich_style
        count = f" {row.count:,}" if row.count else ""
        if row.group:
            name_style, marker = style("feed-list--group"), "▸ " if row.collapsed else "▾ "
        elif row.source.kind is Kind.FEED:
            name_style, marker = style("feed-list--feed"), "  " * row.depth
        elif row.source.kind is Kind.SEARCH:
            name_style, marker = style("feed-list--search"), "/"
        elif row.source.kind is Kind.MARK_TAG:
            name_style, marker = style("feed-list--mark-tag"), "  #"
        else:
            name_style, marker = style("feed-list--fixed"), ""
        flag = "! " if row.error else ""
        room = max(1, width - len(marker) - len(flag) - len(count))
        name = Text(row.label, name_style, no_wrap=True)
        name.truncate(room, overflow="ellipsis", pad=True)
        text = Text(marker, name_style, no_wrap=True, end="")
        if flag:
            text.append(flag, style("feed-list--error"))
        text.append_text(name)
        text.append(count, style("feed-list--count"))
        return text
