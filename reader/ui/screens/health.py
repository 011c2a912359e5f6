"""Feed health: when each feed was last checked and last answered well (the store records a
304 as a success), its status and last error; the feed under the cursor in full below the
table (its address and its whole error, wrapped), so nothing needs scrolling sideways, even at
60 columns. Enter on a feed goes to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reader.models import Feed
from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.screens.overlays import CLOSE
from reader.ui.sources import natural
from reader.ui.timefmt import Dates
from reader.ui.widgets.footer import KeyFooter
from reader.ui.words import plural

NARROW = 100  # columns below which dates are short and names shorter
COLUMNS = ("Feed", "Checked", "Last ok", "Status")
ERROR = "Last error"
MIN_ERROR = 12  # columns an error column needs to be worth showing
PADDING = 2  # a DataTable cell's padding, both sides
SCROLLBAR = 2


def health_order(feeds: Sequence[Feed]) -> list[Feed]:
    """Failing feeds first (longest streak first), then by name."""
    return sorted(feeds, key=lambda f: (-f.error_streak, not f.gone, natural(f.name)))


def status_of(feed: Feed) -> str:
    """The HTTP status, `gone`, and the streak of failures (`404 ×3`)."""
    status = "gone" if feed.gone else (str(feed.http_status) if feed.http_status else "")
    return f"{status} ×{feed.error_streak}".strip() if feed.error_streak else status


def health_rows(feeds: Sequence[Feed], dates: Dates, narrow: bool) -> list[tuple[Text, ...]]:
    """One row per feed in `health_order`: name, last checked, last success, status
    (`narrow`: short dates, shorter names). The error is in `error_column` and the detail."""
    when = dates.short if narrow else dates.long
    rows: list[tuple[Text, ...]] = []
    for f in health_order(feeds):
        name = Text(one_line(f.name), no_wrap=True)
        name.truncate(24 if narrow else 48, overflow="ellipsis")
        rows.append((name, Text(when(f.last_checked) or "never"),
                     Text(when(f.last_ok) or "never"), Text(status_of(f))))  # fmt: skip
    return rows


def error_room(rows: Sequence[tuple[Text, ...]], width: int) -> int:
    """Columns left for the error column beside `rows` in `width` (0: no room for it)."""
    used = sum(
        max([cell_len(label)] + [r[n].cell_len for r in rows]) + PADDING
        for n, label in enumerate(COLUMNS)
    )
    room = width - used - PADDING - SCROLLBAR
    return room if room >= MIN_ERROR else 0


def error_cell(feed: Feed, room: int) -> Text:
    """The feed's last error cut to `room` columns."""
    text = Text(one_line(feed.last_error), no_wrap=True)
    text.truncate(room, overflow="ellipsis")
    return text


def detail(feed: Feed, dates: Dates) -> Content:
    """The feed in full: name and address, when checked and ok, status, the whole error."""
    status = status_of(feed)
    facts = [f"checked {dates.long(feed.last_checked) or 'never'}",
             f"last ok {dates.long(feed.last_ok) or 'never'}"]  # fmt: skip
    if status:
        facts.append(f"status {status}")
    if feed.error_streak:
        facts.append(f"failed {plural(feed.error_streak, 'time')} in a row")
    lines = [Content.styled(one_line(feed.name), "bold")]
    if feed.name != feed.url:
        lines.append(Content.styled(one_line(feed.url), "$text-muted"))
    lines.append(Content(" · ".join(facts)))
    if feed.last_error:
        style = "$text-error" if feed.error_streak or feed.gone else "$text-warning"
        lines.append(Content.styled(one_line(feed.last_error), style))
    return Content("\n").join(lines)


class HealthScreen(Screen[int | None]):
    """The feeds' health, failing ones first; enter on a feed goes to it (dismissed with its
    id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE,
        *keys.bindings_of("down", "up", "top", "bottom", "page_down", "page_up"),
    ]

    def __init__(self, feeds: Sequence[Feed], dates: Dates) -> None:
        super().__init__()
        self.feeds = health_order(feeds)
        self.dates = dates

    def compose(self) -> ComposeResult:
        """A summary line, the table (filled for the width it has), the feed in full."""
        failing = sum(1 for f in self.feeds if f.error_streak or f.gone)
        summary = f"Feed health · {plural(len(self.feeds), 'feed')} · {failing:,} failing"
        yield Static(Content(summary), classes="overlay-title", id="health-title")
        yield DataTable[Text](id="health-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="health-detail")
        yield Static(Content("enter: go to the feed · escape: back"), id="health-hint")
        yield KeyFooter()

    def on_resize(self) -> None:
        """Fill the table for the width: short dates below NARROW columns; the error column
        only where it has room (the detail below always has the whole error)."""
        table = self._table()
        row = table.cursor_row
        narrow = self.size.width < NARROW
        rows = health_rows(self.feeds, self.dates, narrow)
        room = error_room(rows, self.size.width)
        table.clear(columns=True)
        for label in COLUMNS:
            table.add_column(Text(label), key=label)
        if room:
            table.add_column(Text(ERROR), key=ERROR, width=room)
            rows = [(*r, error_cell(f, room)) for r, f in zip(rows, self.feeds, strict=True)]
        table.add_rows(rows)
        table.move_cursor(row=row)
        table.focus()
        self._show_detail(row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The feed under the cursor, in full below the table."""
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self.feeds):
            self.query_one("#health-detail", Static).update(detail(self.feeds[row], self.dates))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: go to that feed."""
        event.stop()
        if 0 <= event.cursor_row < len(self.feeds):
            self.dismiss(self.feeds[event.cursor_row].id)

    def _table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def action_down(self) -> None:
        """Next feed."""
        self._table().action_cursor_down()

    def action_up(self) -> None:
        """Previous feed."""
        self._table().action_cursor_up()

    def action_top(self) -> None:
        """First feed."""
        self._table().move_cursor(row=0)

    def action_bottom(self) -> None:
        """Last feed."""
        self._table().move_cursor(row=len(self.feeds) - 1)

    def action_page_down(self) -> None:
        """A page down."""
        self._table().action_page_down()

    def action_page_up(self) -> None:
        """A page up."""
        self._table().action_page_up()

    def action_dismiss_overlay(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
