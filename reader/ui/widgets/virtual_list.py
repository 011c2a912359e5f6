"""A keyboard-and-mouse list drawn with the Line API: only the lines on screen are rendered.

Subclasses say how many rows there are and render one row (a row may be two lines tall: see
`set_row_height`); this class keeps the cursor, scrolls it into view, and turns keys and clicks
into cursor moves. The wheel scrolls without moving the cursor (so scrolling never opens or
marks anything).
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from reader.ui import keys


class VirtualList(ScrollView, can_focus=True):
    """Rows `0..row_count-1`, a cursor, and the list keys (down, up, top, bottom, pages)."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("list"))
    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-list--cursor"}

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._count = 0
        self._height = 1  # lines per row
        self.empty_text = ""  # shown when there are no rows: what to do about it
        self._paint: tuple[Style, Style, int] | None = None  # while render_lines runs

    @property
    def row_count(self) -> int:
        """How many rows the list has."""
        return self._count

    def set_row_count(self, count: int, repaint: bool = True) -> None:
        """Change the number of rows (the cursor is kept inside them); `repaint`: False when
        the rows on screen stay as they were (rows added below them)."""
        self._count = count
        self._set_virtual_height(count * self._height)
        self.set_reactive(VirtualList.cursor, self.validate_cursor(self.cursor))
        if repaint:
            self.refresh()

    def _set_virtual_height(self, height: int) -> None:
        """The scrollable height. Setting `virtual_size` lays the whole screen out again; when
        the scrollbar neither comes nor goes, only the scrollbar's thumb changes: it alone is
        told (the next layout, if any, finds the same sizes)."""
        size = Size(0, height)
        if size == self.virtual_size:
            return
        view = self.scrollable_content_region.height
        overflow = self.styles.overflow_y
        wanted = overflow == "scroll" or (overflow == "auto" and height > view)
        if not view or wanted != self.show_vertical_scrollbar:
            self.virtual_size = size
            return
        self.set_reactive(Widget.virtual_size, size)
        if wanted:
            self.vertical_scrollbar.window_virtual_size = height

    @property
    def row_height(self) -> int:
        """Lines per row."""
        return self._height

    def set_row_height(self, height: int) -> None:
        """Make every row `height` lines tall (the cursor row keeps its place on screen)."""
        if height == self._height:
            return
        screen_row = self.cursor - self.top_row
        self._height = height
        self.set_row_count(self._count)
        self.scroll_to_cursor(top=max(0, min(screen_row, self.page_rows - 1)))

    @property
    def top_row(self) -> int:
        """The row at the top of the view."""
        return int(self.scroll_y) // self._height

    @property
    def page_rows(self) -> int:
        """How many whole rows fit in the view."""
        return max(1, self.scrollable_content_region.height // self._height)

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(value, self._count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw and bring the cursor into view."""
        self.scroll_to_cursor()
        self.refresh()
        self.cursor_moved(new)

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor moved to `index` (subclasses post their message here)."""

    def scroll_to_cursor(self, top: int | None = None) -> None:
        """Scroll so the cursor row is visible (at screen row `top`, when given)."""
        lines, rows = self._height, self.page_rows
        offset = int(self.scroll_y)
        cursor_line = self.cursor * lines
        if top is not None:
            offset = (self.cursor - top) * lines
        elif cursor_line < offset:
            offset = cursor_line
        elif self.scrollable_content_region.height and self.cursor >= self.top_row + rows:
            offset = (self.cursor - rows + 1) * lines
        if offset != int(self.scroll_y):
            self.scroll_to(y=max(0, offset), animate=False, immediate=True)

    @property
    def visible_rows(self) -> range:
        """Indexes of the rows on screen (a row cut at the bottom included)."""
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        last = (top + height + self._height - 1) // self._height
        return range(top // self._height, min(self._count, last))

    # ---- rendering ----------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`: the widget's style, the cursor's and the width are worked out
        once for them all (each costs a walk up the DOM)."""
        self._paint = self._paint_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_styles(self) -> tuple[Style, Style, int]:
        return self.rich_style, self.cursor_style(), self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        """One screen line: a row's line, or blank below the last row."""
        base, cursor, width = self._paint or self._paint_styles()
        index, part = divmod(int(self.scroll_y) + y, self._height)
        if self._count == 0 and self.empty_text and y == 1 and width > 0:
            hint = Text(" " + self.empty_text, style=base, no_wrap=True, end="")
            hint.truncate(width, overflow="ellipsis", pad=True)
            return Strip(Segment.simplify(list(hint.render(self.app.console))), width)
        if index >= self._count or width <= 0:
            return Strip.blank(width, base)
        text = self.render_row(index, width) if part == 0 else self.render_more(index, width, part)
        text.truncate(width, overflow="ellipsis", pad=True)
        text.stylize_before(base)
        if index == self.cursor:
            text.stylize(cursor)
        segments = list(text.render(self.app.console))
        return Strip(Segment.simplify(segments), width)

    def cursor_style(self) -> Style:
        """The style of the cursor row."""
        return self.get_component_rich_style("virtual-list--cursor")

    def render_row(self, index: int, width: int) -> Text:
        """Row `index` as one line of text (it is cropped or padded to `width`)."""
        raise NotImplementedError

    def render_more(self, index: int, width: int, part: int) -> Text:
        """Line `part` (1 and up) of a row taller than one line."""
        return Text("")

    # ---- keys and mouse -----------------------------------------------------------------
    def action_down(self) -> None:
        """Cursor down one row."""
        self.cursor += 1

    def action_up(self) -> None:
        """Cursor up one row."""
        self.cursor -= 1

    def action_top(self) -> None:
        """Cursor to the first row."""
        self.cursor = 0

    def action_bottom(self) -> None:
        """Cursor to the last row."""
        self.cursor = self._count - 1

    def action_page_down(self) -> None:
        """Cursor down one screen."""
        self.cursor += max(1, self.page_rows - 1)

    def action_page_up(self) -> None:
        """Cursor up one screen."""
        self.cursor -= max(1, self.page_rows - 1)

    def action_select(self) -> None:
        """Enter on the cursor row (subclasses decide what that does)."""

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the row and selects it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_y) + offset.y) // self._height
        if 0 <= index < self._count:
            self.focus()
            self.cursor = index
            self.action_select()
